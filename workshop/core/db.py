"""The database: one shared SQLite connection in WAL mode behind a lock.

Under gevent every request is a new greenlet, so thread-local connections would open one
connection per event; one connection serialised by a lock is both simpler and faster here
(docs/measurements.md). ``synchronous=FULL`` makes a commit durable before a note is acknowledged.

Writes go through :meth:`Store.transaction`. Domain functions record past-tense events
(``note.created``…) inside the transaction; once it commits, the store hands them to its
listeners in commit order, still under the lock, so every board receives them in ``seq``
order.

Notes arrive in bursts (a whole room at once), so posting one goes through
:meth:`Store.grouped` instead: the notes waiting at the same moment share one transaction and
one ``fsync`` (a group commit), each in its own savepoint, and none is answered before that
commit (docs/performance.md).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database
from sqlite_utils.db import Table

from workshop.core.files import create_private, open_private, private_dir
from workshop.core.locks import wait_lock
from workshop.core.migrations import migrate
from workshop.core.protocol import SERVER_EVENTS


@dataclass
class Event:
    """A committed change, as broadcast to clients."""

    workshop: str  # join code
    name: str  # e.g. "note.created"
    seq: int
    data: dict[str, Any]  # the whole current object, without seq
    public: dict[str, Any] | None = None  # what non-facilitator views get; None = same as data
    attendee_id: str | None = None  # the attendee the change belongs to, if any
    boards_only: bool = False  # progress that phones need not hear about (e.g. a sort's count)

    def payload(self, *, facilitator: bool) -> dict[str, Any]:
        body = self.data if facilitator or self.public is None else self.public
        return {**body, "seq": self.seq}


Listener = Callable[[Event], None]
T = TypeVar("T")


@dataclass
class _Work:
    """One caller's part of a group commit, and what became of it."""

    run: Callable[[Database], Any]
    done: bool = False
    result: Any = None
    error: BaseException | None = None

    def outcome(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.result


# How long a write waits for another process's write lock before "database is locked".
WRITE_WAIT_SECONDS = 5.0


@dataclass
class Store:
    """A database plus the lock that serialises writers and the committed-event listeners."""

    db: Database
    lock: threading.RLock = field(default_factory=threading.RLock)
    listeners: list[Listener] = field(default_factory=list)
    closed: bool = False
    _pending: list[Event] | None = None
    _owner: int | None = None  # the thread (greenlet, under gevent) inside a transaction
    _queue: list[_Work] = field(default_factory=list)
    commits: int = 0  # grouped commits made, and the works they carried (docs/performance.md)
    grouped_works: int = 0

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """Run a write transaction; on commit, deliver the events it recorded, in order."""
        with self.lock:
            if self._pending is not None:  # nested: join the outer transaction
                yield self.db
                return
            conn = self.db.conn
            self._pending = []
            self._owner = threading.get_ident()
            # Whatever fails (BEGIN on a locked database, COMMIT on a full disk), _pending is
            # reset: left set, every later write would run outside a transaction, unheard.
            try:
                _begin(conn)
                try:
                    yield self.db
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:  # a failed COMMIT has already rolled back
                        conn.execute("ROLLBACK")
                    raise
                events = self._pending
            finally:
                self._pending = None
                self._owner = None
            self._deliver(events)

    def grouped(self, work: Callable[[Database], T]) -> T:
        """Run ``work(db)`` in one write transaction with every other ``grouped`` work
        waiting at the same moment: one BEGIN, one COMMIT, one fsync for all (a group
        commit). Return its result once that COMMIT is on disk.

        Whoever takes the lock first commits the works queued by then (its own included),
        after letting the requests already under way queue theirs; the others find theirs
        done when the lock comes to them. Each work runs in its own savepoint: an error in
        one undoes that one alone and is raised to its caller; a failed COMMIT undoes every
        work of the group and raises to every caller, so none is acknowledged. Events are
        delivered after the commit, in seq order, as :meth:`transaction` does. Inside a
        transaction already (a caller's own), ``work`` simply joins it.
        """
        if self._owner == threading.get_ident():
            return work(self.db)
        mine = _Work(work)
        self._queue.append(mine)
        with self.lock:
            if not mine.done:
                time.sleep(0)  # gevent: let the posts already under way join this commit
                batch, self._queue = self._queue, []
                self._commit_group(batch)
        return mine.outcome()

    def _commit_group(self, batch: list[_Work]) -> None:
        conn = self.db.conn
        self._pending = []
        self._owner = threading.get_ident()
        try:
            _begin(conn)
            for item in batch:
                self._run_in_savepoint(conn, item)
                if not conn.in_transaction:  # SQLite gave the whole transaction up (disk full)
                    raise item.error or sqlite3.OperationalError("the transaction was rolled back")
            conn.execute("COMMIT")
            events = self._pending
        except BaseException as error:
            if conn.in_transaction:  # a failed COMMIT has already rolled back
                conn.execute("ROLLBACK")
            for item in batch:  # nothing of the group is on disk: no one is acknowledged
                item.result, item.error, item.done = None, item.error or error, True
            if not isinstance(error, Exception):
                raise  # the leader itself is being stopped: its followers have their error
            return
        finally:
            self._pending = None
            self._owner = None
        self.commits += 1
        self.grouped_works += len(batch)
        try:
            self._deliver(events)
        finally:
            for item in batch:
                item.done = True

    def _run_in_savepoint(self, conn: sqlite3.Connection, item: _Work) -> None:
        assert self._pending is not None
        recorded = len(self._pending)
        conn.execute("SAVEPOINT work")
        try:
            item.result = item.run(self.db)
        except Exception as error:
            item.error = error
            del self._pending[recorded:]  # its events were never committed
            if conn.in_transaction:
                conn.execute("ROLLBACK TO work")
                conn.execute("RELEASE work")
            return
        conn.execute("RELEASE work")

    def _deliver(self, events: list[Event]) -> None:
        for event in events:
            for listener in self.listeners:
                listener(event)

    def read(self) -> Database:
        """The database for reading (sqlite3 serialises use of the shared connection)."""
        return self.db

    def record(self, workshop_id: int, name: str, data: dict, **extra: Any) -> Event:
        """Record an event in the current transaction, with the workshop's next seq.

        A ``boards_only`` event is progress (a count going up), not state: it goes to boards
        only, carries the latest seq without taking a new one (so phones see no gap), and is
        marked ``progress: true`` so clients apply it whatever its seq.
        """
        if self._pending is None:
            raise RuntimeError("events are recorded inside Store.transaction()")
        if name not in SERVER_EVENTS:  # the protocol is the one list the browser reads too
            raise ValueError(f"{name!r} is not an event of workshop.core.protocol")
        conn = self.db.conn
        if extra.get("boards_only"):
            data = {**data, "progress": True}
            taken = conn.execute("SELECT code, seq FROM workshops WHERE id = ?", [workshop_id])
        else:
            taken = conn.execute(
                "UPDATE workshops SET seq = seq + 1 WHERE id = ? RETURNING code, seq", [workshop_id]
            )
        code, seq = taken.fetchone()
        event = Event(workshop=code, name=name, seq=seq, data=data, **extra)
        self._pending.append(event)
        return event

    def subscribe(self, listener: Listener) -> None:
        self.listeners.append(listener)

    def close(self) -> None:
        self.closed = True
        self.db.conn.close()


def _begin(conn: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE, waiting up to WRITE_WAIT_SECONDS for another process's write lock.

    SQLite's own busy handler sleeps inside C, which under gevent froze every socket and
    page for the whole wait (tests/test_faults.py); so busy_timeout is short and this loop
    sleeps with time.sleep, which gevent makes cooperative: reads and sockets carry on.
    """
    deadline = time.monotonic() + WRITE_WAIT_SECONDS
    pause = 0.005
    while True:
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def connect(path: str | Path | None = None) -> Store:
    """Open (and migrate) the database at ``path``, or an in-memory one when ``path`` is None."""
    if path is None:
        conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        return Store(_prepare(conn))
    private_dir(Path(path).parent)
    # Several processes starting at once on one file (docs/deploy.md) take turns: creating
    # the tables at the same moment failed with "database is locked" (docs/measurements.md).
    with open_private(Path(f"{path}.migrate-lock"), "ab") as turn:
        wait_lock(turn)
        create_private(Path(path))  # SQLite gives its -wal and -shm files this file's mode
        conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        return Store(_prepare(conn))


def _prepare(conn: sqlite3.Connection) -> Database:
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA busy_timeout=20")  # longer waits for a write: _begin
    conn.execute("PRAGMA foreign_keys=ON")
    db = Database(conn)
    migrate(db)
    return db


def new_id(table: Table) -> int:
    """The id of the row ``table`` has just inserted (``db.table(name).insert(row)``)."""
    if table.last_pk is None:
        raise RuntimeError(f"no row inserted into {table.name}")
    return table.last_pk


def loads(value: str | None, default: Any = None) -> Any:
    return default if value is None else json.loads(value)
