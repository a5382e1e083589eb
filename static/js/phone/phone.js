// @ts-check
// The attendee's phone: read the plan, write notes, see each one confirmed.
// Unsent notes live in localStorage until the server has stored them, so a dropped
// connection or a reload loses nothing; each carries a client_id, so a resend is never a
// second note.
import { bus, TOPIC } from "../core/bus.js";
import { api, ApiError, newClientId, pageData, phaseText } from "../core/common.js";
import { _, formatNumber } from "../core/i18n.js";
import { liveConnection } from "../core/live.js";
import { setupPhoneRoom } from "../room/phone-room.js";
import { setupPhoneSimilar } from "../suggestions/phone-similar.js";

const DATA = pageData();
const WORKSHOP = DATA.workshop;
const CODE = WORKSHOP.code;
const OUTBOX_KEY = `workshop:${CODE}:outbox`;
const MAX_BACKOFF_MS = 15000;

const form = /** @type {HTMLFormElement} */ (document.getElementById("note-form"));
const textInput = /** @type {HTMLTextAreaElement} */ (document.getElementById("note-text"));
// The question this note answers: the only one (a hidden field), or the one tapped (none
// is chosen for the attendee: a note sent without choosing is just a note, in Unsorted).
function chosenAbout() {
  const only = /** @type {HTMLInputElement} */ (document.getElementById("about-only"));
  if (only) return only.value;
  const checked = /** @type {HTMLInputElement} */ (form.querySelector("input[name=about]:checked"));
  return checked ? checked.value : "";
}
const counter = document.getElementById("note-count");
const formError = document.getElementById("note-error");
const list = document.getElementById("my-notes");
const emptyHint = document.getElementById("mine-empty");
const template = /** @type {HTMLTemplateElement} */ (document.getElementById("my-note-template"));
const connection = document.getElementById("connection");
const phaseBanner = document.getElementById("phase");
const sendStatus = document.getElementById("send-status");
const mineCount = document.getElementById("mine-count");

// This module applies the server's events to this phone's own notes first; then the room
// (what each phase needs: the vote, the card sort, the plan check…: room/phone-room.js)
// follows the same events on the bus.
bus.on(TOPIC.noteUpdated, (note) => applyNote(note));
bus.on(TOPIC.noteCreated, (note) => applyNote(note));
bus.on(TOPIC.noteDeleted, (payload) => {
  if (stored.delete(payload.id)) render();
});
bus.on(TOPIC.phaseChanged, (payload) => {
  showPhase(payload.phase);
  refreshSoon();
});
bus.on(TOPIC.votesChanged, (payload) => applyVotes(payload));
// A dot on a group counts for its notes: any of ours in it is fixed from then on.
// (Merges and next steps arrive as note.updated for each note they touch.)
bus.on(TOPIC.groupChanged, (payload) => {
  if ((payload.note_ids || []).some((id) => stored.has(id))) refreshSoon();
});
bus.on(TOPIC.workshopChanged, () => stored.size && refreshSoon()); // the online feedback window
const room = setupPhoneRoom();
// "+1 this instead?": the notes on the board like the one being typed.
const similar = setupPhoneSimilar(room, textInput);

let outbox = loadOutbox(); // [{client_id, text, prompt_id, section_id, color, error?}]
let stored = new Map(); // note id -> note, as the server holds it
let joined = false;
let draining = false;
let backoff = 1000;
let retryTimer = null;
let throttled = false; // the server asked this phone to slow down (429); it resends by itself
let lastSent = null; // client_id of the note sent last: its fate shows under the Send button
let editing = null; // {id, draft, error} while the attendee corrects one of their notes
const refusals = new Map(); // note id -> why the server refused to withdraw it (a 409)
let refreshTimer = null;

function loadOutbox() {
  try {
    return JSON.parse(localStorage.getItem(OUTBOX_KEY)) || [];
  } catch {
    return [];
  }
}

function saveOutbox() {
  localStorage.setItem(OUTBOX_KEY, JSON.stringify(outbox));
}

