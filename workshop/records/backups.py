"""Backups of the whole database: snapshots, retention, restore, and privacy scrubs.

A backup is a consistent snapshot taken with SQLite's online backup API under the store's
lock (so never in the middle of a transaction), written beside the others as
``workshop-<UTC time>Z.db`` and renamed into place only once complete and on disk. Each is
a plain single-file database (rollback journal, not WAL) that opens anywhere.

A restore replaces the live database and must run while the server is stopped: a server
holds a lock on ``<data>/server.lock`` (:func:`hold_server_lock`) and a restore
needs it exclusively. No Flask here: the server schedules backups in workshop.upkeep.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from sqlite_utils import Database

from workshop.core.db import Store
from workshop.core.errors import Conflict, Invalid, NotFound
from workshop.core.files import FILE_MODE, create_private, open_private, private_dir, write_private
from workshop.core.locks import try_lock
from workshop.core.migrations import migrate

FOLDER = "backups"
DEFAULT_MINUTES = 5
DEFAULT_KEEP = 24
SERVER_LOCK = "server.lock"
# Who holds the lock: written by its holder, read by whoever it refuses (and by the printing
# commands, for the port being served).
SERVER_RECORD = "server.json"
NAME = re.compile(r"^workshop-(\d{8}T\d{6}\.\d{3})Z(?:-([a-z-]+))?\.db$")

# Taking, pruning and scrubbing backups never overlap in one process (scrubs rewrite files).
_folder_lock = threading.RLock()


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime  # UTC
    size: int  # bytes
    label: str | None = None  # e.g. "before-restore"


def backup(store: Store, folder: Path, *, label: str | None = None) -> Path:
    """Take a consistent snapshot of the store's database into ``folder``; return its path."""
    private_dir(folder)
    with _folder_lock, store.lock:
        if store.db.conn.in_transaction:  # the lock is re-entrant: refuse to copy half a change
            raise RuntimeError("a backup is taken between transactions, not inside one")
        path = _new_path(folder, label)
        _copy_database(store.db.conn, path)
    return path


def _new_path(folder: Path, label: str | None) -> Path:
    taken = datetime.now(UTC)
    while True:
        stamp = taken.strftime("%Y%m%dT%H%M%S") + f".{taken.microsecond // 1000:03d}"
        path = folder / f"workshop-{stamp}Z{'-' + label if label else ''}.db"
        if not path.exists():
            return path
        taken += timedelta(milliseconds=1)


