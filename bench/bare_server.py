"""The bare stack the app is compared with: python-socketio under gevent, nothing else.

Same async mode as ``workshop serve`` (gevent pywsgi + simple-websocket, TCP_NODELAY on
accepted sockets, the same ping settings), no database, no checks. It takes a note the way
the app does, over HTTP POST, and broadcasts it the way the app does: to the board room at
once, to the phone room in a batch every 0.5 s.

    python bench/bare_server.py --port 5099 [--nagle] [--phone-batch each|list]

``--nagle`` leaves Nagle's algorithm on (to measure what TCP_NODELAY buys).
``--store FILE`` keeps each note before answering, as little as a server that acknowledges
only what is on disk can do: one ``INSERT`` and its ``COMMIT`` into SQLite with the app's
settings (WAL, ``synchronous=FULL``), no checks, no events table (the bench's
``bare-durable``). It shows what of the app's cost is the disk, not the app.
``--phone-batch list`` mirrors the app's phone page (which asks for batches): each phone gets
one ``batch`` message per flush holding the flush's notes, in the app's own shapes (the whole
public note to boards, the phone page's fields to phones; bench/realtime.py's ``bare``).
``each`` (this script's default, the bench's ``bare-each``) emits every queued note to every
phone as its own ``note.created`` message, as the app did before, to show what the coalescing
saves.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import contextlib  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import socket  # noqa: E402
import sqlite3  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from typing import Any  # noqa: E402

import gevent  # noqa: E402
import socketio  # noqa: E402
from gevent import pywsgi  # noqa: E402

from workshop.core.protocol import PHONE_NOTE_FIELDS  # noqa: E402 - a tuple: the wire's shape

BATCH_SECONDS = 0.5
COOKIE = "workshop=bare; Path=/; HttpOnly; SameSite=Lax"


def open_store(path: str) -> sqlite3.Connection:
    """A note table in SQLite, set as the app sets its database (workshop.core.db)."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute(
        """CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, workshop TEXT NOT NULL,
           client_id TEXT NOT NULL, text TEXT, color TEXT, prompt_id INTEGER, created_at TEXT,
           UNIQUE (workshop, client_id))"""
    )
    return conn


def build_app(phone_batch: str, store: sqlite3.Connection | None = None) -> Any:
    sio = socketio.Server(
        async_mode="gevent",
        ping_interval=20,
        ping_timeout=20,
        max_http_buffer_size=64 * 1024,
    )
    phone_queue: dict[str, list[dict]] = defaultdict(list)
    ids = itertools.count(1)

    @sio.on("connect")
    def connect(sid: str, environ: dict, auth: Any) -> None:
        auth = auth if isinstance(auth, dict) else {}
        code, view = auth.get("code"), auth.get("view")
        if view not in ("board", "phone") or not isinstance(code, str):
            raise ConnectionRefusedError("view must be 'board' or 'phone'")
        sio.enter_room(sid, f"{code}/{view}")
        sio.emit("welcome", {"role": view, "seq": 0}, to=sid)

    def flush_phones() -> None:
        while True:
            gevent.sleep(BATCH_SECONDS)
            queued = dict(phone_queue)
            phone_queue.clear()
            for code, notes in queued.items():
                if phone_batch == "list":  # the app's batch message, byte for byte in shape
                    # What the app's phone page is sent of a note (workshop.core.protocol).
                    events = [
                        ["note.created", {k: note[k] for k in PHONE_NOTE_FIELDS if k in note}]
                        for note in notes
                    ]
                    sio.emit("batch", {"events": events}, to=f"{code}/phone")
                else:
                    for note in notes:
                        sio.emit("note.created", note, to=f"{code}/phone")

    def answer(start_response: Any, status: str, body: Any, *headers: tuple) -> list[bytes]:
        data = json.dumps(body).encode()
        start_response(
            status,
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(data))),
                *headers,
            ],
        )
        return [data]

    def http(environ: dict, start_response: Any) -> list[bytes]:
        """POST /api/workshops, .../<code>/join and .../<code>/notes; nothing checked."""
        parts = environ.get("PATH_INFO", "").strip("/").split("/")
        if environ["REQUEST_METHOD"] != "POST" or parts[:2] != ["api", "workshops"]:
            return answer(start_response, "404 Not Found", {"error": "not found"})
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        if len(parts) == 2:
            return answer(start_response, "201 Created", {"code": "BARE"})
        if len(parts) == 4 and parts[3] == "join":
            return answer(start_response, "200 OK", {"attendee_id": "bare"}, ("Set-Cookie", COOKIE))
        if len(parts) == 4 and parts[3] == "notes":
            data = json.loads(raw or b"{}")
            code = parts[2]
            stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            if store is None:
                note_id = next(ids)
            else:  # on disk before it is answered
                store.execute("BEGIN IMMEDIATE")
                note_id = store.execute(
                    "INSERT INTO notes (workshop, client_id, text, color, prompt_id, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                    [
                        code,
                        data.get("client_id"),
                        data.get("text"),
                        data.get("color"),
                        data.get("prompt_id"),
                        stamp,
                    ],
                ).fetchone()[0]
                store.execute("COMMIT")
            note = {  # the app's note as a public board gets it, so payloads weigh the same
                "id": note_id,
                "workshop": code,
                "text": data.get("text"),
                "color": data.get("color") or "yellow",
                "source": "phone",
                "prompt_id": data.get("prompt_id"),
                "section_id": None,
                "position": float(note_id),
                "group_id": None,
                "hidden": False,
                "withdrawn": False,
                "withdrawn_at": None,
                "votes": 0,
                "paper_dots": 0,
                "plus_ones": 0,
                "card_code": None,
                "author_label": None,
                "sorted": False,
                "entered_by": None,
                "photo": None,
                "awaiting_text": False,
                "merged_into": None,
                "outcome": None,
                "outcome_reason": None,
                "online": False,
                "created_at": stamp,
                "updated_at": stamp,
                "merged": [],
                "next_step_ids": [],
                "edited": False,
                "seq": note_id,
            }
            sio.emit("note.created", note, to=f"{code}/board")
            phone_queue[code].append(note)
            return answer(start_response, "201 Created", note)
        return answer(start_response, "404 Not Found", {"error": "not found"})

    gevent.spawn(flush_phones)
    return socketio.WSGIApp(sio, http)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5099)
    parser.add_argument("--nagle", action="store_true", help="do not set TCP_NODELAY")
    parser.add_argument("--phone-batch", choices=("each", "list"), default="each")
    parser.add_argument("--store", help="an SQLite file to keep each note in before answering")
    args = parser.parse_args()

    nodelay = not args.nagle
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)  # one socket per phone
    if hard == resource.RLIM_INFINITY or hard >= 8192:
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 8192), hard))

    class Handler(pywsgi.WSGIHandler):
        def __init__(self, sock: socket.socket, address: Any, server: Any, rfile: Any = None):
            if nodelay:
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            super().__init__(sock, address, server, rfile)

    server = pywsgi.WSGIServer(
        (args.host, args.port),
        build_app(args.phone_batch, open_store(args.store) if args.store else None),
        handler_class=Handler,
        log=None,
    )
    print(f"bare server on http://{args.host}:{args.port} pid {os.getpid()}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
