"""The data directory's files, readable by their owner only.

On a shared laptop the data dir holds everything a room said (the database, its backups,
the photos of handwritten cards) and what signs cookies: before this, all of it was created
world-readable (0644 files in 0755 folders) by whatever umask the shell had. Every folder
of it is now made 0700 and every file 0600 with an explicit mode (not a umask, which would
change the modes of everything else the process writes), and :func:`secure_data_dir` puts
right the modes of files an older version left, at each start.

SQLite creates a database's ``-wal``, ``-shm`` and ``-journal`` files with the database
file's own mode, so creating the database file 0600 first (:func:`create_private`) is
what keeps those private too.

``os.fchmod`` is POSIX-only (Windows has it from Python 3.13): :func:`_set_mode` falls back
to ``os.chmod`` by path there, where a mode only sets or clears the read-only flag (a
Windows user's files are private by their folder's permissions instead).
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO

DIR_MODE = 0o700
FILE_MODE = 0o600

# What the server and the CLI keep at the top of a data dir, besides these folders (walked
# whole). Only these are touched: a data dir pointed at a folder holding other files (a home
# directory) never has those changed.
FOLDERS = ("backups", "photos")
PREFIXES = (
    "workshop.db",  # and its -wal, -shm, .migrate-lock
    "secret-key",
    "facilitator-",
    "server.lock",
    "server.json",
    "backups.lock",
    ".secret-key.",  # a token file half written when a process was killed
    ".facilitator-",
)


def private_dir(path: Path) -> Path:
    """Make the folder ``path`` (and its missing parents) and make it 0700."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    if stat.S_IMODE(path.stat().st_mode) != DIR_MODE:
        path.chmod(DIR_MODE)
    return path


def _set_mode(descriptor: int, path: Path) -> None:
    if hasattr(os, "fchmod"):
        os.fchmod(descriptor, FILE_MODE)
    else:  # Windows before Python 3.13
        os.chmod(path, FILE_MODE)


def create_private(path: Path) -> Path:
    """Create ``path`` as an empty 0600 file if it is missing, or make it 0600."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    try:
        _set_mode(descriptor, path)
    finally:
        os.close(descriptor)
    return path


def open_private(path: Path, mode: str = "wb", **options: object) -> IO:
    """``open(path, mode)`` for writing or appending, the file 0600 however it was before
    (an existing file keeps its mode through ``open``: it is changed here)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if "a" in mode else os.O_TRUNC)
    descriptor = os.open(path, flags, FILE_MODE)
    try:
        _set_mode(descriptor, path)
        return os.fdopen(descriptor, mode, **options)  # type: ignore[call-overload]
    except BaseException:
        os.close(descriptor)
        raise


def write_private(path: Path, data: bytes) -> None:
    with open_private(path, "wb") as handle:
        handle.write(data)


def secure_data_dir(data_dir: Path) -> int:
    """Make ``data_dir`` 0700 and what the workshop keeps in it 0700/0600; return how many
    modes were changed. Symbolic links are left alone (their target may be anyone's)."""
    changed = 0
    for path, want in _kept(data_dir):
        with contextlib.suppress(FileNotFoundError):
            status = path.lstat()
            if stat.S_ISLNK(status.st_mode) or stat.S_IMODE(status.st_mode) == want:
                continue
            path.chmod(want)
            changed += 1
    return changed


def _kept(data_dir: Path) -> Iterator[tuple[Path, int]]:
    if not data_dir.is_dir():
        return
    yield data_dir, DIR_MODE
    for entry in data_dir.iterdir():
        if entry.name in FOLDERS and entry.is_dir() and not entry.is_symlink():
            yield entry, DIR_MODE
            for folder, dirs, names in os.walk(entry):
                yield from ((Path(folder) / name, DIR_MODE) for name in dirs)
                yield from ((Path(folder) / name, FILE_MODE) for name in names)
        elif entry.name.startswith(PREFIXES) and entry.is_file():
            yield entry, FILE_MODE
