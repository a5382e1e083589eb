// @ts-check
// Shared by every screen: page data, the JSON API, ids, and a socket that resyncs by seq.
// The Socket.IO client (13 KB gzipped) is fetched once the page's own scripts run, not with
// them: on a crowded venue Wi-Fi the form is ready sooner (notes go over HTTP; the socket only
// brings the room's changes). bench/pages.py measures both moments.
const SOCKET_CLIENT = "../../vendor/socket.io.esm.min.js";
import { _ } from "./i18n.js";

export function pageData() {
  return JSON.parse(document.getElementById("page-data").textContent);
}

export class ApiError extends Error {
  constructor(status, message, retryAfter) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

// fetch() JSON; throws ApiError for an answer with an error, TypeError when the network is down.
export async function api(method, path, body) {
  const options = { method, headers: { Accept: "application/json" }, credentials: "same-origin" };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const message = (data && data.error) || _("The server answered {status}.", { status: response.status });
    const retryAfter = Number(response.headers.get("Retry-After")) || 0;
    throw new ApiError(response.status, message, retryAfter);
  }
  return { status: response.status, data, headers: response.headers };
}

// crypto.randomUUID is missing on plain-HTTP LAN origins (not a secure context);
// getRandomValues is available everywhere.
export function newClientId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// With several server processes (docs/deploy.md) an event may overtake an earlier one (its
// own process sends it at once, the earlier one comes through Redis a moment later): an
// event ahead of the next seq waits this long for the ones before it, then the state is
// fetched again.
const GAP_WAIT_MS = 500;

// A Socket.IO connection that tracks the workshop's seq. Events are applied in seq order;
// when one is missing for GAP_WAIT_MS (a reconnect, a dropped batch) the screen fetches the
// whole state again. `resync()` must fetch and return the seq the fetched state reflects.
export function liveConnection({ code, view, protocol, handlers, resync, onStatus }) {
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
          announce("live:synced", { seq: lastSeq });
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
    const handler = handlers[name];
    if (handler) handler(payload);
    announce("live:event", { name, payload });
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
        const connection = io({ auth: { code, view, batch }, transports: ["websocket", "polling"] });
        listen(connection);
        return connection;
      } catch {
        status("offline"); // the client could not be fetched (Wi-Fi gone): try again
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** attempt, 10000)));
      }
    }
  })();
  document.addEventListener("live:resync", () => sync());
  return { socket, sync, get lastSeq() { return lastSeq; } }; // socket: a promise
}

// Other modules on a screen (board-room.js, phone-room.js…) follow the same stream without
// a socket of their own: "live:event" {name, payload} after each applied event, in seq order;
// "live:synced" {seq} after each refetch of the state. They ask for a refetch with "live:resync".
function announce(type, detail) {
  document.dispatchEvent(new CustomEvent(type, { detail }));
}

export function el(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    node.setAttribute(key, value === true ? "" : value);
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

// The phases' names as screens show them, in the page's language.
export const PHASE_TEXT = {
  gather: _("Writing notes"),
  sort: _("Sorting the notes into the plan"),
  vote: _("Voting"),
  "next-steps": _("Next steps"),
  closed: _("Closed — thank you"),
};
