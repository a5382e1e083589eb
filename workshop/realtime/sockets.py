"""Socket.IO: who joins which room, and how committed changes reach them.

Clients connect with ``auth={"code": CODE, "view": "board" | "phone"}`` (plus the
facilitator's cookie, or ``"token"``). Boards get every change the moment it is committed;
phones get the room's changes in batches every PHONE_BATCH_SECONDS, because fanning
every note out to hundreds of phones is the server's real cost (docs/measurements.md: about 60 µs
of CPU per delivered message). A phone's own confirmation is the HTTP answer to its post, which
comes once the note is on disk.

A phone that has not taken its last batch yet (Engine.IO still holds a message for it: a slow
phone, a weak signal, a room-wide burst) is sent nothing more until it has: it gets all it
missed later, in one message. Without that, batches piled up behind each other and the
server's ping waited behind them; past its 20 s the phone was dropped (docs/performance.md:
441 of 1,000 phones in a burst).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from functools import partial
from typing import Any

from engineio import packet as eio_packet
from flask import Flask, current_app, request
from flask_socketio import SocketIO, join_room
from socketio import packet as sio_packet

from workshop.core import protocol, signin
from workshop.core.db import Event
from workshop.core.errors import WorkshopError
from workshop.core.protocol import room
from workshop.realtime import presence
from workshop.web import guesses
from workshop.web.context import facilitator_session, is_facilitator, services
from workshop.web.i18n import error_message
from workshop.workshops import workshops

socketio = SocketIO()

PRESENCE_INTERVAL = 0.5
HEARTBEAT_SECONDS = 10.0


class _Sids(list):
    """Socket.IO sids as python-socketio's ``skip_sid`` wants them (a list), answering ``in``
    from a set: it asks once for every phone in the room."""

    def __init__(self, sids: list[str]) -> None:
        super().__init__(sids)
        self._members = set(sids)

    def __contains__(self, sid: object) -> bool:
        return sid in self._members


@dataclass
class _Kept:
    """A batch kept for phones that missed it, encoded once for all of them."""

    number: int
    events: list[tuple[str, dict]]
    _packet: Any = None

    def packet(self, server: Any) -> Any:
        """The batch as one Engine.IO message (python-socketio's own encoding of the event)."""
        if self._packet is None:
            data = [protocol.BATCH, {"events": self.events}]
            encoded = server.packet_class(sio_packet.EVENT, namespace="/", data=data).encode()
            self._packet = eio_packet.Packet(eio_packet.MESSAGE, encoded)
        return self._packet


class Fanout:
    """Delivers committed events to rooms; batches the phones' share; counts who is here."""

    def __init__(self, socketio: SocketIO, batch_seconds: float) -> None:
        self.socketio = socketio
        self.batch_seconds = batch_seconds
        self._lock = threading.Lock()
        self._phone_queue: dict[str, list[tuple[str, dict]]] = defaultdict(list)
        # Batch phones of this process skipped while backed up: sid -> the number of the
        # first of its workshop's batches it has not been sent; the batches kept for them.
        self._lagging: dict[str, int] = {}
        self._batches: dict[str, int] = defaultdict(int)  # code -> batches flushed so far
        self._backlog: dict[str, list[_Kept]] = defaultdict(list)
        self._connections: dict[str, dict[str, Any]] = {}  # sid -> {code, view, facilitator}
        self._presence_dirty: set[str] = set()
        self._last_heartbeat = time.monotonic()
        self.process = uuid.uuid4().hex  # this server process, in the shared presence table
        self.reports = presence.Reports(self.process)
        self._started = False

    # -- committed changes ------------------------------------------------------------
    def deliver(self, event: Event) -> None:
        """Store listener: runs right after each commit, in seq order."""
        public = event.payload(facilitator=False)
        emit = self.socketio.emit
        emit(event.name, event.payload(facilitator=True), to=room(event.workshop, "facilitator"))
        emit(event.name, public, to=room(event.workshop, "board"))
        if event.name in (protocol.NOTE_CREATED, protocol.VOTES_CHANGED):
            with self._lock:  # "N have taken part" may have grown
                self._presence_dirty.add(event.workshop)
        if event.boards_only:
            return
        with self._lock:
            self._phone_queue[event.workshop].append((event.name, public))

    def flush_phones(self) -> int:
        """Send the queued changes to every phone view; return how many events went out."""
        with self._lock:
            queued, self._phone_queue = self._phone_queue, defaultdict(list)
            batch_phones: dict[str, list[str]] = defaultdict(list)
            for sid, connection in self._connections.items():
                if connection["view"] == "phone" and connection["batch"]:
                    batch_phones[connection["code"]].append(sid)
            codes = set(queued) | {
                self._connections[sid]["code"] for sid in self._lagging if sid in self._connections
            }
        sent = 0
        for code in codes:
            events = queued.get(code, [])
            self._flush_batches(code, events, batch_phones.get(code, []))
            # Other phone clients get the named events (no flow control: not the app's page).
            for name, payload in events:
                self.socketio.emit(name, payload, to=room(code, "phone"))
                sent += 1
        return sent

    def _flush_batches(self, code: str, events: list[tuple[str, dict]], phones: list[str]) -> None:
        """One ``batch`` message to each batch phone of the room, except those still backed
        up: they wait, and get the batches they missed once they have room, each batch
        encoded once for all who missed it (in order, so each event arrives once, in seq
        order)."""
        with self._lock:
            lagging = [sid for sid in phones if sid in self._lagging]
        events = [(name, protocol.for_phone_page(name, payload)) for name, payload in events]
        if events:
            number = self._batches[code]
            self._batches[code] = number + 1
            backed_up = [sid for sid in phones if sid not in self._lagging and self._backed_up(sid)]
            # Phones that asked for batches (the app's own phone page) get one message a
            # flush: a message per note per phone was the server's largest cost at 500
            # phones (docs/performance.md).
            skip = lagging + backed_up
            self.socketio.emit(
                protocol.BATCH,
                {"events": events},
                to=room(code, "phone-batch"),
                skip_sid=_Sids(skip) if skip else None,
            )
            with self._lock:
                for sid in backed_up:
                    if sid in self._connections:
                        self._lagging[sid] = number
                if any(self._code_of(sid) == code for sid in self._lagging):
                    self._backlog[code].append(_Kept(number, events))
        with self._lock:
            ready = {
                sid: self._lagging.pop(sid)
                for sid in lagging
                if sid in self._lagging and not self._backed_up(sid)
            }
            backlog = list(self._backlog[code])
            waiting = [c for sid, c in self._lagging.items() if self._code_of(sid) == code]
            oldest = min(waiting, default=self._batches[code])
            self._backlog[code] = [kept for kept in backlog if kept.number >= oldest]
        # Straight to this process's sockets (the phones are ours), each kept batch encoded
        # once however many phones and flushes it is sent in.
        server: Any = self.socketio.server  # type: ignore[attr-defined]  # missing from the stubs
        for kept in backlog:
            for sid, first in ready.items():
                eio_sid = (
                    server.manager.eio_sid_from_sid(sid, "/") if first <= kept.number else None
                )
                if eio_sid:
                    server.eio.send_packet(eio_sid, kept.packet(server))

    def _code_of(self, sid: str) -> str | None:
        connection = self._connections.get(sid)
        return connection["code"] if connection else None

    def _backed_up(self, sid: str) -> bool:
        """Whether Engine.IO still holds a message for this phone (its writer has not taken
        the last one: the phone, or its link, is slower than the room)."""
        server: Any = self.socketio.server  # type: ignore[attr-defined]  # missing from the stubs
        eio_sid = server.manager.eio_sid_from_sid(sid, "/")
        socket = server.eio.sockets.get(eio_sid) if eio_sid else None
        return socket is not None and not socket.queue.empty()

    # -- presence ---------------------------------------------------------------------
    def connected(
        self,
        sid: str,
        code: str,
        view: str,
        *,
        facilitator: bool = False,
        session: str | None = None,
        batch: bool = False,
    ) -> None:
        """``session``: the hash of the facilitator's browser session (core.signin), if any;
        ``batch``: a phone that asked for the room's changes as one message per flush."""
        with self._lock:
            self._connections[sid] = {
                "code": code,
                "view": view,
                "facilitator": facilitator,
                "session": session,
                "batch": batch,
            }
            self._presence_dirty.add(code)

    def disconnected(self, sid: str) -> None:
        with self._lock:
            connection = self._connections.pop(sid, None)
            self._lagging.pop(sid, None)
            if connection:
                self._presence_dirty.add(connection["code"])

    def sign_out_facilitators(self, sessions: set[str] | None = None) -> int:
        """Disconnect every facilitator socket of this process (the token was rotated: they
        must sign in again), or those of the browser ``sessions`` signed out; how many."""
        with self._lock:
            sids = [
                sid
                for sid, c in self._connections.items()
                if c["facilitator"] and (sessions is None or c["session"] in sessions)
            ]
        for sid in sids:
            self.socketio.server.disconnect(sid, namespace="/")  # type: ignore[attr-defined]  # missing from the stubs
        return len(sids)

    def counts(self, code: str) -> dict[str, int]:
        with self._lock:
            views = [c["view"] for c in self._connections.values() if c["code"] == code]
        return {"phones": views.count("phone"), "boards": views.count("board")}

    def flush_presence(self, state_of: Any) -> None:
        """Tell boards who is here: ``state_of(code, counts)`` records this process's counts
        and gives the totals {phones, boards, seq, participants}."""
        with self._lock:
            dirty, self._presence_dirty = self._presence_dirty, set()
            if time.monotonic() - self._last_heartbeat > HEARTBEAT_SECONDS:
                # Keep this process's counts fresh for the others, and for the totals.
                self._last_heartbeat = time.monotonic()
                dirty |= {c["code"] for c in self._connections.values()}
        for code in dirty:
            payload = state_of(code, self.counts(code))
            for audience in ("board", "facilitator"):
                self.socketio.emit(protocol.PRESENCE, payload, to=room(code, audience))

    # -- the background loop ----------------------------------------------------------
    def start(self, app: Flask) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
        self.socketio.start_background_task(self._run, app)

    def _run(self, app: Flask) -> None:
        last_presence = 0.0
        store = app.extensions["workshop"].store
        while not store.closed:  # an app's store closes when it is done (tests make many)
            self.socketio.sleep(self.batch_seconds)  # type: ignore[arg-type]  # the stubs say int, it takes float seconds
            if store.closed:
                return
            try:
                self.flush_phones()
                if time.monotonic() - last_presence >= PRESENCE_INTERVAL:
                    last_presence = time.monotonic()
                    with app.app_context():
                        self.flush_presence(partial(_presence_state, reports=self.reports))
            except Exception:  # keep delivering whatever one bad flush did
                app.logger.exception("realtime flush failed")


def _presence_state(
    code: str, counts: dict[str, int], *, reports: presence.Reports
) -> dict[str, int]:
    store = services().store
    workshop = workshops.workshop_row(store.db, code)
    totals = reports.report(store, workshop["id"], counts["phones"], counts["boards"])
    return {
        **totals,
        "seq": workshop["seq"],
        "participants": workshops.participants(store.db, workshop["id"]),
    }


def fanout() -> Fanout:
    return current_app.extensions["workshop_fanout"]


@socketio.on("connect")
def on_connect(auth: Any) -> None:
    """A board or phone joins its workshop's rooms; refused without a valid code and view."""
    auth = auth if isinstance(auth, dict) else {}
    view = auth.get("view")
    if view not in protocol.VIEWS:
        raise ConnectionRefusedError("view must be 'board' or 'phone'")
    try:
        code = auth.get("code")
        workshop = guesses.lookup(code, lambda: workshops.workshop_row(services().store.db, code))
        # A projected screen opened by the facilitator connects as the room (context.as_room).
        facilitator = is_facilitator(auth.get("token")) and auth.get("as") != "room"
        if view == "phone" and not facilitator:
            workshops.refuse_joining_once_archived(workshop)  # closed for good: 410's words
    except WorkshopError as error:  # NotFound, too many guesses, or a wrong facilitator token
        raise ConnectionRefusedError(error_message(error)) from None
    code = workshop["code"]
    batch = view == "phone" and not facilitator and auth.get("batch") is True
    if facilitator:
        join_room(room(code, "facilitator"))
    elif view == "board":
        join_room(room(code, "board"))
    else:
        join_room(room(code, "phone-batch" if batch else "phone"))
    feed = fanout()
    feed.start(current_app._get_current_object())  # type: ignore[attr-defined]  # a LocalProxy, typed as Flask
    browser = facilitator_session() if facilitator else None
    feed.connected(
        _sid(),
        code,
        view,
        facilitator=facilitator,
        session=signin.session_hash(browser) if browser else None,
        batch=batch,
    )
    socketio.emit(
        protocol.WELCOME,
        {"role": "facilitator" if facilitator else view, "seq": workshop["seq"]},
        to=_sid(),
    )


@socketio.on("disconnect")
def on_disconnect(*_: Any) -> None:
    fanout().disconnected(_sid())


def _sid() -> str:
    """The Socket.IO session whose event is being handled."""
    return request.sid  # type: ignore[attr-defined]  # set by Flask-SocketIO, not in Flask's type


def init_app(app: Flask, *, batch_seconds: float) -> Fanout:
    feed = Fanout(socketio, batch_seconds)
    app.extensions["workshop_fanout"] = feed
    services_ = app.extensions["workshop"]
    services_.store.subscribe(feed.deliver)
    return feed
