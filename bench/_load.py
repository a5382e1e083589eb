"""The load generator of bench/realtime.py: asyncio processes, driven over a pipe.

Two kinds of process, both python-socketio ``AsyncClient`` over aiohttp, WebSocket only:

* :func:`phones_process` joins and connects N phone views and, for every note that reaches a
  phone, records how long after it was posted (the post time travels in the note's text, and
  ``time.monotonic`` is one clock for every process on Linux). It runs at a lower priority so
  that receiving thousands of batched messages never delays the driver's measurements.
* :func:`driver_process` connects the boards and posts the notes over HTTP, as phones do:
  each note is timed from the post to its HTTP answer (acknowledged, on disk) and to its
  arrival on every board.

Every wait is bounded; the processes only talk to the URL they are given (127.0.0.1).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import aiohttp
import socketio

CONNECT_CONCURRENCY = 50
JOIN_CONCURRENCY = 20
REQUEST_TIMEOUT = 30.0
POLL = 0.05
PHONES_NET, POSTERS_NET = 1, 2  # phone views play from 127.1.x.y, posting phones from 127.2.x.y


def note_text(tag: str, index: int, posted: float) -> str:
    return f"bench {tag} {index} t={posted:.6f}"


def parse_text(text: Any) -> tuple[str, int, float] | None:
    """``(tag, index, posted)`` of a bench note, or None for anything else."""
    parts = text.split(" ") if isinstance(text, str) else []
    if len(parts) != 4 or parts[0] != "bench" or not parts[3].startswith("t="):
        return None
    try:
        return parts[1], int(parts[2]), float(parts[3][2:])
    except ValueError:
        return None


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def hist_percentile(hist: dict[int, int], q: float) -> float | None:
    """Percentile (ms) of a histogram of whole milliseconds."""
    total = sum(hist.values())
    if not total:
        return None
    rank = max(1, round(q / 100 * total + 0.5))
    seen = 0
    for ms in sorted(hist):
        seen += hist[ms]
        if seen >= rank:
            return float(ms)
    return float(max(hist))


def pin(cpu: int | None, niceness: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the orchestrator, which stops us
    if cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cpu})
    if niceness:
        os.nice(niceness)


async def join(session: aiohttp.ClientSession, url: str, code: str) -> str:
    """Join the workshop as a new phone; return the session cookie ``name=value``."""
    async with session.post(f"{url}/api/workshops/{code}/join", json={}) as response:
        await response.read()
        if response.status != 200:
            raise RuntimeError(f"join answered {response.status}")
        for header in response.headers.getall("Set-Cookie", []):
            return header.split(";", 1)[0]
    raise RuntimeError("join set no cookie")


def phone_address(net: int, index: int) -> str:
    """The loopback address phone ``index`` plays from: its own, as on venue Wi-Fi.

    The app caps the connections one address may hold (64) and how many new phones may join
    from one address, so phones sharing 127.0.0.1 would be refused; 127.0.0.0/8 is all
    loopback, so phone ``index`` of network ``net`` is ``127.net.(index // 250).(index % 250 + 1)``.
    """
    return f"127.{net}.{index // 250}.{index % 250 + 1}"


def phone_session(address: str, **options: Any) -> aiohttp.ClientSession:
    """An HTTP/WebSocket session whose connections leave from ``address``."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(local_addr=(address, 0), limit=0),
        cookie_jar=aiohttp.DummyCookieJar(),
        **options,
    )


class Joiner:
    """Joins new phones, each from its own loopback source address (:func:`phone_address`)."""

    def __init__(self, url: str, code: str, net: int) -> None:
        self.url, self.code, self.net = url, code, net
        self.joined = 0

    async def join(self, count: int) -> list[tuple[str, str]]:
        """Join ``count`` new phones; return each one's ``(cookie, address)``."""
        timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
        first, last = self.joined, self.joined + count
        self.joined = last
        limit = asyncio.Semaphore(JOIN_CONCURRENCY)

        async def one(index: int) -> tuple[str, str]:
            address = phone_address(self.net, index)
            async with limit, phone_session(address, timeout=timeout) as session:
                return await join(session, self.url, self.code), address

        return list(await asyncio.gather(*(one(i) for i in range(first, last))))


