// @ts-check
// Scribes: hand a volunteer a link that lets their phone enter this workshop's paper cards
// (and nothing else), and see the paper notes entered so far.
import { api, el } from "../core/common.js";
import { _, formatNumber } from "../core/i18n.js";
import { changed, reconcile, sectionTitle, showError, shortTime } from "./dom.js";

// navigator.clipboard exists only in secure contexts (not on http://192.168.x.x), so fall
// back to selecting the text and the old copy command.
async function copyText(text, node) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return true;
  }
  const range = document.createRange();
  range.selectNodeContents(node);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  return document.execCommand && document.execCommand("copy");
}

function paperRow(ctx, note) {
  const parts = [];
  const head = el("p", { class: "paper-head" });
  if (note.card_code) {
    head.append(el("a", { class: "code", href: `/c/${note.card_code}`, title: _("Open the card to correct its note") }, note.card_code));
  }
  const by = note.entered_by === "scribe" ? _("by a scribe") : note.entered_by === "facilitator" ? _("by you") : "";
  head.append(el("span", { class: "hint" }, [shortTime(note.created_at), by, sectionTitle(ctx.state, note)].filter(Boolean).join(" · ")));
  if (note.hidden) head.append(el("span", { class: "pill is-warning" }, _("hidden")));
  parts.push(head, el("p", { class: "paper-text" }, note.text));
  if (note.photo) {
    const src = `/photos/${encodeURIComponent(note.photo)}`;
    const link = el("a", { href: src, target: "_blank", rel: "noopener", class: "paper-photo" });
    link.append(el("img", { src, alt: _("Photo of card {code}", { code: note.card_code }), loading: "lazy" }));
    parts.unshift(link);
  }
  return parts;
}

export function scribesPanel(ctx) {
  const make = /** @type {HTMLButtonElement} */ (document.getElementById("scribe-make"));
  const box = document.getElementById("scribe-link");
  const url = document.getElementById("scribe-url");
  const qr = /** @type {HTMLImageElement} */ (document.getElementById("scribe-qr"));
  const copied = document.getElementById("scribe-copied");
  const errorLine = document.getElementById("scribe-error");
  const list = document.getElementById("paper-list");

  make.addEventListener("click", async () => {
    showError(errorLine, null);
    make.disabled = true;
    try {
      const { data } = await api("POST", `/api/workshops/${ctx.state.code}/scribe-links`);
      url.textContent = data.url;
      copied.textContent = "";
      if (ctx.scribeQr) {
        qr.src = `/w/${ctx.state.code}/scribe-qr.svg?token=${encodeURIComponent(data.token)}`;
        qr.hidden = false;
      }
      box.hidden = false;
      make.textContent = _("Make another scribe link");
    } catch (error) {
      showError(errorLine, error);
    } finally {
      make.disabled = false;
    }
  });

  document.getElementById("scribe-copy").addEventListener("click", async () => {
    try {
      copied.textContent = (await copyText(url.textContent, url)) ? _("Copied.") : _("Select the link and copy it.");
    } catch {
      copied.textContent = _("Select the link and copy it.");
    }
  });

  function render() {
    const paper = [...ctx.state.notes.values()].filter((note) => note.source === "paper").sort((a, b) => b.id - a.id);
    document.getElementById("paper-count").textContent = formatNumber(paper.length);
    document.getElementById("paper-empty").hidden = paper.length > 0;
    reconcile(
      list,
      paper,
      (note) => note.id,
      () => el("li", { class: "paper-note" }),
      (row, note) => {
        if (changed(row, note.text, note.photo, note.hidden, note.section_id, note.entered_by)) {
          row.classList.toggle("has-photo", Boolean(note.photo));
          row.replaceChildren(...paperRow(ctx, note));
        }
      },
    );
  }

  return { render };
}
