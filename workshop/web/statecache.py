"""The board's state, encoded once per workshop ``seq`` and viewer kind.

``GET /api/workshops/<code>/state`` is what every board, and every phone that sees a gap,
fetches; for a 1,000-note board reading, encoding and compressing it cost ~10 ms of the one
event loop, and 300 of them at once held another workshop's request 7 s. Every change to a
workshop records an event, which bumps its ``seq`` in the same transaction (core/db.py), so
the notes, groups and participants at a given seq never change: they are encoded and
gzip-compressed once per (workshop, seq, viewer kind) and kept. The kinds are
``facilitator`` (hidden notes, tallies) and ``public``; one is never served to the other.

What may change without a new seq (the timer counts down, a feedback window ends, the
address the request came to) is the ``workshop`` part, made afresh for every request and
put in front of the kept part: its deflate stream is flushed to a byte boundary, and the
kept part's stream (made the same way on its own) follows it, so a whole gzip body costs
compressing a few KB plus a CRC of the rest, not compressing ~300 KB.
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
    raw: bytes  # JSON text: the object's members, without its braces' opening
    deflated: bytes  # the same as a raw deflate stream that ends the body (final block)


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
        """The encoding of ``make()`` for ``where`` (workshop and kind) at ``version``
        (its seq and creation time), made only if it is not kept already. One request
        makes it while the others at the same moment wait for it."""
        with self._lock:
            kept = self._kept.get(where)
            if kept is not None and kept[0] == version:
                self._kept.move_to_end(where)
                return kept[1]
            raw = json.dumps(make(), separators=(",", ":")).encode()
            encoded = Encoded(raw[1:], _deflate(raw[1:], last=True))  # "{" comes in front
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


def respond(fresh: dict[str, Any], kept: Encoded) -> Response:
    """``{**fresh, **kept}`` as a JSON response, gzip-compressed when the client takes it."""
    head = json.dumps(fresh, separators=(",", ":")).encode()
    head = head[:-1] + (b"," if kept.raw != b"}" else b"")  # '{…fresh…,' then '…kept…}'
    if "gzip" not in request.headers.get("Accept-Encoding", ""):
        return Response(head + kept.raw, mimetype="application/json")
    crc = zlib.crc32(kept.raw, zlib.crc32(head))
    size = (len(head) + len(kept.raw)) & 0xFFFFFFFF
    body = b"".join(
        [
            b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff",  # gzip header: deflate, no name/time
            _deflate(head, last=False),
            kept.deflated,
            struct.pack("<II", crc, size),
        ]
    )
    response = Response(body, mimetype="application/json")
    response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    return response