def _copy_database(source: sqlite3.Connection, path: Path) -> None:
    """Copy ``source`` into a new file at ``path``, atomically: complete or not there."""
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        create_private(partial)  # its journal, while copying, takes this file's mode too
        target = sqlite3.connect(partial, isolation_level=None)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            target.close()
        _fsync(partial)
        os.replace(partial, path)
        _fsync(path.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def list_backups(folder: Path) -> list[Backup]:
    """The backups in ``folder``, newest first."""
    found = []
    for path in folder.glob("workshop-*.db") if folder.is_dir() else []:
        match = NAME.match(path.name)
        if not match:
            continue
        taken = datetime.strptime(match[1], "%Y%m%dT%H%M%S.%f").replace(tzinfo=UTC)
        with contextlib.suppress(FileNotFoundError):
            found.append(Backup(path, taken, path.stat().st_size, match[2]))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups; return the deleted paths."""
    if keep < 0:
        raise Invalid("keep must be 0 or more")
    with _folder_lock:
        old = [b.path for b in list_backups(folder)[keep:]]
        for path in old:
            path.unlink(missing_ok=True)
    return old


def check_backup(path: Path) -> dict[str, int]:
    """Open a backup read-only and check it: ``{"workshops": n, "notes": n}``."""
    if not path.is_file():
        raise NotFound("no backup at %(path)s", path=str(path))
    try:
        with contextlib.closing(
            sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        ) as conn:
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                raise Invalid("%(file)s is damaged: %(verdict)s", file=path.name, verdict=verdict)
            workshops = conn.execute("SELECT count(*) FROM workshops").fetchone()[0]
            notes = conn.execute("SELECT count(*) FROM notes").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise Invalid(
            "%(file)s is not a workshop database (%(error)s)", file=path.name, error=str(error)
        ) from None
    return {"workshops": workshops, "notes": notes}


def restore(backup_path: Path, db_path: Path) -> Path | None:
    """Replace the database at ``db_path`` with the backup; the server must be stopped.

    The current database is kept first as a ``-before-restore`` backup (returned), so a
    restore can itself be undone. The copy is written to a temporary file and moved over
    the database in one step; the old write-ahead log is removed before, so it can never
    be replayed onto the restored file.
    """
    check_backup(backup_path)
    data_dir = db_path.parent
    with _exclusive_lock(data_dir):
        kept = None
        if db_path.exists():
            kept = _keep_current(db_path, data_dir / FOLDER)
        restoring = db_path.with_name(db_path.name + ".restoring")
        uri = f"{backup_path.resolve().as_uri()}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as source:
            _copy_database(source, restoring)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        os.replace(restoring, db_path)
        _fsync(data_dir)
    return kept


def _keep_current(db_path: Path, folder: Path) -> Path:
    private_dir(folder)
    with _folder_lock:
        path = _new_path(folder, "before-restore")
        try:
            with contextlib.closing(sqlite3.connect(db_path, isolation_level=None)) as current:
                _copy_database(current, path)
        except sqlite3.DatabaseError:  # damaged: keep its files as they are
            for suffix in ("", "-wal"):
                if Path(f"{db_path}{suffix}").exists():
                    shutil.copy2(f"{db_path}{suffix}", f"{path}{suffix}")
                    os.chmod(f"{path}{suffix}", FILE_MODE)
    return path


@contextlib.contextmanager
def _exclusive_lock(data_dir: Path) -> Iterator[None]:
    handle = _lock_file(data_dir)
    try:
        if not try_lock(handle):
            raise _refusal(data_dir, "restore") from None
        _write_record(data_dir, {"kind": "restore"})
        yield
    finally:
        handle.close()


def hold_server_lock(data_dir: Path, *, shared: bool = False, url: str | None = None) -> IO[bytes]:
    """Mark ``data_dir`` as served; keep the returned file open while serving. The kernel
    drops the lock when the process ends, even on kill -9.

    One server has a data dir to itself: a second one would overwrite its facilitator token
    (its link would stop working) and take turns on one database with it, so it is refused
    with the running one's address. ``shared`` servers (several processes through a message
    queue, docs/deploy.md) take a shared lock: any number of them, but no lone server.
    """
    handle = _lock_file(data_dir)
    if not try_lock(handle, shared=shared):
        handle.close()
        raise _refusal(data_dir, "serve")
    _write_record(data_dir, {"kind": "server", "url": url, "shared": shared})
    return handle


def running_server(data_dir: Path) -> dict | None:
    """The record of the server serving ``data_dir`` now (``url``, ``pid``, ``since``), or
    None. Writes nothing: a data dir no server ever used stays as it is."""
    lock = data_dir / SERVER_LOCK
    if not lock.exists():
        return None
    with open(lock, "rb") as handle:
        if try_lock(handle):  # nobody holds it: nothing is being served
            return None
    record = _read_record(data_dir)
    return record if record and record.get("kind") == "server" else None


def update_server_url(data_dir: Path, url: str) -> None:
    """The running server now gives phones ``url`` (the facilitator chose another address)."""
    record = _read_record(data_dir)
    if record and record.get("kind") == "server" and record.get("pid") == os.getpid():
        write_private(data_dir / SERVER_RECORD, json.dumps({**record, "url": url}).encode())


def _refusal(data_dir: Path, wanted: str) -> Conflict:
    """Why ``data_dir``'s lock is taken, in words that say what to do."""
    record = _read_record(data_dir) or {}
    if record.get("kind") == "server" and record.get("url"):
        if wanted == "restore":
            return Conflict(
                "a server is running on %(folder)s (%(url)s): stop it (Ctrl+C) before restoring",
                folder=str(data_dir),
                url=record["url"],
            )
        return Conflict(
            "a workshop server is already running on %(folder)s: %(url)s (process %(pid)s, "
            "since %(since)s). Use that one, or stop it (Ctrl+C in its window) first; to run "
            "another workshop at the same time, give it its own --data folder",
            folder=str(data_dir),
            url=record["url"],
            pid=record.get("pid", "?"),
            since=record.get("since", "?"),
        )
    if wanted == "restore":
        return Conflict(
            "a server is running on %(folder)s: stop it (Ctrl+C) before restoring",
            folder=str(data_dir),
        )
    return Conflict(
        "a restore is running on %(folder)s; start the server after it", folder=str(data_dir)
    )


def _write_record(data_dir: Path, about: dict[str, Any]) -> None:
    since = datetime.now().astimezone().strftime("%H:%M")
    record = {**about, "pid": os.getpid(), "since": since}
    write_private(data_dir / SERVER_RECORD, json.dumps(record).encode())


def _read_record(data_dir: Path) -> dict | None:
    try:
        record = json.loads((data_dir / SERVER_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def _lock_file(data_dir: Path) -> IO[bytes]:
    private_dir(data_dir)
    return open_private(data_dir / SERVER_LOCK, "ab")  # held open by the caller


def scrub(folder: Path | None, change: Callable[[Store], Any]) -> int:
    """Apply ``change`` (a privacy delete) to every backup in ``folder``, then VACUUM it so
    the deleted rows leave the file; return how many backups it changed.

    ``change`` gets a Store over one backup and raises NotFound when the backup does not
    hold what is deleted (it is older, or was scrubbed already).
    """
    changed = 0
    with _folder_lock:
        for item in list_backups(folder) if folder else []:
            try:
                conn = sqlite3.connect(item.path, isolation_level=None, check_same_thread=False)
            except sqlite3.Error:
                continue
            try:
                conn.execute("PRAGMA foreign_keys=ON")
                conn.execute("PRAGMA secure_delete=ON")
                db = Database(conn)
                migrate(db)
                try:
                    change(Store(db))
                except NotFound:
                    continue
                conn.execute("VACUUM")
                changed += 1
            finally:
                conn.close()
    return changed
