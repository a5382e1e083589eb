// @ts-check
// Ballots: where the room's dots came from (phones, printed cards, physical dots) and how
// many phone ballots each address holds, with a warning when one address holds several: one
// device posing as many phones, or a venue whose phones share one address (docs/security.md).
import { api, el } from "../core/common.js";
import { _, formatNumber, ngettext } from "../core/i18n.js";
import { showError } from "./dom.js";

const LOAD_DELAY_MS = 400; // a burst of dots costs one fetch

export function ballotsPanel(ctx) {
  const dots = document.getElementById("ballots-dots");
  const counted = document.getElementById("ballots-counted");
  const warning = document.getElementById("ballots-warning");
  const list = document.getElementById("ballots-addresses");
  const errorLine = document.getElementById("ballots-error");
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;

  async function load() {
    let report;
    try {
      report = (await api("GET", `/api/workshops/${ctx.state.code}/ballots`)).data;
    } catch (error) {
      showError(errorLine, error);
      return;
    }
    showError(errorLine, null);
    const d = report.dots;
    dots.textContent = _("{dots}: {phones} from phones, {paper} on paper", {
      dots: ngettext("{n} dot", "{n} dots", d.total),
      phones: formatNumber(d.phones),
      paper: formatNumber(d.paper),
    });
    counted.textContent = _("Ballots: {phones} from phones, {cards} from printed cards (a scribe records them); {loose} physical dots counted apart.", {
      phones: formatNumber(report.ballots.phones),
      cards: formatNumber(report.ballots.cards),
      loose: formatNumber(d.paper_dots),
    });
    warning.hidden = !report.warning;
    warning.textContent = report.warning
      ? ngettext(
          "One address holds several phone ballots (at most {most} from one address). One device may be voting as several phones — or the room's phones share one address; then raise the new ballots per address under Settings, “Rate limits and writing phases”.",
          "{n} addresses hold several phone ballots (at most {most} from one address). One device may be voting as several phones — or the room's phones share one address; then raise the new ballots per address under Settings, “Rate limits and writing phases”.",
          report.shared,
          { most: formatNumber(report.most_from_one_address) },
        )
      : "";
    list.replaceChildren(
      ...report.addresses
        .filter((a) => a.ballots > 0 || a.joined > 1)
        .map((a) => {
          const item = el("li", { class: a.known && a.ballots > 1 ? "ballots-address is-warning" : "ballots-address" });
          const who = a.known ? _("Address {number}", { number: formatNumber(a.address) }) : _("Address not recorded");
          item.textContent = `${who}: ${ngettext("{n} phone joined", "{n} phones joined", a.joined)}, ${ngettext("{n} ballot", "{n} ballots", a.ballots)}`;
          return item;
        }),
    );
  }

  return {
    render() {
      clearTimeout(timer);
      timer = setTimeout(load, LOAD_DELAY_MS);
    },
  };
}
