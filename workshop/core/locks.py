"""Advisory locks on files in the data dir: the one POSIX-only call the serve path makes.

``fcntl.flock`` exists on Linux and macOS only; on Windows this module uses ``msvcrt.locking``
on the file's first byte, which has no shared mode, so a shared lock is taken exclusively
there (one server per data dir on Windows: several processes sharing one through Redis is a
Linux deployment, docs/deploy.md). The kernel drops either kind when the process ends, even
on kill -9. tests/test_platforms.py checks that no other module imports ``fcntl`` or
``msvcrt`` and that the serve path runs with ``fcntl`` hidden.
"""

from __future__ import annotations

import time
from types import ModuleType
from typing import IO

fcntl: ModuleType | None
msvcrt: ModuleType | None
try:
    import fcntl
except ImportError:  # Windows
    fcntl = None
try:
    import msvcrt
except ImportError:  # Linux, macOS
    msvcrt = None

# Neither module: a platform this was never run on. Locks then always succeed, so two
# servers on one data dir are not refused there (said in the README's platform notes).
AVAILABLE = fcntl is not None or msvcrt is not None


def try_lock(handle: IO[bytes], *, shared: bool = False) -> bool:
    """Take a lock on the open file ``handle`` without waiting; False if another process
    holds one that conflicts. The lock lasts until ``handle`` is closed."""
    if fcntl is not None:
        try:
            fcntl.flock(handle, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
    if msvcrt is not None:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    return True


def wait_lock(handle: IO[bytes], pause: float = 0.05) -> None:
    """Take an exclusive lock on ``handle``, waiting as long as another process holds it."""
    if fcntl is not None:
        fcntl.flock(handle, fcntl.LOCK_EX)
        return
    while not try_lock(handle):
        time.sleep(pause)