// -- writing -------------------------------------------------------------------------
// The colour choices are in the page itself, so the form also works without JavaScript.

function updateCounter() {
  const max = WORKSHOP.settings.note_max_length;
  counter.textContent = `${formatNumber(textInput.value.length)} / ${formatNumber(max)}`;
  counter.classList.toggle("is-near", textInput.value.length > max - 20);
}

function showFormError(message) {
  formError.textContent = message;
  formError.hidden = !message;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = textInput.value.trim();
  if (!text) {
    showFormError(_("Write something first."));
    textInput.focus();
    return;
  }
  showFormError("");
  const [kind, id] = chosenAbout().split(":");
  lastSent = newClientId();
  outbox.push({
    client_id: lastSent,
    text,
    prompt_id: kind === "prompt" ? Number(id) : null,
    section_id: kind === "section" ? Number(id) : null,
    color: /** @type {RadioNodeList} */ (form.elements.namedItem("color")).value || DATA.colors[0],
  });
  saveOutbox();
  textInput.value = "";
  similar.clear();
  // The next note starts without a question chosen: it is never filed by yesterday's tap.
  for (const radio of form.querySelectorAll("input[name=about]:checked")) /** @type {HTMLInputElement} */ (radio).checked = false;
  updateCounter();
  render();
  drain();
});

// -- sending -------------------------------------------------------------------------
async function ensureJoined() {
  if (joined) return;
  await api("POST", `/api/workshops/${CODE}/join`, {});
  joined = true;
}

function scheduleRetry(delay) {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(drain, delay);
}

