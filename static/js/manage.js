// The facilitator's console: print, scribes, next steps, outcomes, the room's paper, the
// feedback window and settings. This module holds the shared state and the live
// connection; each part of the page is a small module with a render().
import { api, liveConnection, pageData } from "./common.js";
import { _ } from "./i18n.js";
import { ballotsPanel } from "./manage-ballots.js";
import { dotsPanel } from "./manage-dots.js";
import { outcomesPanel } from "./manage-outcomes.js";
import { photosPanel } from "./manage-photos.js";
import { scribesPanel } from "./manage-scribes.js";
import { afterPanel, settingsPanel } from "./manage-settings.js";
import { stepsPanel } from "./manage-steps.js";

const DATA = pageData();
const CODE = DATA.workshop.code;
const REFRESH_DELAY_MS = 250; // a burst of notes during the session costs one fetch, not one each

const state = {
  code: CODE,
  workshop: DATA.workshop,
  notes: new Map(), // id -> note (hidden ones too: this is the facilitator)
  steps: [],
  missing: [], // ids of notes without an outcome
  photos: new Map(DATA.photos.map((photo) => [photo.id, photo])),
};

// The phase's name as the page shows it (the English is the stored name itself).
const PHASE_TEXT = {
  gather: _("gather"),
  sort: _("sort"),
  vote: _("vote"),
  "next-steps": _("next-steps"),
  closed: _("closed"),
};

const connection = document.getElementById("connection");
let live = null;
let refreshTimer = 0;

const context = {
  state,
  scribeQr: DATA.scribe_qr,
  // After every change: fetch what the server holds now, then redraw.
  refresh: () => (live ? live.sync() : Promise.resolve()),
  problem: (message) => {
    connection.textContent = message || "";
  },
};

const panels = [
  scribesPanel(context),
  dotsPanel(context),
  ballotsPanel(context),
  stepsPanel(context),
  outcomesPanel(context),
  photosPanel(context),
  afterPanel(context),
  settingsPanel(context),
];

function render() {
  const phase = state.workshop.phase;
  document.getElementById("phase-name").textContent = PHASE_TEXT[phase] || phase;
  panels.forEach((panel) => panel.render());
}

async function resync() {
  const [snapshot, steps, missing] = await Promise.all([
    api("GET", `/api/workshops/${CODE}/state`),
    api("GET", `/api/workshops/${CODE}/next-steps`),
    api("GET", `/api/workshops/${CODE}/outcomes/missing`),
  ]);
  state.workshop = snapshot.data.workshop;
  state.notes = new Map(snapshot.data.notes.map((note) => [note.id, note]));
  state.steps = steps.data;
  state.missing = missing.data.note_ids;
  render();
  return snapshot.data.seq;
}

function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(context.refresh, REFRESH_DELAY_MS);
}

const events = DATA.protocol.events;
live = liveConnection({
  code: CODE,
  view: "board",
  protocol: DATA.protocol,
  resync,
  onStatus: (status) => context.problem(status === "online" ? "" : _("Reconnecting… changes made elsewhere show up once connected.")),
  handlers: {
    [events.noteCreated]: refreshSoon,
    [events.noteUpdated]: refreshSoon,
    [events.noteDeleted]: refreshSoon,
    [events.nextStepChanged]: refreshSoon,
    [events.workshopChanged]: refreshSoon,
    [events.phaseChanged]: refreshSoon,
    [events.votesChanged]: refreshSoon,
    [events.sectionChanged]: refreshSoon,
    // There is no route that lists the photos, so the page keeps them from the events.
    [events.photoChanged]: (photo) => {
      if (photo.deleted) state.photos.delete(photo.id);
      else state.photos.set(photo.id, photo);
      panels.forEach((panel) => panel.onPhotos && panel.onPhotos());
    },
  },
});

render();
live.sync();