async def receive(conn: Connection) -> Any:
    return await asyncio.get_running_loop().run_in_executor(None, conn.recv)


# -- phones --------------------------------------------------------------------------------


class Phones:
    """N phone views: what reached each of them, and how late.

    ``client="lean"`` (the default) speaks Engine.IO 4 / Socket.IO 5 over an aiohttp
    WebSocket itself: the handshake with ``auth``, pong to pings, and one ``json.loads`` per
    event. python-socketio's ``AsyncClient`` (``client="socketio"``) spends about 36 µs of CPU
    on each message it receives (a task per message) against about 9 µs here, and at hundreds
    of phones receiving every note the generator, not the server, would be measured.
    """

    def __init__(self, url: str, code: str, count: int, client: str = "lean") -> None:
        self.url, self.code, self.count, self.client = url, code, count, client
        self.clients: list[Any] = []
        self.latency: dict[str, Counter] = defaultdict(Counter)  # tag -> Counter(ms)
        self.seen: dict[str, list[int]] = defaultdict(lambda: [0] * count)
        self.failures: Counter = Counter()
        self.disconnects = 0
        self.welcomed = 0
        self.connect_seconds: list[float] = []
        self.sessions: list[aiohttp.ClientSession] = []
        self.readers: list[asyncio.Task] = []
        self.closing = False

    def _record(self, phone: int, note: Any) -> None:
        now = time.monotonic()
        parsed = parse_text(note.get("text")) if isinstance(note, dict) else None
        if parsed is None:
            return
        tag, _, posted = parsed
        self.latency[tag][int((now - posted) * 1000)] += 1
        self.seen[tag][phone] += 1

    def _event(self, phone: int, name: Any, payload: Any) -> None:
        if name == "note.created":
            self._record(phone, payload)
        elif name == "notes.batch":  # the bare server's list
            for note in payload if isinstance(payload, list) else []:
                self._record(phone, note)
        elif name == "batch":  # the app's: {"events": [[name, payload], …]}
            events = payload.get("events") if isinstance(payload, dict) else None
            for item in events if isinstance(events, list) else []:
                if isinstance(item, list) and len(item) == 2 and item[0] == "note.created":
                    self._record(phone, item[1])
        elif name == "welcome":
            self.welcomed += 1

    def _socketio_handlers(self, phone: int, client: socketio.AsyncClient) -> None:
        @client.on("*")
        def any_event(name: str, payload: Any = None) -> None:
            self._event(phone, name, payload)

        @client.on("disconnect")
        def disconnect(*_: Any) -> None:
            if not self.closing:
                self.disconnects += 1

    async def _connect_socketio(self, phone: int, cookie: str, address: str) -> None:
        session = phone_session(address)
        self.sessions.append(session)
        client = socketio.AsyncClient(reconnection=False, handle_sigint=False, http_session=session)
        self._socketio_handlers(phone, client)
        await client.connect(
            self.url,
            headers={"Cookie": cookie},
            auth={"code": self.code, "view": "phone", "batch": True},
            transports=["websocket"],
            wait_timeout=15,
        )
        self.clients.append(client)

    async def _connect_lean(self, phone: int, cookie: str, address: str) -> None:
        session = phone_session(address)
        self.sessions.append(session)
        url = self.url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        ws = await session.ws_connect(url, headers={"Cookie": cookie})
        try:
            opened = await ws.receive(timeout=15)
            if not isinstance(opened.data, str) or not opened.data.startswith("0"):
                raise ConnectionError(f"no Engine.IO open packet: {opened.data!r:.60}")
            # Like the app's phone page: the room's changes as one message per flush.
            await ws.send_str(
                "40" + json.dumps({"code": self.code, "view": "phone", "batch": True})
            )
            while True:
                answer = await ws.receive(timeout=15)
                data = answer.data if isinstance(answer.data, str) else ""
                if data == "2":
                    await ws.send_str("3")
                elif data.startswith("40"):
                    break
                elif data.startswith("42"):  # the server's connect handler emits before the ack
                    event = json.loads(data[2:])
                    self._event(phone, event[0], event[1] if len(event) > 1 else None)
                elif data.startswith("44"):
                    raise ConnectionError(f"refused: {data[2:]:.60}")
                else:
                    raise ConnectionError(f"unexpected {answer.type.name} {data!r:.40}")
        except BaseException:
            await ws.close()
            raise
        self.clients.append(ws)
        self.readers.append(asyncio.create_task(self._read_lean(phone, ws)))

    async def _read_lean(self, phone: int, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for message in ws:
            data = message.data
            if not isinstance(data, str):
                continue
            if data.startswith("42"):
                event = json.loads(data[2:])
                self._event(phone, event[0], event[1] if len(event) > 1 else None)
            elif data == "2":
                await ws.send_str("3")
        if not self.closing:
            self.disconnects += 1

    async def connect(self) -> None:
        joined = await Joiner(self.url, self.code, PHONES_NET).join(self.count)
        connect = self._connect_lean if self.client == "lean" else self._connect_socketio
        limit = asyncio.Semaphore(CONNECT_CONCURRENCY)

        async def one(phone: int) -> None:
            async with limit:
                started = time.monotonic()
                try:
                    await asyncio.wait_for(connect(phone, *joined[phone]), 30)
                except Exception as error:  # counted and reported, never fatal
                    self.failures[f"{type(error).__name__}: {error}"[:80]] += 1
                    return
                self.connect_seconds.append(time.monotonic() - started)

        await asyncio.gather(*(one(phone) for phone in range(self.count)))
        deadline = time.monotonic() + 10
        while self.welcomed < len(self.clients) and time.monotonic() < deadline:
            await asyncio.sleep(POLL)

    async def report(self, tag: str, expected: int, wait: float) -> dict:
        """Wait (bounded) until every connected phone has seen ``expected`` notes of ``tag``."""
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if sum(1 for n in self.seen[tag] if n >= expected) >= len(self.clients):
                break
            await asyncio.sleep(POLL)
        seen = self.seen[tag]
        return {
            "hist": dict(self.latency[tag]),
            "complete": sum(1 for n in seen if n >= expected),
            "extra": sum(max(0, n - expected) for n in seen),
            "deliveries": sum(seen),
            "disconnects": self.disconnects,
        }

    async def close(self) -> None:
        self.closing = True

        async def one(client: Any) -> None:
            with contextlib.suppress(Exception):
                closing = client.disconnect() if self.client == "socketio" else client.close()
                await asyncio.wait_for(closing, 5)

        await asyncio.gather(*(one(client) for client in self.clients))
        for reader in self.readers:
            reader.cancel()
        for session in self.sessions:
            await session.close()


def phones_process(
    conn: Connection, url: str, code: str, count: int, client: str, cpu: int | None, nice: int
) -> None:
    """Entry point of a phones process: ``ready``, then answers ``report`` until ``stop``."""
    pin(cpu, nice)
    asyncio.run(_phones(conn, url, code, count, client))


async def _phones(conn: Connection, url: str, code: str, count: int, client: str) -> None:
    phones = Phones(url, code, count, client)
    started = time.monotonic()
    try:
        await phones.connect()
    except Exception as error:
        conn.send({"error": f"{type(error).__name__}: {error}"})
        return
    conn.send(
        {
            "connected": len(phones.clients),
            "failed": sum(phones.failures.values()),
            "failures": dict(phones.failures.most_common(3)),
            "welcomed": phones.welcomed,
            "seconds": time.monotonic() - started,
            "connect_p95": percentile(phones.connect_seconds, 95),
        }
    )
    while True:
        command = await receive(conn)
        if command[0] == "report":
            conn.send(await phones.report(*command[1:]))
        else:
            break
    await phones.close()
    conn.send({"stopped": True})


# -- driver: boards and posts --------------------------------------------------------------


class Driver:
    """The boards and the posting phones; times every note."""

    def __init__(self, url: str, code: str, boards: int) -> None:
        self.url, self.code = url, code
        self.boards = [self._board(i) for i in range(boards)]
        self.reconnects = 0
        self.ever_connected: set[int] = set()
        self.arrivals: list[dict[tuple[str, int], list[float]]] = [
            defaultdict(list) for _ in range(boards)
        ]
        self.disconnects = 0
        self.posters: list[tuple[str, aiohttp.ClientSession]] = []  # (cookie, session)
        self.joiner = Joiner(url, code, POSTERS_NET)

    def _board(self, index: int) -> socketio.AsyncClient:
        client = socketio.AsyncClient(reconnection=False, handle_sigint=False)

        @client.on("note.created")
        def note_created(note: Any) -> None:
            now = time.monotonic()
            parsed = parse_text(note.get("text")) if isinstance(note, dict) else None
            if parsed is not None:
                self.arrivals[index][parsed[0], parsed[1]].append(now)

        @client.on("disconnect")
        def disconnect(*_: Any) -> None:
            self.disconnects += 1

        return client

    async def connect_boards(self) -> None:
        """Connect every board that is not (again, after a drop: counted as a reconnect)."""
        for index, board in enumerate(self.boards):
            if board.connected:
                continue
            if index in self.ever_connected:  # a dropped board: a new client, as a browser would
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(board.disconnect(), 5)
                board = self.boards[index] = self._board(index)
                self.reconnects += 1
            await board.connect(
                self.url,
                auth={"code": self.code, "view": "board"},
                transports=["websocket"],
                wait_timeout=15,
            )
            self.ever_connected.add(index)

    async def connect(self) -> None:
        await self.connect_boards()

    async def prepare(self, posters: int) -> None:
        """Join fresh posting phones, so every load starts with full rate-limit buckets; each
        posts from its own address, as it joined."""
        await self.close_posters()
        timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
        self.posters = [
            (cookie, phone_session(address, timeout=timeout))
            for cookie, address in await self.joiner.join(posters)
        ]

    async def close_posters(self) -> None:
        for _, session in self.posters:
            await session.close()
        self.posters = []

    async def post(self, tag: str, index: int, poster: tuple, notes: dict) -> None:
        cookie, session = poster
        posted = time.monotonic()
        body = {"text": note_text(tag, index, posted), "client_id": f"{tag}-{index}"}
        record = notes[index] = {"posted": posted, "status": None, "acked": None}
        try:
            async with session.post(
                f"{self.url}/api/workshops/{self.code}/notes",
                json=body,
                headers={"Cookie": cookie},
            ) as response:
                await response.read()
                record["status"] = response.status
        except Exception as error:  # a timeout or a dropped connection: counted as an error
            record["status"] = type(error).__name__
        record["acked"] = time.monotonic()

    async def run(self, spec: dict) -> dict:
        """Post one load; wait (bounded) for the boards; return the measurements."""
        await self.connect_boards()
        tag, notes = spec["tag"], {}
        rng = random.Random(spec.get("seed", 1))
        tasks: list[asyncio.Task] = []
        started = time.monotonic()
        if spec["kind"] == "steady":
            interval = 1.0 / spec["rate"]
            for index in range(spec["total"]):
                delay = started + index * interval - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                poster = self.posters[index % len(self.posters)]
                tasks.append(asyncio.create_task(self.post(tag, index, poster, notes)))
        else:  # burst: every poster starts within one second and sends its notes in a row
            per = spec["per_poster"]

            async def poster(number: int, phone: tuple) -> None:
                await asyncio.sleep(rng.random() * spec.get("spread", 1.0))
                for k in range(per):
                    await self.post(tag, number * per + k, phone, notes)

            tasks = [
                asyncio.create_task(poster(number, phone))
                for number, phone in enumerate(self.posters)
            ]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.gather(*tasks), spec["timeout"])
        for task in tasks:
            task.cancel()
        posted_done = time.monotonic()
        acked = [i for i, n in notes.items() if n["status"] == 201]
        deadline = time.monotonic() + spec["drain"]
        while time.monotonic() < deadline:
            if all((tag, i) in board for board in self.arrivals for i in acked):
                break
            await asyncio.sleep(POLL)
        return self._measure(tag, notes, acked, started, posted_done)

    def _measure(self, tag: str, notes: dict, acked: list[int], started: float, done: float):
        ack_ms = [(n["acked"] - n["posted"]) * 1000 for n in notes.values() if n["status"] == 201]
        board_ms, lost, duplicated, last_board = [], 0, 0, started
        for i in acked:
            times = [board.get((tag, i)) for board in self.arrivals]
            lost += sum(1 for t in times if not t)
            duplicated += sum(len(t) - 1 for t in times if t)
            if all(times):
                last = max(t[0] for t in times)
                last_board = max(last_board, last)
                board_ms.append((last - notes[i]["posted"]) * 1000)
        ours = {(tag, i) for i in notes}
        strays = sum(
            1 for board in self.arrivals for key in board if key[0] == tag and key not in ours
        )
        first = min((n["posted"] for n in notes.values()), default=started)
        last_ack = max((n["acked"] for n in notes.values() if n["acked"]), default=first)
        return {
            "posted": len(notes),
            "acked": len(acked),
            "statuses": dict(Counter(str(n["status"]) for n in notes.values())),
            "ack_ms": {q: percentile(ack_ms, q) for q in (50, 95, 99)},
            "board_ms": {q: percentile(board_ms, q) for q in (50, 95, 99)},
            "board_max_ms": max(board_ms, default=None),
            "lost": lost,
            "duplicated": duplicated,
            "strays": strays,
            "ack_per_s": len(acked) / max(1e-9, last_ack - first),
            "board_per_s": len(board_ms) / max(1e-9, last_board - first) if board_ms else 0.0,
            "post_seconds": done - started,
            "board_disconnects": self.disconnects,
            "board_reconnects": self.reconnects,
        }

    async def close(self) -> None:
        await self.close_posters()
        for board in self.boards:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(board.disconnect(), 5)


