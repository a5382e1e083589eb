// @ts-check
// The facilitator's board around the cards: the live region that says what happened (for
// everyone in the room and for screen readers), the toolbar in the facilitator bar, the side
// panels (the plan, the log) and the selection of notes that several tools act on.
import { bus, TOPIC } from "../core/bus.js";
import { el } from "../core/common.js";
import { _, ngettext } from "../core/i18n.js";

const SAY_MS = 7000;

/** @param {import("./sort.js").SortContext} ctx */
export function setupTools(ctx) {
  const { board, notes } = ctx;
  const status = el("p", { class: "sort-status", id: "sort-status", role: "status", "aria-live": "polite" });
  const help = el("p", { class: "visually-hidden", id: "sort-help" }, _("Enter or Space picks the card up; then 0 to 9 moves it to Unsorted or that section, the arrow keys move it, Enter puts it down, Escape puts it back. E edits, H hides, M merges, G groups the selected notes."));
  document.body.append(status, help);
  let sayTimer = null;
  ctx.say = (text, { alert = false } = {}) => {
    status.textContent = text.charAt(0).toUpperCase() + text.slice(1); // server messages start small
    status.classList.toggle("is-alert", alert);
    clearTimeout(sayTimer);
    sayTimer = setTimeout(() => (status.textContent = ""), SAY_MS);
  };

  const bar = document.querySelector(".facilitator-bar");
  ctx.toolbar = el("div", { class: "sort-tools", role: "group", "aria-label": _("Sorting the board") });
  if (bar) bar.append(ctx.toolbar);

  // The Facilitator menu (the other pages) closes like a menu: a click elsewhere, Escape.
  const menu = /** @type {HTMLDetailsElement | null} */ (document.getElementById("console-menu"));
  if (menu) {
    document.addEventListener("click", (event) => {
      if (menu.open && !menu.contains(/** @type {Node} */ (event.target))) menu.open = false;
    });
    menu.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || !menu.open) return;
      event.preventDefault();
      menu.open = false;
      menu.querySelector("summary").focus();
    });
  }

  // Side panels open below the console (console.css): where the console ends, kept current.
  const keepConsoleBottom = () => document.body.style.setProperty("--console-bottom", `${Math.round(board.getBoundingClientRect().top)}px`);
  // (The board fills the page below the rows: when a row grows or goes, the board's size
  // changes.)
  if (typeof ResizeObserver === "function") new ResizeObserver(keepConsoleBottom).observe(board);
  else addEventListener("resize", keepConsoleBottom);

  // Side panels (the plan, the log): one open at a time, over the right of the board.
  ctx.panels = [];
  ctx.addPanel = (panel, button, onOpen) => {
    panel.classList.add("side-panel");
    panel.hidden = true;
    document.body.append(panel);
    ctx.panels.push({ panel, button, onOpen });
    button.setAttribute("aria-expanded", "false");
    button.addEventListener("click", () => ctx.togglePanel(panel, panel.hidden));
  };
  ctx.togglePanel = (panel, open) => {
    keepConsoleBottom(); // the room's rows may have come or gone since
    for (const entry of ctx.panels) {
      const show = entry.panel === panel && open;
      entry.panel.hidden = !show;
      entry.button.setAttribute("aria-expanded", String(show));
      if (show && entry.onOpen) entry.onOpen();
    }
    document.body.classList.toggle("has-side-panel", open);
  };

  // -- the selection: notes (and groups) picked with a click, Shift+Enter or Enter ------------
  ctx.setSelection = (keys) => {
    ctx.selection = new Set(keys);
    showSelection();
  };
  ctx.toggleSelection = (key) => {
    if (ctx.selection.has(key)) ctx.selection.delete(key);
    else ctx.selection.add(key);
    showSelection();
    const count = ctx.selectedNotes().length;
    const selected = ngettext("{n} selected", "{n} selected", count);
    const how = _("Group them with G or “Group selected”.");
    ctx.say(count >= 2 ? `${selected}. ${how}` : selected);
  };
  ctx.selectedNotes = () =>
    [...ctx.selection].filter((key) => key.startsWith("note:")).map((key) => Number(key.slice(5))).filter((id) => notes.has(id));
  function showSelection() {
    for (const item of board.querySelectorAll(".is-selected")) item.classList.remove("is-selected");
    for (const key of ctx.selection) {
      const item = ctx.findItem(key);
      if (item) item.classList.add("is-selected");
    }
    bus.emit(TOPIC.selectionChanged);
  }

  board.addEventListener("click", (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    if (target.closest("button, select, input, textarea, a, label, .note-controls")) return;
    const item = target.closest(".note, .group");
    if (!item || !board.contains(item)) {
      if (ctx.selection.size && board.contains(target)) ctx.setSelection([]); // a click beside the cards
      return;
    }
    bus.emit(TOPIC.itemClick, { event, item }); // merging takes the click (moderation.js)
    if (event.defaultPrevented) return;
    const key = ctx.itemKey(item);
    if (event.shiftKey || event.ctrlKey || event.metaKey) ctx.toggleSelection(key);
    else ctx.setSelection(ctx.selection.size === 1 && ctx.selection.has(key) ? [] : [key]);
  });
}
