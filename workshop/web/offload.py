"""Run CPU-heavy work (PDFs, photos) off the event loop, some of it a few at a time.

Under gevent a 300-card deck built inside a handler froze every socket for 3.5 s
(docs/measurements.md); in gevent's thread pool the sockets kept answering in ~10 ms.

Photos are also limited to :data:`PHOTO_SLOTS` decoding at once. Six 40-megapixel uploads
decoding in six pool threads at once held every other request ~3 s: the threads took both
cores and the event loop queued for the interpreter lock behind them each time it woke.
With two at a time the others wait their turn without a thread (a cooperative wait), and
the decoding threads run at a lower priority than the loop: another workshop's request
during six such uploads then waited at most ~90 ms, not ~1 s (docs/performance.md,
bench/uploads.py).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from flask import request
from gevent import get_hub, monkey
from gevent import sleep as gevent_sleep
from gevent.lock import BoundedSemaphore

T = TypeVar("T")

PHOTO_SLOTS = 2
BACKGROUND_NICE = 10  # pool threads that decoded photos keep it: PDFs are background work too


class Slots:
    """At most ``size`` calls at once of one kind of work (see :func:`run_blocking`).

    The semaphore is made on first use, of the kind the process then runs: gevent's (a
    waiting greenlet lets the others run) when serving under gevent, else a thread one.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._semaphore: Any = None
        self._made = threading.Lock()

    def semaphore(self) -> Any:
        if self._semaphore is None:
            with self._made:
                if self._semaphore is None:
                    patched = monkey.is_module_patched("socket")
                    kind = BoundedSemaphore if patched else threading.BoundedSemaphore
                    self._semaphore = kind(self.size)
        return self._semaphore


photo_slots = Slots(PHOTO_SLOTS)


def _at_low_priority(function: Callable[..., T], *args: Any) -> T:
    """In a pool thread: run below the event loop's priority (on Linux nice is per thread),
    so the loop takes a core whenever it has work and decoding gets the rest."""
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE)
    return function(*args)


def run_blocking(function: Callable[..., T], *args: Any, slots: Slots | None = None) -> T:
    """Call ``function(*args)`` in a real OS thread when serving under gevent; with
    ``slots``, only when one of them is free (waiting for it cooperatively), and at a low
    priority."""
    if not monkey.is_module_patched("socket"):
        if slots is None:
            return function(*args)
        with slots.semaphore():
            return function(*args)
    pool = get_hub().threadpool
    if slots is None:
        return pool.apply(function, args)
    with slots.semaphore():
        return pool.apply(_at_low_priority, (function, *args))


def _cooperative_pause() -> None:
    """Let the other greenlets run (serving under gevent); nothing otherwise."""
    if monkey.is_module_patched("socket"):
        gevent_sleep(0)


class TakingTurns:
    """An upload's body, read in turns with the rest of the server.

    Reading a socket under gevent yields only when no data is waiting: a 9 MB photo that had
    already arrived was read and split into its form fields (werkzeug's multipart parser, in
    64 KB chunks) in one go, every other request waiting behind it. This stream lets the
    others run after each chunk it hands over, so an upload costs them one chunk's parse at
    a time (``pause``: the yield; gevent's under ``workshop serve``).
    """

    def __init__(self, stream: Any, pause: Callable[[], None] = _cooperative_pause) -> None:
        self._stream = stream
        self._pause = pause

    def read(self, *args: Any) -> bytes:
        data = self._stream.read(*args)
        self._pause()
        return data

    def readline(self, *args: Any) -> bytes:
        data = self._stream.readline(*args)
        self._pause()
        return data

    def readinto(self, buffer: Any) -> int:
        if hasattr(self._stream, "readinto"):
            count = self._stream.readinto(buffer)
        else:
            data = self._stream.read(len(buffer))
            count = len(data)
            buffer[:count] = data
        self._pause()
        return count

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def read_uploads_in_turns() -> None:
    """The app-wide ``before_request`` hook: a multipart body (a photo) is read through
    :class:`TakingTurns`. Runs before anything reads the body."""
    if request.mimetype == "multipart/form-data":
        request.environ["wsgi.input"] = TakingTurns(request.environ["wsgi.input"])