async function drain() {
  if (draining) return;
  draining = true;
  try {
    await ensureJoined();
    while (outbox.some((item) => !item.error)) {
      const item = outbox.find((entry) => !entry.error);
      const { prompt_id, section_id, text, color, client_id } = item;
      try {
        const { data } = await api("POST", `/api/workshops/${CODE}/notes`, {
          text, client_id, color, prompt_id, section_id,
        });
        stored.set(data.id, { ...data, client_id });
        outbox = outbox.filter((entry) => entry.client_id !== client_id);
      } catch (error) {
        if (!(error instanceof ApiError) || error.status >= 500) throw error;
        if (error.status === 429) {
          throttled = true;
          scheduleRetry(Math.max(1000, error.retryAfter * 1000));
          return;
        }
        if (error.status === 409 && !textInput.value.trim()) {
          // Writing closed in this phase: the text goes back into the form, with the reason
          // (a second one waiting stays below as "Not sent", to revise later: nothing is lost).
          outbox = outbox.filter((entry) => entry !== item);
          textInput.value = text;
          updateCounter();
          showFormError(error.message);
          continue;
        }
        item.error = error.message; // refused: keep it visible, do not resend
      }
      saveOutbox();
      render();
    }
    backoff = 1000;
    throttled = false;
    setConnection("online");
  } catch (error) {
    // Offline or the laptop restarting: keep everything and try again later.
    setConnection("offline");
    scheduleRetry(backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  } finally {
    draining = false;
    saveOutbox();
    render();
  }
}

window.addEventListener("online", () => {
  backoff = 1000;
  drain();
});

// -- your notes ----------------------------------------------------------------------
function sectionTitle(id) {
  const section = WORKSHOP.sections.find((s) => s.id === id);
  return section ? section.title : null;
}

function statusOf(note) {
  if (note.hidden) return _("Hidden by the facilitator");
  const section = sectionTitle(note.section_id);
  if (note.sorted && section) return _("received ✓ — placed in {section}", { section });
  if (section) return _("received ✓ — in {section}", { section });
  return _("received ✓");
}

// Newest first: the note just sent is the one the attendee looks for.
function render() {
  list.replaceChildren();
  const notes = [...stored.values()].sort((a, b) => b.id - a.id);
  const storedIds = new Set(notes.map((note) => note.client_id));
  const pending = outbox.filter((item) => !storedIds.has(item.client_id)); // else stored, answer lost
  for (const item of [...pending].reverse()) {
    const status = item.error ? _("Not sent: {reason}", { reason: item.error }) : _("sending…");
    list.append(noteItem(item.text, status, null, item));
  }
  for (const note of notes) list.append(noteItem(note.text ?? "", statusOf(note), note));
  const total = notes.length + pending.length;
  emptyHint.hidden = total > 0;
  mineCount.textContent = total ? `(${formatNumber(total)})` : "";
  renderSendStatus(notes, pending);
}

function renderSendStatus(notes, pending) {
  const waiting = pending.find((item) => item.client_id === lastSent);
  const done = notes.find((note) => note.client_id === lastSent);
  let text = "";
  let state = "";
  if (waiting && waiting.error) [text, state] = [_("Not sent: {reason}", { reason: waiting.error }), "is-failed"];
  else if (waiting && !navigator.onLine) text = _("Sending… (kept on this phone until you are online)");
  else if (waiting && throttled) text = _("Sending… that was quick! The rest follow in a few seconds.");
  else if (waiting) text = _("Sending…");
  else if (done) [text, state] = [_("Received ✓ — it is on the board. Add another?"), "is-received"];
  sendStatus.textContent = text;
  sendStatus.className = `send-status ${state}`.trim();
}

function noteItem(text, status, note, pending) {
  const item = /** @type {HTMLElement} */ (template.content.firstElementChild.cloneNode(true));
  item.querySelector(".text").textContent = text;
  const statusLine = item.querySelector(".status");
  statusLine.textContent = status;
  item.classList.add(pending ? (pending.error ? "is-failed" : "is-sending") : "is-received");
  item.classList.add(`note-${(note || pending).color || DATA.colors[0]}`);
  if (note) item.dataset.noteId = note.id;
  if (note && editing && editing.id === note.id) openEditor(item, note);
  const edit = item.querySelector(".edit");
  const remove = item.querySelector(".delete");
  // The server says whether the author may still change the note (GET …/me: editable, and
  // locked_message why not); a note just posted has not been acted on yet.
  const editable = note && note.editable !== false && !note.sorted && !note.hidden;
  const refused = Boolean(pending && pending.error);
  edit.hidden = !(editable || refused);
  remove.hidden = !(editable || refused);
  const locked = item.querySelector(".locked");
  const why = note && (refusals.get(note.id) || (note.editable === false && note.locked_message));
  locked.textContent = why || "";
  locked.hidden = !why;
  edit.addEventListener("click", () => {
    if (refused) return reviseRefused(pending);
    editing = { id: note.id, draft: note.text };
    render();
  });
  remove.addEventListener("click", () => (note ? deleteNote(note) : dropPending(pending)));
  edit.setAttribute("aria-label", _("Edit note: {text}", { text: text.slice(0, 40) }));
  remove.setAttribute("aria-label", _("Withdraw note: {text}", { text: text.slice(0, 40) }));
  return item;
}

// Correcting a note happens in place; the draft survives re-renders from live updates.
function openEditor(item, note) {
  const editor = item.querySelector(".editor");
  const field = editor.querySelector("textarea");
  const fieldId = `edit-${note.id}`;
  editor.querySelector("label").setAttribute("for", fieldId);
  field.id = fieldId;
  field.maxLength = WORKSHOP.settings.note_max_length;
  field.value = editing.draft;
  const problem = editor.querySelector(".edit-error");
  problem.textContent = editing.error || "";
  problem.hidden = !editing.error;
  field.addEventListener("input", () => (editing.draft = field.value));
  editor.querySelector(".cancel").addEventListener("click", () => {
    editing = null;
    render();
  });
  editor.addEventListener("submit", (event) => {
    event.preventDefault();
    saveEdit(note, field.value);
  });
  editor.hidden = false;
  item.querySelector(".text").hidden = true;
  item.querySelector(".footer").hidden = true;
  requestAnimationFrame(() => field.isConnected && document.activeElement !== field && field.focus());
}

async function saveEdit(note, text) {
  try {
    if (text.trim() !== note.text) {
      const { data } = await api("PATCH", `/api/notes/${note.id}`, { text });
      stored.set(data.id, { ...stored.get(data.id), ...data });
    }
    editing = null;
  } catch (error) {
    editing.error = error instanceof ApiError ? error.message : _("No connection. Try again in a moment.");
    if (error instanceof ApiError && error.status === 409) refreshSoon(); // the room acted first
  }
  render();
}

async function deleteNote(note) {
  if (!window.confirm(_("Withdraw this note? It leaves the board; the record keeps that you withdrew it."))) return;
  try {
    await api("DELETE", `/api/notes/${note.id}`);
    stored.delete(note.id);
    if (editing && editing.id === note.id) editing = null;
    render();
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 409)) return alertProblem(error);
    refusals.set(note.id, error.message); // the room acted on it first: say why, by the note
    render();
    refreshSoon();
  }
}

