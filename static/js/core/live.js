// @ts-check
// The live connection every screen holds: a Socket.IO connection that follows the workshop's
// seq and puts each server event on the bus (core/bus.js) in seq order, under its protocol
// key (TOPIC.noteCreated…). The event names on the wire come from workshop/core/protocol.py
// through the page; nothing here spells one.
// The Socket.IO client (13 KB gzipped) is fetched once the page's own scripts run, not with
// them: on a crowded venue Wi-Fi the form is ready sooner (notes go over HTTP; the socket only
// brings the room's changes). bench/pages.py measures both moments.
import { bus, SERVER_TOPICS, TOPIC } from "./bus.js";
import { roomIdentity } from "./common.js";

const SOCKET_CLIENT = "../../vendor/socket.io.esm.min.js";

// With several server processes (docs/deploy.md) an event may overtake an earlier one (its
// own process sends it at once, the earlier one comes through Redis a moment later): an
// event ahead of the next seq waits this long for the ones before it, then the state is
// fetched again.
const GAP_WAIT_MS = 500;

/**
 * A Socket.IO connection that tracks the workshop's seq. Events are put on the bus in seq
 * order; when one is missing for GAP_WAIT_MS (a reconnect, a dropped batch) the screen fetches
 * the whole state again. `resync()` must fetch and return the seq the fetched state reflects;
 * TOPIC.synced follows each fetch, and any module may ask for one with TOPIC.resync.
 * @param {object} options
 * @param {string} options.code
 * @param {"board" | "phone"} options.view
 * @param {{events: Record<string, string>}} options.protocol  the page's protocol names (protocol.py)
 * @param {() => Promise<number>} options.resync
 * @param {(state: "online" | "offline") => void} [options.onStatus]
 */
export function liveConnection({ code, view, protocol, resync, onStatus }) {
  const topicOf = topicsByWireName(protocol);
  let lastSeq = 0;
  let syncing = null;
  let queued = [];
  const early = new Map(); // seq -> [name, payload]: arrived before an earlier event
  let gapTimer = null;
  // Phones ask for the room's changes as one message per batch (cheaper for the laptop).
  const batch = view === "phone";

  function takeEarly() {
    clearTimeout(gapTimer);
    gapTimer = null;
    const waiting = [...early.keys()].sort((a, b) => a - b).map((seq) => early.get(seq));
    early.clear();
    return waiting;
  }

  async function sync() {
    if (syncing) return syncing;
    queued.push(...takeEarly()); // replayed after the fetch; those it covers are dropped
    // <body data-sync> is "busy" while the state is fetched, "done" once it is drawn (tests
    // wait for it before they act, so a fetch in flight never undoes their click).
    document.body.dataset.sync = "busy";
    syncing = (async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          lastSeq = await resync();
          bus.emit(TOPIC.synced, { seq: lastSeq });
          break;
        } catch (error) {
          await new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** attempt, 10000)));
        }
      }
      const pending = queued;
      queued = [];
      syncing = null;
      pending.forEach(([name, payload]) => receive(name, payload));
      if (!syncing) document.body.dataset.sync = "done";
    })();
    return syncing;
  }

  function receive(name, payload) {
    if (syncing) {
      queued.push([name, payload]);
      return;
    }
    // Presence and progress counts are not state changes: they carry the latest seq.
    if (typeof payload.seq === "number" && name !== protocol.events.presence && !payload.progress) {
      if (payload.seq <= lastSeq) return; // already part of the state we hold
      if (payload.seq > lastSeq + 1) {
        early.set(payload.seq, [name, payload]);
        if (!gapTimer) gapTimer = setTimeout(() => sync(), GAP_WAIT_MS);
        return;
      }
      lastSeq = payload.seq;
    }
    apply(name, payload);
    while (early.has(lastSeq + 1)) { // the gap is filled: the events that waited, in order
      const [nextName, nextPayload] = early.get(lastSeq + 1);
      early.delete(lastSeq + 1);
      lastSeq = nextPayload.seq;
      apply(nextName, nextPayload);
    }
    if (!early.size && gapTimer) {
      clearTimeout(gapTimer);
      gapTimer = null;
    }
  }

  function apply(name, payload) {
    const topic = topicOf.get(name);
    if (!topic) return; // an event this page does not know (a newer server): nothing to do
    bus.emit(topic, payload);
    bus.emit(TOPIC.serverEvent, { topic, payload });
  }

  // <body data-live> says whether this screen is in its workshop's rooms (styles and tests
  // use it); "online" comes with the welcome, which follows the join.
  function status(state) {
    document.body.dataset.live = state;
    if (onStatus) onStatus(state);
  }

  function listen(socket) {
    for (const name of Object.values(protocol.events)) {
      if (name === protocol.events.welcome || name === protocol.events.batch) continue;
      socket.on(name, (payload) => receive(name, payload));
    }
    socket.on(protocol.events.batch, ({ events }) => {
      for (const [name, payload] of events) receive(name, payload);
    });
    socket.on(protocol.events.welcome, (payload) => {
      status("online");
      if (payload.seq !== lastSeq) sync();
    });
    socket.on("disconnect", () => status("offline"));
    socket.on("connect_error", () => status("offline"));
  }

  const socket = (async () => {
    for (let attempt = 0; ; attempt++) {
      try {
        const { io } = await import(SOCKET_CLIENT);
        const asRoom = roomIdentity(); // the projected screen joins as the room (context.as_room)
        const auth = asRoom ? { code, view, batch, as: asRoom.value } : { code, view, batch };
        const connection = io({ auth, transports: ["websocket", "polling"] });
        listen(connection);
        return connection;
      } catch {
        status("offline"); // the client could not be fetched (Wi-Fi gone): try again
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** attempt, 10000)));
      }
    }
  })();
  bus.on(TOPIC.resync, () => sync());
  return { socket, sync, get lastSeq() { return lastSeq; } }; // socket: a promise
}

/**
 * The bus topic of each wire name the page's protocol lists (note.created: noteCreated).
 * @param {{events: Record<string, string>}} protocol
 * @returns {Map<string, import("./bus.js").ServerTopic>}
 */
function topicsByWireName(protocol) {
  const topics = new Map();
  for (const topic of SERVER_TOPICS) topics.set(protocol.events[topic], topic);
  return topics;
}
