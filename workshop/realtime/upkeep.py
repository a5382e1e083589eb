"""What the server does in the background besides delivering events.

Automatic backups (workshop.backups): every BACKUP_MINUTES when something was written since
the last one (by this process or another serving the same data dir), and right after a
workshop is closed; the newest BACKUP_KEEP are kept in ``<data>/backups``. Idle minutes make
no backup, so the kept ones reach further back. With several processes on one data dir only
one takes the timed backups: the holder of ``<data>/backups.lock`` (a non-blocking flock the
others try again each tick, so another takes over when it stops).

A token rotation (``workshop token --rotate``, run in another process) or a sign-out
(core.signin) signs facilitator browsers out: HTTP checks the token's generation and the
browser's session on every request (web.context), but a socket already in a facilitator
room would go on receiving hidden notes, so it is disconnected here within a second. (A
disconnect by the server is final for a Socket.IO client: the screen must be reloaded, and
then gets the public view.)
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from flask_socketio import SocketIO

from workshop.core import protocol, signin
from workshop.core.db import Event, Store
from workshop.core.files import open_private
from workshop.core.locks import try_lock
from workshop.core.tokens import FacilitatorKey
from workshop.records import backups

log = logging.getLogger(__name__)

TICK_SECONDS = 1.0
KEEPER_LOCK = "backups.lock"


class Upkeep:
    """The background loop: backups when due, facilitator sockets cut off after a rotation."""

    def __init__(
        self,
        store: Store,
        data_dir: Path,
        socketio: SocketIO,
        key: FacilitatorKey,
        *,
        minutes: float = backups.DEFAULT_MINUTES,
        keep: int = backups.DEFAULT_KEEP,
        sign_out: Callable[[set[str] | None], int] | None = None,
    ) -> None:
        self.store = store
        self.folder = data_dir / backups.FOLDER
        self.lock_path = data_dir / KEEPER_LOCK
        self._lock: IO[bytes] | None = None
        self.socketio = socketio
        self.key = key
        self.sign_out = sign_out  # disconnects the facilitator sockets (realtime.Fanout)
        self.interval = max(0.0, minutes * 60)  # 0: no automatic backups
        self.keep = keep
        self.close_requested = False
        self.stopped = False
        self._last_backup = time.monotonic()
        self._changes_at_backup = self._changes()
        self._generation = key.generation
        self._sessions_checked = signin.now_stamp()

    def on_event(self, event: Event) -> None:
        """Store listener: a workshop was closed, so back up at the next tick (not inside
        the request that closed it)."""
        if event.name == protocol.PHASE_CHANGED and event.data.get("phase") == "closed":
            self.close_requested = True

    def start(self) -> None:
        self.socketio.start_background_task(self._run)

    def stop(self) -> None:
        self.stopped = True
        if self._lock is not None:
            self._lock.close()  # another process's upkeep takes the timed backups over
            self._lock = None

    def is_keeper(self) -> bool:
        """Whether this process takes the timed backups (it holds the keeper's lock)."""
        if self._lock is None:
            handle = open_private(self.lock_path, "ab")  # held while this process serves
            if not try_lock(handle):
                handle.close()
                return False
            self._lock = handle
        return True

    def _changes(self) -> tuple[int, int]:
        """Changes by this connection, and the database's version (bumped by commits of
        other connections: another process serving the same data dir)."""
        conn = self.store.db.conn
        return conn.total_changes, conn.execute("PRAGMA data_version").fetchone()[0]

    def _run(self) -> None:
        tick = min(TICK_SECONDS, self.interval / 2) if self.interval else TICK_SECONDS
        while True:
            self.socketio.sleep(max(0.05, tick))  # type: ignore[arg-type]  # the stubs say int, it takes float seconds
            if self.stopped:
                return
            try:
                self.sign_out_rotated_sockets()
                self.sign_out_closed_sessions()
                self.backup_if_due()
            except sqlite3.ProgrammingError:  # the store was closed: its app is gone
                self.stop()
                return
            except Exception:  # a full disk must not end the loop: try again next time
                log.exception("background upkeep failed")

    def backup_if_due(self, now: float | None = None) -> Path | None:
        """Take a backup if the interval has passed with writes in it, or a workshop closed."""
        if not self.interval:
            return None
        now = time.monotonic() if now is None else now
        changes = self._changes()
        due = now - self._last_backup >= self.interval and changes != self._changes_at_backup
        if not (self.close_requested or (due and self.is_keeper())):
            return None
        self.close_requested = False
        path = backups.backup(self.store, self.folder)
        self._last_backup, self._changes_at_backup = now, self._changes()
        backups.prune(self.folder, self.keep)
        log.info("backup taken: %s", path)
        return path

    def sign_out_rotated_sockets(self) -> int:
        """After a rotation, disconnect every facilitator socket; return how many."""
        generation = self.key.generation
        if generation == self._generation:
            return 0
        self._generation = generation
        count = self.sign_out(None) if self.sign_out is not None else 0
        log.warning("facilitator token rotated: %d facilitator socket(s) disconnected", count)
        return count

    def sign_out_closed_sessions(self) -> int:
        """Disconnect the sockets of facilitator browsers signed out since the last tick (by
        any process: a sign-out, "sign out every other browser", a rotation)."""
        since, self._sessions_checked = self._sessions_checked, signin.now_stamp()
        closed = set(signin.closed_since(self.store.db, since))
        if not closed or self.sign_out is None:
            return 0
        return self.sign_out(closed)
