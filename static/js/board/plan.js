// @ts-check
// The plan's text, edited from the facilitator's board: each section's title and body (each
// save a revision, optionally naming the selected notes that prompted it), its revisions,
// and adding, reordering and removing sections (a removed section's notes go back to
// Unsorted). The board's columns follow through section.changed, which makes board.js fetch
// the state again.
import { bus, TOPIC } from "../core/bus.js";
import { el } from "../core/common.js";
import { _, formatNumber, formatTime, ngettext } from "../core/i18n.js";

// Who saved a revision, as the server records it.
const REVISED_BY = { facilitator: _("facilitator") };

/** @param {import("./sort.js").SortContext} ctx */
export function setupPlan(ctx) {
  const { code } = ctx;
  const cards = new Map(); // section id -> {root, title, body, saved: {title, body}, number}

  const button = el("button", { type: "button", class: "button small quiet", id: "plan-toggle" }, _("Plan"));
  ctx.toolbar.append(button);
  const panel = el("aside", { id: "plan-panel", "aria-label": _("The plan") });
  const close = el("button", { type: "button", class: "button small quiet panel-close", "aria-label": _("Close the plan") }, _("Close"));
  close.addEventListener("click", () => ctx.togglePanel(panel, false));
  const head = el("div", { class: "panel-head" });
  head.append(el("h2", {}, _("The plan")), close);
  const list = el("ol", { class: "plan-edit-list" });
  panel.append(head, el("p", { class: "panel-hint" }, _("Each save is kept as a revision. Select notes on the board first to record that they prompted a change.")), list, addForm());
  ctx.addPanel(panel, button, draw);

  bus.on(TOPIC.boardState, () => !panel.hidden && draw());
  bus.on(TOPIC.selectionChanged, () => !panel.hidden && showPrompted());

  function draw() {
    const sections = ctx.workshop().sections;
    const seen = new Set();
    sections.forEach((section, index) => {
      seen.add(section.id);
      const card = cards.get(section.id) || makeCard(section);
      cards.set(section.id, card);
      card.number.textContent = formatNumber(index + 1);
      card.up.setAttribute("aria-label", _("Move {section} up", { section: section.title }));
      card.down.setAttribute("aria-label", _("Move {section} down", { section: section.title }));
      card.up.disabled = index === 0;
      card.down.disabled = index === sections.length - 1;
      // Keep what the facilitator is typing; take the server's text otherwise.
      if (card.title.value === card.saved.title) card.title.value = section.title;
      if (card.body.value === card.saved.body) card.body.value = section.body || "";
      card.saved = { title: section.title, body: section.body || "" };
      card.section = section;
      list.append(card.root);
    });
    for (const [id, card] of cards) {
      if (!seen.has(id)) {
        card.root.remove();
        cards.delete(id);
      }
    }
    showPrompted();
  }

  function showPrompted() {
    const count = ctx.selectedNotes().length;
    for (const card of cards.values()) {
      card.promptedRow.hidden = count === 0;
      card.promptedText.textContent = ngettext("Prompted by the selected note", "Prompted by the {n} selected notes", count);
    }
  }

  function makeCard(section) {
    const root = el("li", { class: "plan-edit", "data-section-id": section.id });
    const number = el("span", { class: "number" });
    const title = el("input", { class: "plan-title", maxlength: "80", "aria-label": _("Title of section {section}", { section: section.title }) });
    const body = el("textarea", { class: "plan-body", rows: "4", "aria-label": _("Text of section {section}", { section: section.title }) });
    const prompted = el("input", { type: "checkbox", checked: true });
    const promptedText = el("span");
    const promptedRow = el("label", { class: "check-row plan-prompted", hidden: true });
    promptedRow.append(prompted, promptedText);
    const save = el("button", { type: "button", class: "button small primary" }, _("Save"));
    const up = el("button", { type: "button", class: "button small", "aria-label": _("Move {section} up", { section: section.title }) }, "↑");
    const down = el("button", { type: "button", class: "button small", "aria-label": _("Move {section} down", { section: section.title }) }, "↓");
    const history = el("button", { type: "button", class: "button small quiet", "aria-expanded": "false" }, _("Revisions"));
    const remove = el("button", { type: "button", class: "button small quiet danger" }, _("Remove…"));
    const revisions = el("ol", { class: "revision-list", hidden: true });
    const confirm = el("div", { class: "plan-confirm", hidden: true, role: "group" });
    const actions = el("div", { class: "plan-actions" });
    actions.append(save, up, down, history, remove);
    const header = el("div", { class: "plan-edit-head" });
    header.append(number, title);
    root.append(header, body, promptedRow, actions, confirm, revisions);
    const card = { root, number, title, body, prompted, promptedRow, promptedText, up, down, saved: { title: "", body: "" }, section };

    save.addEventListener("click", () => saveSection(card));
    up.addEventListener("click", () => moveSection(card, -1));
    down.addEventListener("click", () => moveSection(card, 1));
    history.addEventListener("click", () => toggleRevisions(card, history, revisions));
    remove.addEventListener("click", () => askRemove(card, confirm, remove));
    return card;
  }

  async function saveSection(card) {
    const change = { title: card.title.value, body: card.body.value };
    const prompted = ctx.selectedNotes();
    if (prompted.length && card.prompted.checked) change.note_ids = prompted;
    const section = await ctx.call("PATCH", `/api/sections/${card.section.id}`, change);
    if (!section) return;
    card.saved = { title: section.title, body: section.body || "" };
    card.title.value = section.title;
    card.body.value = section.body || "";
    ctx.say(
      change.note_ids
        ? _("Saved {section}, prompted by {count} note(s)", { section: section.title, count: formatNumber(change.note_ids.length) })
        : _("Saved {section}", { section: section.title }),
    );
  }

  async function moveSection(card, delta) {
    const index = ctx.workshop().sections.findIndex((s) => s.id === card.section.id) + delta;
    const moved = await ctx.call("POST", `/api/sections/${card.section.id}/move`, { index });
    if (moved) ctx.say(_("{section} is now section {number}", { section: card.section.title, number: formatNumber(index + 1) }));
  }

  async function toggleRevisions(card, button, list) {
    const open = list.hidden;
    button.setAttribute("aria-expanded", String(open));
    list.hidden = !open;
    if (!open) return;
    const revisions = await ctx.call("GET", `/api/sections/${card.section.id}/revisions`);
    if (!revisions) return;
    list.replaceChildren(
      ...revisions
        .slice()
        .reverse()
        .map((revision) => {
          const row = el("li");
          const by = REVISED_BY[revision.revised_by] || revision.revised_by;
          const meta = el("p", { class: "revision-meta" }, `${when(revision.revised_at)} · ${by}`);
          const prompted = revision.note_ids.map((id) => noteName(id)).join(", ");
          if (prompted) meta.append(" · ", _("prompted by {notes}", { notes: prompted }));
          row.append(meta, el("p", { class: "revision-title" }, revision.title), el("p", { class: "revision-body" }, revision.body || _("(no text)")));
          return row;
        }),
    );
  }

  function noteName(id) {
    const note = ctx.notes.get(id);
    if (!note || typeof note.text !== "string") return _("note {id}", { id });
    return `“${note.text.length > 40 ? `${note.text.slice(0, 39)}…` : note.text}”`;
  }

  function askRemove(card, confirm, remove) {
    const count = [...ctx.notes.values()].filter((n) => n.section_id === card.section.id).length;
    const yes = el("button", { type: "button", class: "button small danger-solid" }, _("Remove section"));
    const no = el("button", { type: "button", class: "button small" }, _("Keep it"));
    confirm.replaceChildren(
      el("p", {}, ngettext("Remove “{section}”? Its note goes back to Unsorted; undo brings the section back.", "Remove “{section}”? Its {n} notes go back to Unsorted; undo brings the section back.", count, { section: card.section.title })),
      yes,
      no,
    );
    confirm.hidden = false;
    remove.hidden = true;
    no.focus();
    const done = () => {
      confirm.hidden = true;
      remove.hidden = false;
    };
    no.addEventListener("click", () => {
      done();
      remove.focus();
    });
    yes.addEventListener("click", async () => {
      done();
      const removed = await ctx.call("DELETE", `/api/sections/${card.section.id}`);
      if (removed) ctx.say(_("Removed {section}; its notes are back in Unsorted", { section: removed.title }));
    });
  }

  function addForm() {
    const form = el("form", { class: "plan-add" });
    const title = el("input", { maxlength: "80", id: "new-section-title", required: true });
    const body = el("textarea", { rows: "3", id: "new-section-body" });
    form.append(
      el("h3", {}, _("Add a section")),
      el("label", { for: title.id }, _("Title")),
      title,
      el("label", { for: body.id }, _("Text (optional)")),
      body,
      el("button", { type: "submit", class: "button small primary" }, _("Add section")),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const section = await ctx.call("POST", `/api/workshops/${code}/sections`, { title: title.value, body: body.value });
      if (!section) return;
      form.reset();
      ctx.say(_("Added section {section}", { section: section.title }));
    });
    return form;
  }
}

function when(stamp) {
  const date = new Date(stamp);
  return Number.isNaN(date.getTime()) ? stamp : formatTime(date);
}