def driver_process(
    conn: Connection, url: str, code: str, boards: int, cpu: int | None, nice: int
) -> None:
    """Entry point of the driver: ``ready``, then ``prepare``/``run`` loads until ``stop``."""
    pin(cpu, nice)
    asyncio.run(_driver(conn, url, code, boards))


async def _driver(conn: Connection, url: str, code: str, boards: int) -> None:
    driver = Driver(url, code, boards)
    try:
        await driver.connect()
    except Exception as error:
        conn.send({"error": f"{type(error).__name__}: {error}"})
        return
    conn.send({"ready": True})
    while True:
        command = await receive(conn)
        try:
            if command[0] == "prepare":
                await driver.prepare(command[1])
                conn.send(
                    {"prepared": len(driver.posters), "board_disconnects": driver.disconnects}
                )
            elif command[0] == "run":
                conn.send(await driver.run(command[1]))
            else:
                break
        except Exception as error:
            conn.send({"error": f"{type(error).__name__}: {error}"})
    await driver.close()
    conn.send({"stopped": True})


def checkouts(before: Path | None) -> list[tuple[str, Path | None]]:
    """The servers a before/after bench measures: this checkout, and ``--before`` if given."""
    servers: list[tuple[str, Path | None]] = [("this checkout", None)]
    if before:
        servers.append((f"before ({before})", before.resolve()))
    return servers


@contextlib.contextmanager
def served(checkout: Path | None, prefix: str) -> Iterator[Any]:
    """A `workshop serve` of ``checkout`` (None: this one) on a fresh data dir, stopped after."""
    from tests.liveserver import LiveServer

    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        # -P: `python -m` would put this directory (the current one) before PYTHONPATH
        env = {"PYTHONPATH": str(checkout), "PYTHONSAFEPATH": "1"} if checkout else None
        server = LiveServer(Path(tmp) / "data", env=env).start()
        try:
            yield server
        finally:
            server.stop()