// Whether each note may still change moves with the room (a dot, a merge, a next step, the
// phase): fetch this phone's notes again soon after any such event, once for a burst.
function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(async () => {
    try {
      const { data } = await api("GET", `/api/workshops/${CODE}/me`);
      stored = new Map(data.notes.map((note) => [note.id, note]));
      refusals.clear();
      render();
    } catch {
      // offline: the next event or resync tries again
    }
  }, 150);
}

// A note the server refused (too long, say) goes back into the form to be fixed and sent again.
function reviseRefused(pending) {
  textInput.value = pending.text;
  updateCounter();
  dropPending(pending);
  textInput.focus();
}

function dropPending(pending) {
  outbox = outbox.filter((entry) => entry !== pending);
  saveOutbox();
  render();
}

function alertProblem(error) {
  showFormError(error instanceof ApiError ? error.message : _("No connection. Try again in a moment."));
}

// -- the room ------------------------------------------------------------------------
function setConnection(state) {
  const offline = state === "offline";
  connection.hidden = !offline;
  connection.textContent = offline ? _("No connection — your notes are kept and will be sent.") : "";
}

function showPhase(phase) {
  phaseBanner.dataset.phase = phase;
  phaseBanner.textContent = phaseText(phase);
}

function applyNote(payload) {
  if (!stored.has(payload.id)) return; // only this phone's own notes are shown
  if (payload.withdrawn) stored.delete(payload.id);
  else stored.set(payload.id, { ...stored.get(payload.id), ...payload });
  render();
  refreshSoon();
}

function applyVotes(payload) {
  if (stored.has(payload.note_id)) refreshSoon();
}

async function resync() {
  const { data } = await api("GET", `/api/workshops/${CODE}/me`);
  joined = joined || data.attendee !== null;
  stored = new Map(data.notes.map((note) => [note.id, note]));
  if (data.attendee && data.attendee.name) /** @type {HTMLInputElement} */ (document.getElementById("name")).value = data.attendee.name;
  showPhase(data.phase);
  render();
  return data.seq;
}

const live = liveConnection({
  code: CODE,
  view: "phone",
  protocol: DATA.protocol,
  resync,
  onStatus: (state) => {
    if (state === "online") drain();
    else setConnection("offline");
  },
});

document.getElementById("name-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const status = document.getElementById("name-status");
  try {
    const name = /** @type {HTMLInputElement} */ (document.getElementById("name")).value;
    await api("POST", `/api/workshops/${CODE}/join`, { name });
    joined = true;
    status.textContent = name.trim() ? _("Saved.") : _("You are anonymous.");
  } catch (error) {
    status.textContent = error instanceof ApiError ? error.message : _("No connection. Try again.");
  }
});

textInput.addEventListener("input", updateCounter);
showPhase(WORKSHOP.phase);
render();
live.sync().then(drain);
// From here the form is handled by this script (notes wait in the outbox until the socket is
// up); bench/pages.py times "interactive" to this mark and "live" to data-live="online".
document.body.dataset.ready = "true";
