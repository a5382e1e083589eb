// The projected board: notes by plan section, live, readable across a room.
// The facilitator's board also shows hidden notes and can hide or move a note.
import { api, el, liveConnection, pageData, PHASE_TEXT } from "./common.js";

const DATA = pageData();
const CODE = DATA.workshop.code;
const FACILITATOR = DATA.facilitator;
const UNSORTED = "unsorted";

const board = document.getElementById("board");
const phaseBanner = document.getElementById("phase");
const connection = document.getElementById("connection");

let workshop = DATA.workshop;
const notes = new Map(); // id -> note
const fresh = new Set(); // ids of notes that just arrived, drawn with a short animation
let renderQueued = false;

// -- layout --------------------------------------------------------------------------
function columnKey(note) {
  return note.section_id === null ? UNSORTED : String(note.section_id);
}

function promptText(id) {
  const prompt = workshop.prompts.find((p) => p.id === id);
  return prompt ? prompt.text : null;
}

function visibleNotes() {
  return [...notes.values()].filter((note) => FACILITATOR || !note.hidden);
}

function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    render();
  });
}

function render() {
  const shown = visibleNotes();
  const byColumn = new Map([[UNSORTED, []], ...workshop.sections.map((s) => [String(s.id), []])]);
  for (const note of shown) (byColumn.get(columnKey(note)) || byColumn.get(UNSORTED)).push(note);
  for (const list of byColumn.values()) list.sort((a, b) => a.position - b.position || a.id - b.id);

  const columns = [{ key: UNSORTED, number: "", title: "Unsorted" }].concat(
    workshop.sections.map((s, index) => ({ key: String(s.id), number: index + 1, title: s.title })),
  );
  board.replaceChildren(...columns.map((column) => renderColumn(column, byColumn.get(column.key))));
  board.dataset.density = shown.length > 150 ? "tight" : shown.length > 48 ? "compact" : "roomy";
  document.getElementById("count-notes").textContent = shown.filter((n) => !n.hidden).length;
}

function renderColumn(column, list) {
  const section = el("section", { class: "column", "data-column": column.key, "aria-label": column.title });
  // Columns with more notes get more room, so a busy Unsorted pile stays readable.
  section.style.flexGrow = String(2 + list.length);
  const heading = el("h2", { class: "column-title" });
  if (column.number) heading.append(el("span", { class: "number" }, String(column.number)));
  heading.append(el("span", {}, column.title), el("span", { class: "tally" }, String(list.length)));
  section.append(heading);

  const body = el("div", { class: "column-notes" });
  if (column.key === UNSORTED) {
    // In the pile, notes stand under the question they answer.
    const byPrompt = new Map();
    for (const note of list) {
      const key = note.prompt_id ?? "none";
      if (!byPrompt.has(key)) byPrompt.set(key, []);
      byPrompt.get(key).push(note);
    }
    for (const [key, group] of byPrompt) {
      if (key !== "none" && promptText(key)) body.append(el("h3", { class: "prompt-heading" }, promptText(key)));
      const grid = el("ol", { class: "notes" });
      group.forEach((note) => grid.append(renderNote(note)));
      body.append(grid);
    }
  } else {
    const grid = el("ol", { class: "notes" });
    list.forEach((note) => grid.append(renderNote(note)));
    body.append(grid);
  }
  section.append(body);
  return section;
}

function renderNote(note) {
  const item = el("li", { class: `note note-${note.color}`, "data-note-id": note.id });
  if (note.hidden) item.classList.add("is-hidden");
  if (fresh.delete(note.id)) item.classList.add("is-new");
  item.append(el("p", { class: "note-text" }, note.text));
  const meta = el("p", { class: "note-meta" });
  if (note.author_label) meta.append(el("span", { class: "author" }, note.author_label));
  if (note.source === "paper") meta.append(el("span", { class: "source" }, "paper card"));
  if (note.hidden) meta.append(el("span", { class: "source" }, "hidden"));
  if (meta.childNodes.length) item.append(meta);
  if (FACILITATOR) item.append(noteControls(note));
  return item;
}

function noteControls(note) {
  const controls = el("div", { class: "note-controls" });
  const move = el("select", { "aria-label": `Move note ${note.id} to a section` });
  move.append(el("option", { value: "" }, "Unsorted"));
  workshop.sections.forEach((s, index) => {
    move.append(el("option", { value: s.id, selected: s.id === note.section_id }, `${index + 1}. ${s.title}`));
  });
  move.addEventListener("change", () => {
    const value = move.value ? Number(move.value) : null;
    change(note.id, { section_id: value });
  });
  const hide = el("button", { type: "button", class: "button quiet small" }, note.hidden ? "Show" : "Hide");
  hide.addEventListener("click", () => change(note.id, { hidden: !note.hidden }));
  controls.append(move, hide);
  return controls;
}

async function change(id, fields) {
  try {
    const { data } = await api("PATCH", `/api/notes/${id}`, fields);
    upsert(data);
  } catch (error) {
    setConnection(error.message || "That change did not go through.");
  }
}

// -- live updates --------------------------------------------------------------------
function upsert(note) {
  if (note.hidden && note.text === undefined) notes.delete(note.id); // public view of a hidden note
  else notes.set(note.id, note);
  scheduleRender();
}

function showPhase(phase) {
  phaseBanner.dataset.phase = phase;
  phaseBanner.textContent = PHASE_TEXT[phase] || phase;
  const select = document.getElementById("phase-select");
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
  showPhase(workshop.phase);
  scheduleRender();
  return data.seq;
}

const events = DATA.protocol.events;
const live = liveConnection({
  code: CODE,
  view: "board",
  protocol: DATA.protocol,
  resync,
  onStatus: (state) => setConnection(state === "online" ? "" : "Reconnecting…"),
  handlers: {
    [events.noteCreated]: (note) => {
      fresh.add(note.id);
      upsert(note);
    },
    [events.noteUpdated]: upsert,
    [events.noteDeleted]: (payload) => {
      notes.delete(payload.id);
      scheduleRender();
    },
    [events.phaseChanged]: (payload) => showPhase(payload.phase),
    [events.sectionChanged]: () => live.sync(),
    [events.presence]: (payload) => {
      document.getElementById("count-phones").textContent = payload.phones;
    },
  },
});

const phaseSelect = document.getElementById("phase-select");
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
