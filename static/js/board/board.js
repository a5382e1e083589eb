// @ts-check
// The projected board: notes by plan section, live, readable across a room.
// The facilitator's board also shows hidden notes and can hide or move a note.
import { bus, TOPIC } from "../core/bus.js";
import { allowedNow, api, el, pageData, phaseText } from "../core/common.js";
import { _, formatNumber, ngettext } from "../core/i18n.js";
import { liveConnection } from "../core/live.js";
import { setupRoom } from "../room/board-room.js";
import { projectionFrozen } from "../room/projection.js";
import { boardFitter } from "./fit.js";
import { photoThumb, showChannelCounts, sourceLabel } from "./source.js";
import { setupSorting } from "./sort.js";

const DATA = pageData();
const CODE = DATA.workshop.code;
const FACILITATOR = DATA.facilitator;
const UNSORTED = "unsorted";

const board = document.getElementById("board");
const phaseBanner = document.getElementById("phase");
const connection = document.getElementById("connection");
// The room's screen cannot scroll: it fits every note it may see (fit.js). The facilitator's
// board scrolls, and keeps its own text size (view.js).
const fitter = FACILITATOR ? null : boardFitter(board);

/** @type {import("../core/types.js").Workshop} */
let workshop = DATA.workshop;
/** @type {Map<number, import("../core/types.js").Note>} */
const notes = new Map(); // id -> note
const fresh = new Set(); // ids of notes that just arrived, drawn with a short animation
let renderQueued = false;
let synced = false; // the state has been fetched once
let heldSince = 0; // when a render started waiting for the facilitator to finish choosing
const HOLD_MS = 4000; // ...but a projected board never freezes for longer than this
// This module applies the server's events to the notes first (it subscribes before the
// parts it sets up); then the room (phases, tallies, timer, card sort, plan check:
// room/board-room.js) and the sorting follow the same events on the bus.
bus.on(TOPIC.noteCreated, (note) => {
  fresh.add(note.id);
  upsert(note);
});
bus.on(TOPIC.noteUpdated, (note) => upsert(note));
bus.on(TOPIC.noteDeleted, (payload) => {
  notes.delete(payload.id);
  scheduleRender();
});
bus.on(TOPIC.phaseChanged, (payload) => showPhase(payload.phase));
bus.on(TOPIC.sectionChanged, () => bus.emit(TOPIC.resync));
bus.on(TOPIC.projectionShown, () => scheduleRender()); // it drew nothing while frozen
bus.on(TOPIC.presence, (payload) => {
  document.getElementById("count-phones").textContent = formatNumber(payload.phones);
});
setupRoom();

// Groups (every board); drag and drop, the keyboard path, moderation and the plan (the
// facilitator's): sort.js, through the calls marked "sorting." below.
const sorting = setupSorting({
  board, notes, facilitator: FACILITATOR, code: CODE, workshop: () => workshop, render: () => scheduleRender(),
});

// -- layout --------------------------------------------------------------------------
// The more notes on screen, the smaller each is drawn (see .board[data-density] in app.css).
function density(count) {
  if (count > 150) return "tight";
  return count > 48 ? "compact" : "roomy";
}

function columnKey(note) {
  return note.section_id === null ? UNSORTED : String(note.section_id);
}

function visibleNotes() {
  // A blind note ({id, blind: true}, blind writing) is only counted (room/board-room.js), never drawn.
  return [...notes.values()].filter((note) => (FACILITATOR || !note.hidden) && !note.blind);
}

function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    render();
  });
}

// A re-render replaces the notes; do not do that under an open "move to" list, unless the
// facilitator has left it focused for a while (the room must keep seeing new notes).
function choosing() {
  const active = document.activeElement;
  return active instanceof HTMLSelectElement && board.contains(active);
}

function holdRender() {
  if (projectionFrozen()) return true; // the projector keeps its picture (room/projection.js)
  if (sorting.holding()) return true; // a drag, or a move the server has not answered yet
  if (!choosing()) return false;
  if (!heldSince) {
    heldSince = Date.now();
    setTimeout(scheduleRender, HOLD_MS);
  }
  return Date.now() - heldSince < HOLD_MS;
}

