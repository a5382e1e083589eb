"""The board's state, encoded once per workshop ``seq`` and viewer kind.

``GET /api/workshops/<code>/state`` is what every board, and every phone that sees a gap,
fetches; for a 1,000-note board reading, encoding and compressing it cost ~10 ms of the one
event loop, and 300 of them at once held another workshop's request 7 s. Every change to a
workshop records an event, which bumps its ``seq`` in the same transaction (core/db.py), so
the notes, groups and participants at a given seq never change: they are encoded and
gzip-compressed once per (workshop, seq, viewer kind) and kept. The kinds are
``facilitator`` (hidden notes, tallies) and ``public``; one is never served to the other.

What may change without a new seq (the timer counts down, a feedback window ends) is made
afresh for every request and put behind the kept part: the kept part's deflate stream is
flushed to a byte boundary and the fresh part's stream (made the same way on its own)
follows it, and the CRC of the kept part is kept too, so a whole gzip body costs
compressing a few bytes, not ~300 KB. The kept part is the base URL's too (the join link
names it): an address the laptop is reached at is part of what is kept apart.
"""

from __future__ import annotations

import json
import struct
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, current_app, request

KEPT_WORKSHOPS = 64  # (workshop, kind) pairs kept; each holds only its latest seq
LEVEL = 6


@dataclass(frozen=True)
class Encoded:
    raw: bytes  # the kept object's JSON text, open inside its last member (see respond)
    deflated: bytes  # the same as raw deflate blocks, flushed to a byte boundary, not final
    crc: int  # zlib.crc32(raw)


def _deflate(data: bytes, *, last: bool) -> bytes:
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(
        zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH
    )


class StateCache:
    """The kept part of each workshop's state, per viewer kind, at its latest seq."""

    def __init__(self, size: int = KEPT_WORKSHOPS) -> None:
        self.size = size
        self._kept: OrderedDict[tuple, tuple[tuple, Encoded]] = OrderedDict()
        self._lock = threading.Lock()
        self.made = 0  # how many were encoded (tests, bench)

    def get(self, where: tuple, version: tuple, make: Callable[[], dict]) -> Encoded:
        """The encoding of ``make()`` for ``where`` (workshop, kind, base URL) at ``version``
        (its seq and creation time), made only if it is not kept already; one request makes
        it while others at the same moment wait for it. The last member of what ``make``
        returns must be an object: the fresh members go at its end."""
        with self._lock:
            kept = self._kept.get(where)
            if kept is not None and kept[0] == version:
                self._kept.move_to_end(where)
                return kept[1]
            raw = json.dumps(make(), separators=(",", ":")).encode()[:-2]  # open: no "}}"
            encoded = Encoded(raw, _deflate(raw, last=False), zlib.crc32(raw))
            self.made += 1
            self._kept[where] = (version, encoded)
            self._kept.move_to_end(where)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
            return encoded


def init_app(app: Flask) -> None:
    app.extensions["workshop_state"] = StateCache()


def cache() -> StateCache:
    return current_app.extensions["workshop_state"]


def _members(values: dict[str, Any]) -> bytes:
    return json.dumps(values, separators=(",", ":")).encode()[1:-1]


def respond(kept: Encoded, inner: dict[str, Any], outer: dict[str, Any]) -> Response:
    """The kept object with ``inner``'s members added to its last member and ``outer``'s
    to itself, as JSON; gzip-compressed when the client takes it."""
    tail = b"," + _members(inner) + b"}," + _members(outer) + b"}"
    if "gzip" not in request.headers.get("Accept-Encoding", ""):
        return Response(kept.raw + tail, mimetype="application/json")
    body = b"".join(
        [
            b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff",  # gzip header: deflate, no name/time
            kept.deflated,
            _deflate(tail, last=True),
            struct.pack(
                "<II", zlib.crc32(tail, kept.crc), (len(kept.raw) + len(tail)) & 0xFFFFFFFF
            ),
        ]
    )
    response = Response(body, mimetype="application/json")
    response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    return response
