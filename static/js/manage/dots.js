// @ts-check
// Physical dots: during or after voting, the facilitator types how many sticky dots are on
// each note; the server adds them to the note's total (phones' and scribes' dots included).
import { allowedNow, api, el } from "../core/common.js";
import { _, formatNumber, ngettext } from "../core/i18n.js";
import { reconcile, showError } from "./dom.js";

const MAX_DOTS = 10000;

function totalText(votes) {
  return ngettext("{n} vote in all", "{n} votes in all", votes);
}

export function dotsPanel(ctx) {
  const list = document.getElementById("dots-list");
  const empty = document.getElementById("dots-empty");
  const closed = document.getElementById("dots-closed");
  const errorLine = document.getElementById("dots-error");
  // The notes in the state do not carry the physical count, so an input shows only what was
  // typed into it since the page was opened (rows are kept across redraws).

  async function save(note, input, total) {
    const count = Number(input.value);
    if (input.value.trim() === "" || !Number.isInteger(count) || count < 0 || count > MAX_DOTS) {
      errorLine.textContent = _("Type a whole number of dots from 0 to {max}.", { max: formatNumber(MAX_DOTS) });
      errorLine.hidden = false;
      return;
    }
    showError(errorLine, null);
    input.setAttribute("aria-busy", "true");
    try {
      const { data } = await api("PUT", `/api/notes/${note.id}/dots`, { count });
      total.textContent = totalText(data.votes);
      ctx.refresh();
    } catch (error) {
      showError(errorLine, error);
    } finally {
      input.removeAttribute("aria-busy");
    }
  }

  const rowNote = new WeakMap(); // row -> the note it shows now

  function build(note) {
    const row = el("li", { class: "dots-row" });
    const id = `dots-${note.id}`;
    const text = el("label", { class: "dots-text", for: id });
    const input = el("input", { id, type: "number", inputmode: "numeric", min: "0", max: String(MAX_DOTS), placeholder: "0", class: "dots-input" });
    if (note.paper_dots) input.value = String(note.paper_dots); // counted before
    const total = el("span", { class: "dots-total hint", role: "status" });
    input.addEventListener("change", () => save(rowNote.get(row), input, total));
    row.append(text, input, total);
    return row;
  }

  function update(row, note) {
    rowNote.set(row, note);
    const [text, , total] = row.children;
    if (text.textContent !== note.text) text.textContent = note.text;
    const shown = totalText(note.votes || 0);
    if (total.textContent !== shown) total.textContent = shown;
  }

  return {
    render() {
      const open = allowedNow(ctx.state.workshop).counting; // from the vote on (the server says)
      const notes = open
        ? [...ctx.state.notes.values()].filter((note) => !note.hidden && !note.withdrawn && note.merged_into == null && note.text)
        : [];
      closed.hidden = open;
      empty.hidden = !open || notes.length > 0;
      reconcile(list, notes, (note) => note.id, build, update);
    },
  };
}
