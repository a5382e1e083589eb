// @ts-check
// The one way the modules of a page tell each other what happened: a bus of named topics.
// A module subscribes with bus.on(TOPIC.x, handler) and announces with bus.emit(TOPIC.x,
// payload); handlers run at once, in the order they subscribed (a page's entry module
// subscribes before it sets up its parts, so the owner of a piece of state updates it
// before the parts that read it are told). Functions a module offers the others are plain
// imports or the context object its owner hands it; the bus is only for "this happened".
//
// Every topic is in TOPIC below with its payload (the Topics type). The first group are the
// server's socket events, applied in seq order by core/live.js: their wire names come from
// workshop/core/protocol.py through the page (pageData().protocol.events) and the browser
// never spells them; the topic is the protocol's key. docs/browser.md lists who sends and
// who listens to each.

/**
 * @typedef {import("./types.js").Note} Note
 * @typedef {import("./types.js").Group} Group
 * @typedef {import("./types.js").Workshop} Workshop
 * @typedef {import("./types.js").BoardState} BoardState
 */

/**
 * What each topic carries.
 * @typedef {object} Topics
 * @property {Note} noteCreated            server: a note was posted
 * @property {Note} noteUpdated            server: a note changed ({id, hidden: true} for the room when hidden)
 * @property {{id: number, deleted: true}} noteDeleted  server: a note was withdrawn or deleted
 * @property {{note_id: number, votes: number | null}} votesChanged  server: a note's dot count
 * @property {{code: string, phase: string}} phaseChanged  server: the room moved to another phase
 * @property {{id: number, removed?: boolean}} sectionChanged  server: a plan section changed
 * @property {Group} groupChanged          server: a group was made, renamed or moved
 * @property {{id: number, deleted: true}} groupDeleted  server: a group was dissolved
 * @property {any} sortChanged             server: a card sort started, progressed or ended
 * @property {any} checkChanged            server: the plan check's results
 * @property {{code: string, timer: any}} timerChanged  server: the timer
 * @property {{code: string}} workshopChanged  server: settings or reveals changed
 * @property {{id: number, deleted?: boolean}} nextStepChanged  server: a next step changed
 * @property {{id: number, deleted?: boolean}} photoChanged  server: a photo of the room's paper
 * @property {import("./types.js").Projection & {code: string}} projectionChanged  server: what the projector shows
 * @property {{phones: number, boards: number, participants?: number, seq: number}} presence  server: who is connected
 * @property {{topic: ServerTopic, payload: any}} serverEvent  after each server event's own topic: any of them
 * @property {{seq: number}} synced        the state was fetched again (core/live.js)
 * @property {undefined} resync            ask core/live.js to fetch the state again
 * @property {BoardState} boardState       board: the state as fetched, after board.js took it
 * @property {Workshop} workshop           the workshop as this screen now holds it (board: changed; phone: fetched again)
 * @property {undefined} projectionShown  public board: the projector was frozen and is shown again (room/projection.js)
 * @property {undefined} roomDrawn         board: the room's views and controls were drawn (room/board-room.js)
 * @property {undefined} boardDrawn        facilitator's board: the columns were drawn (board/sort.js)
 * @property {{item: HTMLElement, note: Note}} noteDrawn  facilitator's board: a note card was drawn
 * @property {{item: HTMLElement, note: Note, controls: HTMLElement}} noteControls  facilitator's board: a card's controls were made
 * @property {{id: number}} noteTextChanged  board: a note's text was edited on another screen
 * @property {undefined} selectionChanged  facilitator's board: the selection changed (board/tools.js)
 * @property {{event: KeyboardEvent, item: HTMLElement, key: string}} itemKey  facilitator's board: a key on a focused card; a handler that takes it calls event.preventDefault()
 * @property {{event: MouseEvent, item: HTMLElement}} itemClick  facilitator's board: a click on a card; a handler that takes it calls event.preventDefault()
 */

/** @typedef {keyof Topics} Topic */

/** The socket events, by their protocol keys (tests/test_js_modules.py holds them to protocol.py). */
export const SERVER_TOPICS = /** @type {const} */ ([
  "noteCreated",
  "noteUpdated",
  "noteDeleted",
  "votesChanged",
  "phaseChanged",
  "sectionChanged",
  "groupChanged",
  "groupDeleted",
  "sortChanged",
  "checkChanged",
  "timerChanged",
  "workshopChanged",
  "nextStepChanged",
  "photoChanged",
  "projectionChanged",
  "presence",
]);
/** @typedef {(typeof SERVER_TOPICS)[number]} ServerTopic */

/** Every topic's name: TOPIC.noteCreated, TOPIC.boardState… (the values are the keys of Topics). */
export const TOPIC = /** @type {const} */ ({
  noteCreated: "noteCreated",
  noteUpdated: "noteUpdated",
  noteDeleted: "noteDeleted",
  votesChanged: "votesChanged",
  phaseChanged: "phaseChanged",
  sectionChanged: "sectionChanged",
  groupChanged: "groupChanged",
  groupDeleted: "groupDeleted",
  sortChanged: "sortChanged",
  checkChanged: "checkChanged",
  timerChanged: "timerChanged",
  workshopChanged: "workshopChanged",
  nextStepChanged: "nextStepChanged",
  photoChanged: "photoChanged",
  projectionChanged: "projectionChanged",
  presence: "presence",
  serverEvent: "serverEvent",
  synced: "synced",
  resync: "resync",
  boardState: "boardState",
  workshop: "workshop",
  projectionShown: "projectionShown",
  roomDrawn: "roomDrawn",
  boardDrawn: "boardDrawn",
  noteDrawn: "noteDrawn",
  noteControls: "noteControls",
  noteTextChanged: "noteTextChanged",
  selectionChanged: "selectionChanged",
  itemKey: "itemKey",
  itemClick: "itemClick",
});

/** @type {Map<Topic, Array<(payload: any) => void>>} */
const handlers = new Map();

/**
 * Call `handler` with the payload of every `topic` announced from now on.
 * @template {Topic} K
 * @param {K} topic
 * @param {(payload: Topics[K]) => void} handler
 */
function on(topic, handler) {
  if (!(topic in TOPIC)) throw new Error(`unknown topic ${topic}`);
  if (!handlers.has(topic)) handlers.set(topic, []);
  handlers.get(topic).push(handler);
}

/**
 * Announce `topic`: every handler runs now, in the order it subscribed.
 * @template {Topic} K
 * @param {K} topic
 * @param {Topics[K]} [payload]
 */
function emit(topic, payload) {
  for (const handler of handlers.get(topic) || []) handler(payload);
}

export const bus = { on, emit };