function render() {
  if (holdRender()) return;
  heldSince = 0;
  const shown = visibleNotes();
  /** @type {Map<string, import("../core/types.js").Note[]>} */
  const byColumn = new Map([[UNSORTED, []], ...workshop.sections.map((s) => /** @type {[string, []]} */ ([String(s.id), []]))]);
  for (const note of shown) (byColumn.get(columnKey(note)) || byColumn.get(UNSORTED)).push(note);
  for (const [key, list] of byColumn) {
    // The pile shows the newest first, so the room sees each note arrive; sections keep
    // the facilitator's order.
    if (key === UNSORTED) list.sort((a, b) => b.id - a.id);
    else list.sort((a, b) => a.position - b.position || a.id - b.id);
  }

  /** @type {Array<{key: string, number: number | "", title: string}>} */
  const unsorted = [{ key: UNSORTED, number: "", title: _("Unsorted") }];
  const columns = unsorted.concat(
    workshop.sections.map((s, index) => ({ key: String(s.id), number: index + 1, title: s.title })),
  );
  const scrolled = new Map(
    [...board.querySelectorAll(".column")].map((c) => [c.dataset.column, c.lastElementChild.scrollTop]),
  );
  // Drawn whole, then put in place keeping every card that did not change (morph.js).
  sorting.replaceColumns(columns.map((column) => renderColumn(column, byColumn.get(column.key))));
  for (const column of board.querySelectorAll(".column")) {
    column.lastElementChild.scrollTop = scrolled.get(column.dataset.column) || 0;
  }
  board.dataset.density = density(shown.length);
  document.getElementById("count-notes").textContent = formatNumber([...notes.values()].filter((n) => !n.hidden && !n.withdrawn).length);
  showChannelCounts([...notes.values()].filter((n) => !n.withdrawn));
  sorting.afterRender();
  if (fitter) fitter.fit();
  // The first drawing of the fetched state shows the page (fit.css): until then nothing of
  // it is painted, so nothing is seen to move as it loads (Lighthouse's CLS).
  if (synced) document.body.dataset.drawn = "true";
  pointAtNote();
}

// A link to one note (a scribe's "this may be a duplicate of …": /w/<code>/board#note-<id>)
// marks that note and brings it into view, once.
let pointedAt = null;
function pointAtNote() {
  const match = /^#note-(\d+)$/.exec(location.hash);
  const item = match && board.querySelector(`.note[data-note-id="${match[1]}"]`);
  if (!item) return;
  item.classList.add("is-pointed");
  if (pointedAt === match[1]) return;
  pointedAt = match[1];
  item.scrollIntoView({ block: "center", inline: "center" });
}
if (fitter) addEventListener("resize", () => scheduleRender());

function renderColumn(column, list) {
  const section = el("section", {
    class: `column${list.length ? "" : " is-empty"}${column.key === UNSORTED ? " is-unsorted" : ""}`,
    "data-column": column.key,
    // A section sign's QR code opens the board at its section (/w/<code>/board#section-<id>).
    id: column.key === UNSORTED ? undefined : `section-${column.key}`,
    "aria-label": ngettext("{title}: {n} note", "{title}: {n} notes", list.length, { title: column.title }),
  });
  // Busier columns get more room; empty ones shrink to a narrow lane (min-width in app.css).
  section.style.flexGrow = String(2 + list.length);
  const heading = el("h2", { class: "column-title" });
  if (column.number) heading.append(el("span", { class: "number" }, String(column.number)));
  heading.append(el("span", { class: "label" }, column.title), el("span", { class: "tally" }, formatNumber(list.length)));
  section.append(heading);

  const body = el("div", { class: "column-notes" });
  if (column.key === UNSORTED) renderPile(body, list);
  else if (list.length) body.append(noteList(list, column.key));
  section.append(body);
  return section;
}

// The unsorted pile: one group per question, side by side when there is room.
function renderPile(body, list) {
  if (!list.length) {
    // Only while the room is writing, and in a few words: the join code is in the header.
    if (allowedNow(workshop).write) body.append(el("p", { class: "empty-pile" }, _("Notes appear here the moment they are sent.")));
    return;
  }
  /** @type {Map<number | "other", import("../core/types.js").Note[]>} */
  const groups = new Map(workshop.prompts.map((p) => [p.id, []]));
  groups.set("other", []);
  for (const note of list) (groups.get(sorting.pileKey(note)) || groups.get("other")).push(note);
  const filled = [...groups].filter(([, group]) => group.length);
  body.classList.toggle("by-prompt", filled.length > 1);
  for (const [key, group] of filled) {
    const block = el("section", { class: "prompt-group" });
    const prompt = workshop.prompts.find((p) => p.id === key);
    if (prompt) block.append(el("h3", { class: "prompt-heading" }, prompt.text));
    else if (filled.length > 1) block.append(el("h3", { class: "prompt-heading" }, _("Other notes")));
    block.append(noteList(group));
    body.append(block);
  }
}

function noteList(list, key = UNSORTED) {
  return sorting.noteList(list, renderNote, key); // groups drawn around their notes
}

