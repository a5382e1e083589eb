// @ts-check
// The next steps on the board: each commitment with its owner, due date and the notes it
// answers, drawn as the facilitator writes them (next_step.changed carries the whole step).
// On the facilitator's board the view also holds a short form to write one: what, who, by
// when, and the notes it answers, picked by searching the board's notes.
import { bus, TOPIC } from "../core/bus.js";
import { el } from "../core/common.js";
import { _, LANG, ngettext } from "../core/i18n.js";

const PICKS_SHOWN = 8;

/** @param {import("../room/board-room.js").Room} room */
export function setupSteps(room) {
  const STATUS_TEXT = { planned: _("Planned"), considering: _("Considering"), declined: _("Not doing"), done: _("Done") };
  /** @type {Map<number, any>} */
  const steps = new Map();
  const list = el("ol", { class: "board-steps", id: "board-steps" });
  const empty = el("p", { class: "steps-empty" }, _("The facilitator is writing them down now."));
  const root = el("div", { class: "steps-view" });
  root.append(el("h2", {}, _("What we will do next")), empty, list);
  room.addView("steps", {
    label: _("Next steps"),
    root,
    available: () => true,
    update: draw,
  });
  const form = room.facilitator ? stepForm(room) : null;
  if (form) root.append(form);

  function dueText(due) {
    const date = new Date(`${due}T00:00:00Z`);
    if (Number.isNaN(date.getTime())) return due;
    return new Intl.DateTimeFormat(LANG, { dateStyle: "medium", timeZone: "UTC" }).format(date);
  }

  function draw() {
    const ordered = [...steps.values()].sort((a, b) => a.position - b.position || a.id - b.id);
    empty.hidden = ordered.length > 0;
    list.replaceChildren(
      ...ordered.map((step) => {
        const item = el("li", { class: `board-step status-${step.status}`, "data-step-id": step.id });
        const meta = el("p", { class: "step-meta" });
        meta.append(el("span", { class: "step-status" }, STATUS_TEXT[step.status] || step.status));
        if (step.owner) meta.append(el("span", { class: "step-owner" }, step.owner));
        if (step.due) meta.append(el("span", { class: "step-due" }, _("by {date}", { date: dueText(step.due) })));
        item.append(el("p", { class: "step-text" }, step.text), meta);
        // The notes it answers, as the room sees them (a hidden note is not on this board).
        const answered = step.note_ids.map((id) => room.notes.get(id)).filter((note) => note && typeof note.text === "string");
        if (answered.length) {
          const notes = el("ul", { class: "step-notes", "aria-label": ngettext("Answers {n} note", "Answers {n} notes", answered.length) });
          for (const note of answered) notes.append(el("li", { class: `step-note note-${note.color}` }, note.text));
          item.append(notes);
        }
        return item;
      }),
    );
  }

  async function load() {
    const data = await room.call("GET", `/api/workshops/${room.code}/next-steps`);
    if (!data) return;
    steps.clear();
    for (const step of data) steps.set(step.id, step);
    room.refresh();
  }
  bus.on(TOPIC.boardState, () => load());
  bus.on(TOPIC.nextStepChanged, (step) => {
    if (step.deleted) steps.delete(step.id);
    else steps.set(step.id, step);
  });
}

/** The facilitator's form: a next step, written on the console and shown as it is saved. */
function stepForm(room) {
  const form = el("form", { class: "step-form", id: "board-step-form", "aria-labelledby": "board-step-title" });
  form.append(el("h3", { id: "board-step-title" }, _("Write a next step")));
  const field = (name, label, attributes = {}) => {
    const input = el("input", { id: `board-step-${name}`, name, ...attributes });
    const wrap = el("label", { class: `step-field step-field-${name}`, for: input.id });
    wrap.append(el("span", {}, label), input);
    form.append(wrap);
    return input;
  };
  const text = field("text", _("What we will do"), { required: true, maxlength: 500, autocomplete: "off" });
  const owner = field("owner", _("Who"), { maxlength: 80, autocomplete: "off" });
  const due = field("due", _("By when"), { type: "date" });
  const search = field("search", _("The notes it answers"), { type: "search", placeholder: _("Search the notes"), autocomplete: "off" });
  const picks = el("ul", { class: "step-picks", "aria-label": _("Notes to link") });
  const chosen = new Set();
  const error = el("p", { class: "step-error", role: "alert" });
  const save = el("button", { type: "submit", class: "button primary" }, _("Add the next step"));
  form.append(picks, error, save);

  function drawPicks() {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    const shown = [...room.notes.values()]
      .filter((note) => typeof note.text === "string" && !note.hidden && !note.withdrawn && !note.merged_into)
      .filter((note) => chosen.has(note.id) || (words.length && words.every((w) => note.text.toLowerCase().includes(w))))
      .sort((a, b) => Number(chosen.has(b.id)) - Number(chosen.has(a.id)) || a.id - b.id)
      .slice(0, PICKS_SHOWN + chosen.size);
    picks.replaceChildren(
      ...shown.map((note) => {
        const box = el("input", { type: "checkbox", value: note.id, checked: chosen.has(note.id), id: `board-step-note-${note.id}` });
        box.addEventListener("change", () => (box.checked ? chosen.add(note.id) : chosen.delete(note.id)));
        const label = el("label", { for: box.id, class: "step-pick" });
        label.append(box, document.createTextNode(note.text));
        const item = el("li");
        item.append(label);
        return item;
      }),
    );
  }
  search.addEventListener("input", drawPicks);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const body = { text: text.value, owner: owner.value, due: due.value, note_ids: [...chosen] };
    const data = await room.call("POST", `/api/workshops/${room.code}/next-steps`, body);
    if (!data) {
      error.textContent = _("That next step was not saved.");
      return;
    }
    form.reset();
    chosen.clear();
    drawPicks();
    text.focus();
  });
  return form;
}
