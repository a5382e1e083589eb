// @ts-check
// The facilitator's console: print, scribes, next steps, outcomes, the room's paper, the
// feedback window and settings. This module holds the shared state and the live
// connection; each part of the page is a small module with a render().
import { bus, TOPIC } from "../core/bus.js";
import { api, pageData, phaseLabels } from "../core/common.js";
import { _ } from "../core/i18n.js";
import { liveConnection } from "../core/live.js";
import { archivePanel } from "./archive.js";
import { ballotsPanel } from "./ballots.js";
import { dotsPanel } from "./dots.js";
import { outcomesPanel } from "./outcomes.js";
import { photosPanel } from "./photos.js";
import { scribesPanel } from "./scribes.js";
import { afterPanel, settingsPanel } from "./settings.js";
import { stepsPanel } from "./steps.js";

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
  archivePanel(context),
  settingsPanel(context),
];

function render() {
  const phase = state.workshop.phase;
  document.getElementById("phase-name").textContent = phaseLabels()[phase] || phase;
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

// Most changes: fetch what the server holds, once per burst.
for (const topic of [TOPIC.noteCreated, TOPIC.noteUpdated, TOPIC.noteDeleted, TOPIC.nextStepChanged, TOPIC.workshopChanged, TOPIC.phaseChanged, TOPIC.votesChanged, TOPIC.sectionChanged]) {
  bus.on(topic, refreshSoon);
}
// There is no route that lists the photos, so the page keeps them from the events.
bus.on(TOPIC.photoChanged, (photo) => {
  if (photo.deleted) state.photos.delete(photo.id);
  else state.photos.set(photo.id, photo);
  panels.forEach((panel) => panel.onPhotos && panel.onPhotos());
});
live = liveConnection({
  code: CODE,
  view: "board",
  protocol: DATA.protocol,
  resync,
  onStatus: (status) => context.problem(status === "online" ? "" : _("Reconnecting… changes made elsewhere show up once connected.")),
});

render();
live.sync();