function renderNote(note) {
  const item = el("li", { class: `note note-${note.color}`, "data-note-id": note.id });
  if (note.hidden) item.classList.add("is-hidden");
  if (note.withdrawn) item.classList.add("is-withdrawn");
  if (fresh.delete(note.id)) item.classList.add("is-new");
  const text = el("p", { class: "note-text" }, note.text);
  if (note.text.length > 140) text.title = note.text; // long notes are clamped when the board is busy
  item.append(text);
  // The handwritten card, photographed; until a scribe types it, its photo is the note,
  // shown large enough to read from the room.
  if (note.photo) item.append(photoThumb(note));
  if (note.awaiting_text && note.photo) item.classList.add("is-awaiting");
  const meta = el("p", { class: "note-meta" });
  if (note.author_label) meta.append(el("span", { class: "author" }, note.author_label));
  // Phones that said "me too" instead of writing it again (null while tallies are hidden).
  if (note.plus_ones) {
    const label = ngettext("{n} person said +1", "{n} people said +1", note.plus_ones);
    meta.append(el("span", { class: "plus-ones", "aria-label": label, title: label }, `+${formatNumber(note.plus_ones)}`));
  }
  meta.append(sourceLabel(note)); // phone, paper card, facilitator or online (source.js)
  if (note.hidden) meta.append(el("span", { class: "source hidden-flag" }, _("hidden")));
  if (note.withdrawn) meta.append(el("span", { class: "source withdrawn-flag" }, _("withdrawn by its author")));
  // Its words changed after posting; the facilitator's board has a button for the history.
  if (note.edited && !FACILITATOR) meta.append(el("span", { class: "source edited-mark" }, _("edited")));
  if (meta.childNodes.length) item.append(meta);
  // The controls are made when the pointer or the focus first reaches the note: 500 notes
  // with a select each would make every redraw of a big board slow (sort.js). A withdrawn
  // note stays where it was, for the record only.
  if (FACILITATOR && !note.withdrawn) sorting.controlsOnDemand(item, () => noteControls(note));
  sorting.decorateNote(item, note);
  return item;
}

function noteControls(note) {
  const controls = el("div", { class: "note-controls" });
  const move = el("select", { "aria-label": _("Move note {id} to a section", { id: note.id }) });
  move.append(el("option", { value: "" }, _("Unsorted")));
  workshop.sections.forEach((s, index) => {
    move.append(el("option", { value: s.id, selected: s.id === note.section_id }, `${formatNumber(index + 1)}. ${s.title}`));
  });
  move.addEventListener("change", () => {
    const value = move.value ? Number(move.value) : null;
    move.blur();
    change(note.id, { section_id: value });
  });
  const hide = el("button", { type: "button", class: "button small" }, note.hidden ? _("Show") : _("Hide"));
  hide.addEventListener("click", () => change(note.id, { hidden: !note.hidden }));
  controls.append(move, hide);
  return controls;
}

board.addEventListener("focusout", () => {
  if (heldSince) scheduleRender();
});

async function change(id, fields) {
  try {
    const { data } = await api("PATCH", `/api/notes/${id}`, fields);
    upsert(data);
  } catch (error) {
    setConnection(error.message || _("That change did not go through."));
  }
}

// -- live updates --------------------------------------------------------------------
function upsert(note) {
  // A public view of a hidden or withdrawn note, or a note merged into another: off the board.
  if (((note.hidden || note.withdrawn) && note.text === undefined) || note.merged_into) notes.delete(note.id);
  else notes.set(note.id, note);
  scheduleRender();
}

function showPhase(phase) {
  phaseBanner.dataset.phase = phase;
  phaseBanner.textContent = phaseText(phase);
  const select = /** @type {HTMLSelectElement} */ (document.getElementById("phase-select"));
  if (select) select.value = phase;
}

function setConnection(message) {
  connection.textContent = message;
}

async function resync() {
  const { data } = await api("GET", `/api/workshops/${CODE}/state`);
  workshop = data.workshop;
  notes.clear();
  data.notes.forEach((note) => notes.set(note.id, note));
  bus.emit(TOPIC.boardState, data);
  showPhase(workshop.phase);
  synced = true;
  scheduleRender();
  return data.seq;
}

const live = liveConnection({
  code: CODE,
  view: "board",
  protocol: DATA.protocol,
  resync,
  onStatus: (state) => setConnection(state === "online" ? "" : _("Reconnecting…")),
});

const phaseSelect = /** @type {HTMLSelectElement} */ (document.getElementById("phase-select"));
if (phaseSelect) {
  phaseSelect.addEventListener("change", async () => {
    try {
      await api("PUT", `/api/workshops/${CODE}/phase`, { phase: phaseSelect.value });
    } catch (error) {
      setConnection(error.message);
    }
  });
}

showPhase(workshop.phase);
render();
live.sync();
