// @ts-check
// Small helpers the parts of the facilitator's console share: keyed list updates that leave
// untouched rows (and whatever has focus in them) alone, and how a note is described.
import { ApiError, el } from "../core/common.js";
import { _, formatTime, ngettext } from "../core/i18n.js";

// Make `list`'s children match `items`, by key: existing rows are kept and moved only when
// the order changed, new ones are built, gone ones removed. `update(node, item)` fills a row.
export function reconcile(list, items, keyOf, build, update) {
  const existing = new Map([...list.children].map((node) => [node.dataset.key, node]));
  let cursor = list.firstElementChild;
  for (const item of items) {
    const key = String(keyOf(item));
    let node = existing.get(key);
    if (node) existing.delete(key);
    else {
      node = build(item);
      node.dataset.key = key;
    }
    update(node, item);
    if (node === cursor) cursor = cursor.nextElementSibling;
    else list.insertBefore(node, cursor);
  }
  existing.forEach((node) => node.remove());
}

// Redraw a row's insides only when what it shows has changed (a redraw would drop focus).
export function changed(node, ...shown) {
  const signature = JSON.stringify(shown);
  if (node.dataset.signature === signature) return false;
  node.dataset.signature = signature;
  return true;
}

export function sourceText(note) {
  if (note.online) return _("online");
  if (note.source === "paper") return note.card_code ? _("paper card {code}", { code: note.card_code }) : _("paper card");
  if (note.source === "facilitator") return _("facilitator");
  return note.card_code ? _("phone, card {code}", { code: note.card_code }) : _("phone");
}

export function sectionTitle(state, note) {
  const section = state.workshop.sections.find((s) => s.id === note.section_id);
  return section ? section.title : _("Unsorted");
}

// One line about a note: where it sits, its dots, where it came from, who wrote it.
export function noteMeta(state, note) {
  const parts = [sectionTitle(state, note)];
  if (note.votes) parts.push(ngettext("{n} vote", "{n} votes", note.votes));
  parts.push(sourceText(note));
  if (note.author_label) parts.push(note.author_label);
  if (note.hidden) parts.push(_("hidden"));
  return parts.join(" · ");
}

/**
 * @param {any} state
 * @param {any} note
 * @param {"div" | "span" | "li"} [tag]
 */
export function noteBlock(state, note, tag = "div") {
  const block = el(tag, { class: "note-line" });
  block.append(el("span", { class: "note-line-text" }, note.text), el("span", { class: "note-line-meta" }, noteMeta(state, note)));
  return block;
}

export function errorText(error) {
  return error instanceof ApiError ? error.message : _("No connection to the server. Try again.");
}

export function showError(node, error) {
  node.textContent = error ? errorText(error) : "";
  node.hidden = !error;
}

// A two-step button for removing things: no confirm() dialog, nothing lost to a slip.
export function removeButton(label, onConfirm) {
  const wrap = el("span", { class: "confirm" });
  const first = el("button", { type: "button", class: "button small danger" }, label);
  const sure = el("button", { type: "button", class: "button small danger", hidden: true }, _("Yes, remove"));
  const keep = el("button", { type: "button", class: "button small", hidden: true }, _("Keep"));
  const toggle = (asking) => {
    first.hidden = asking;
    sure.hidden = keep.hidden = !asking;
    (asking ? keep : first).focus();
  };
  first.addEventListener("click", () => toggle(true));
  keep.addEventListener("click", () => toggle(false));
  sure.addEventListener("click", () => {
    sure.disabled = true;
    onConfirm().finally(() => {
      sure.disabled = false;
    });
  });
  wrap.append(first, sure, keep);
  return wrap;
}

export function shortTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : formatTime(date);
}
