"""Scale-out benchmark: one `workshop serve` process against two, both on one Redis.

    .venv/bin/python bench/scaleout.py [--notes 2000] [--rate 150] [--duration 10]
        [--concurrency 50] [--phones 0] [--rounds 2] [--configs 1,2] [--loads max,steady]

It starts a throwaway ``redis-server`` (no persistence, 127.0.0.1 only), then for each
configuration (``1``: one process with ``--message-queue``; ``2``: two processes sharing one
data dir and the queue, the first started, so migrated, before the second; ``0``: one process
without Redis, the baseline) it runs, in each round:

* *max*: ``--notes`` notes posted over HTTP as fast as ``--concurrency`` requests in flight
  allow, round-robin over the processes;
* *steady*: ``--rate`` notes a second for ``--duration`` seconds, round-robin.

Every run has two boards (real python-socketio clients over WebSocket: one on each process,
or both on the single one) and ``--phones`` phone views spread over the processes. For every
note it measures post→acknowledged and post→seen on each board and phone; it reports
throughput (acknowledged notes a second), latency percentiles, notes acknowledged but never
seen (lost), seq inversions seen by the boards, the CPU seconds of the servers and of Redis,
and the CPU other programs used meanwhile. Configurations alternate round by round, and the
table shows each one's quietest round. Every wait is bounded and every process it starts is
stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import psutil
import redis
import requests
import socketio

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "bench-facilitator-token"
PER_PHONE = 4  # notes per joined phone: under the per-phone burst allowance of 5
DRAIN = 20.0  # seconds to wait for the boards after the last acknowledgement
QUIET = 25.0  # % of the machine's CPU that counts as quiet


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def cpu_seconds(pid: int) -> float:
    try:
        times = psutil.Process(pid).cpu_times()
    except psutil.Error:
        return 0.0
    return times.user + times.system


def machine_busy_seconds() -> float:
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


def wait_quiet(limit: float) -> float:
    """Wait (bounded) until the machine is mostly idle; return the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < limit and psutil.cpu_percent(interval=0.5) > QUIET:
        pass
    return time.monotonic() - started


# -- processes -----------------------------------------------------------------------------


def start_logged(command: list[str], log: Path, env: dict | None = None) -> subprocess.Popen:
    with open(log, "ab") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def start_redis(workdir: Path) -> tuple[subprocess.Popen, str]:
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not os.access(binary, os.X_OK):
        sys.exit("redis-server is missing: run `make system-deps` (Debian package redis-server)")
    port = free_port()
    process = start_logged(
        [binary, "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"]
        + ["--port", str(port), "--dir", str(workdir)],
        workdir / "redis.log",
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5) as c:
            c.sendall(b"PING\r\n")
            if c.recv(16).startswith(b"+PONG"):
                return process, f"redis://127.0.0.1:{port}/0"
        time.sleep(0.05)
    stop(process)
    sys.exit(f"redis-server did not start: {(workdir / 'redis.log').read_text()}")


@dataclass
class Server:
    """One `workshop serve [--message-queue URL]` process on a loopback port."""

    data: Path
    queue: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        log = self.data.parent / f"server-{self.port}.log"
        env = {**os.environ, "WORKSHOP_FACILITATOR_TOKEN": TOKEN, "WORKSHOP_PUBLIC_URL": self.url}
        command = [sys.executable, "-m", "workshop.cli", "serve", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--data", str(self.data)]
        if self.queue:
            command += ["--message-queue", self.queue]
        self.process = start_logged(command, log, env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {log.read_text()[-2000:]}")
            try:
                requests.get(self.url + "/", timeout=1)
                return self
            except requests.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"server did not start: {log.read_text()[-2000:]}")


# -- one load ------------------------------------------------------------------------------


class Boards:
    """Real python-socketio clients, one per URL, recording when each note arrives."""

    def __init__(self) -> None:
        self.clients: list[socketio.AsyncClient] = []
        self.arrivals: list[dict[int, float]] = []  # per board: note index -> monotonic time
        self.seqs: list[list[int]] = []

    async def connect(self, urls: list[str], code: str) -> None:
        for url in urls:
            board = len(self.clients)
            client = socketio.AsyncClient(reconnection=False)
            self.arrivals.append({})
            self.seqs.append([])

            def created(note: dict, board: int = board) -> None:
                now = time.monotonic()
                parts = str(note.get("text", "")).split(" ")
                if len(parts) == 3 and parts[0] == "bench":
                    self.arrivals[board][int(parts[2])] = now
                    self.seqs[board].append(note["seq"])

            client.on("note.created", created)
            await client.connect(
                url, auth={"code": code, "view": "board"}, transports=["websocket"], wait_timeout=10
            )
            self.clients.append(client)

    async def close(self) -> None:
        closing = asyncio.gather(*(c.disconnect() for c in self.clients), return_exceptions=True)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(closing, 15)


class Phones:
    """Phone views, spread over the processes, asking for batches as the phone page does.
    They speak Engine.IO 4 / Socket.IO 5 over an aiohttp WebSocket directly (handshake,
    pong, one json.loads per message): at hundreds of phones python-socketio's client would
    make the generator the bottleneck."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.arrivals: list[dict[int, float]] = [{} for _ in range(count)]
        self.seqs: list[list[int]] = [[] for _ in range(count)]
        self.failures = 0
        self.sockets: list[aiohttp.ClientWebSocketResponse] = []
        self.readers: list[asyncio.Task] = []
        self.session: aiohttp.ClientSession | None = None

    async def connect(self, urls: list[str], code: str) -> None:
        # Their own session: each socket holds a connection for good, which must not take
        # the posting session's places (its connector is the bound on requests in flight).
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0), cookie_jar=aiohttp.DummyCookieJar()
        )
        session = self.session
        limit = asyncio.Semaphore(50)

        async def one(phone: int) -> None:
            url = urls[phone % len(urls)].replace("http", "ws", 1)
            async with limit:
                try:
                    ws = await session.ws_connect(f"{url}/socket.io/?EIO=4&transport=websocket")
                    opened = await ws.receive(timeout=15)
                    if not str(opened.data).startswith("0"):
                        raise ConnectionError(f"no Engine.IO open packet: {opened.data!r:.60}")
                    auth = {"code": code, "view": "phone", "batch": True}  # as the phone page
                    await ws.send_str("40" + json.dumps(auth))
                    for _ in range(10):  # the welcome may come before the connect ack
                        answer = await ws.receive(timeout=15)
                        if answer.type != aiohttp.WSMsgType.TEXT:
                            raise ConnectionError(f"closed during the handshake: {answer.type}")
                        if answer.data.startswith("40"):
                            break
                    else:
                        raise ConnectionError("no Socket.IO connect ack")
                except (aiohttp.ClientError, ConnectionError, TimeoutError):
                    self.failures += 1
                    return
            self.sockets.append(ws)
            self.readers.append(asyncio.create_task(self._read(phone, ws)))

        await asyncio.gather(*(one(phone) for phone in range(self.count)))

    async def _read(self, phone: int, ws: aiohttp.ClientWebSocketResponse) -> None:
        arrivals, seqs = self.arrivals[phone], self.seqs[phone]
        async for message in ws:
            data = message.data
            if not isinstance(data, str):
                continue
            if data.startswith('42["batch"'):  # {events: [[name, payload], ...]}
                now = time.monotonic()
                for name, note in json.loads(data[2:])[1]["events"]:
                    parts = str(note.get("text", "")).split(" ") if name == "note.created" else []
                    if len(parts) == 3 and parts[0] == "bench":
                        arrivals[int(parts[2])] = now
                        seqs.append(note["seq"])
            elif data == "2":
                await ws.send_str("3")

    async def close(self) -> None:
        for reader in self.readers:
            reader.cancel()
        await asyncio.gather(*self.readers, return_exceptions=True)
        closing = asyncio.gather(*(ws.close() for ws in self.sockets), return_exceptions=True)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(closing, 15)
        if self.session:
            await self.session.close()


async def join_phones(session: aiohttp.ClientSession, urls: list[str], code: str, count: int):
    limit = asyncio.Semaphore(20)

    async def join(i: int) -> str:
        async with limit, session.post(f"{urls[i % len(urls)]}/api/workshops/{code}/join") as r:
            await r.read()
            if r.status != 200:
                raise RuntimeError(f"join answered {r.status}")
            return r.headers.getall("Set-Cookie")[0].split(";", 1)[0]

    return await asyncio.gather(*(join(i) for i in range(count)))


def inversions(streams: list[list[int]]) -> int:
    """How many times a client got a seq lower than the one before it."""
    return sum(sum(1 for x, y in zip(seqs, seqs[1:], strict=False) if y < x) for seqs in streams)


async def run_load(urls: list[str], board_urls: list[str], code: str, load: dict) -> dict:
    """Post ``load['notes']`` notes (all at once, or at ``load['rate']``) and time them."""
    total, rate, tag = load["notes"], load.get("rate"), load["tag"]
    timeout = aiohttp.ClientTimeout(total=60)
    connector = aiohttp.TCPConnector(limit=load["concurrency"])  # the bound on requests
    boards = Boards()
    phones = Phones(load["phones"])
    posted: dict[int, float] = {}
    acked: dict[int, float] = {}
    statuses: dict[int, int] = defaultdict(int)
    async with aiohttp.ClientSession(
        connector=connector, cookie_jar=aiohttp.DummyCookieJar(), timeout=timeout
    ) as session:
        try:
            cookies = await join_phones(session, urls, code, -(-total // PER_PHONE))
            await boards.connect(board_urls, code)
            await phones.connect(urls, code)
            in_flight = asyncio.Semaphore(load["concurrency"])

            async def post(i: int, at: float) -> None:
                delay = at - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                body = {"text": f"bench {tag} {i}", "client_id": f"{tag}-{i}"}
                async with in_flight:  # timed from when the request can go out
                    posted[i] = time.monotonic()
                    try:
                        async with session.post(
                            f"{urls[i % len(urls)]}/api/workshops/{code}/notes",
                            json=body,
                            headers={"Cookie": cookies[i // PER_PHONE]},
                        ) as r:
                            await r.read()
                            statuses[r.status] += 1
                            if r.status in (200, 201):
                                acked[i] = time.monotonic()
                    except (TimeoutError, aiohttp.ClientError):
                        statuses[0] += 1

            start = time.monotonic() + 0.2
            ours = [*load["pids"], os.getpid()]
            cpu_before = {pid: cpu_seconds(pid) for pid in ours}
            machine_before = machine_busy_seconds()
            await asyncio.gather(
                *(post(i, start + (i / rate if rate else 0.0)) for i in range(total))
            )
            end = max(acked.values(), default=start)
            deadline = time.monotonic() + DRAIN
            while time.monotonic() < deadline and any(
                not set(acked) <= set(arrivals) for arrivals in boards.arrivals + phones.arrivals
            ):
                await asyncio.sleep(0.05)
            cpu = {pid: cpu_seconds(pid) - before for pid, before in cpu_before.items()}
            others = machine_busy_seconds() - machine_before - sum(cpu.values())
            elapsed = time.monotonic() - start
            cpu.pop(os.getpid())
        finally:
            await boards.close()
            await phones.close()

    def seen(arrivals: list[dict[int, float]]) -> list[float]:
        return [got[i] - posted[i] for got in arrivals for i in acked if i in got]

    def lost(arrivals: list[dict[int, float]]) -> int:
        return sum(len(set(acked) - set(got)) for got in arrivals)

    return {
        "board": seen(boards.arrivals),
        "phone": seen(phones.arrivals),
        "lost": lost(boards.arrivals),
        "phones_lost": lost(phones.arrivals),
        "phone_failures": phones.failures,
        "acked": len(acked),
        "errors": total - len(acked),
        "statuses": dict(statuses),
        "seconds": end - start,
        "throughput": len(acked) / max(1e-9, end - start),
        "ack": [acked[i] - posted[i] for i in acked],
        "inversions": inversions(boards.seqs),
        "phone_inversions": inversions(phones.seqs),
        "cpu": cpu,
        "others": 100 * max(0.0, others) / max(1e-9, elapsed),  # % of one core
    }


# -- configurations ------------------------------------------------------------------------


CONFIGS = {"0": "1, no Redis", "1": "1", "2": "2"}  # --configs: how many processes, and Redis


def run_config(config: str, queue: str, redis_pid: int, args: argparse.Namespace) -> list:
    processes = max(1, int(config))
    queue = queue if config != "0" else ""
    workdir = Path(tempfile.mkdtemp(prefix=f"scaleout-{config}-"))
    servers: list[Server] = []
    try:
        for _ in range(processes):  # one after the other: the first migrates the database
            servers.append(Server(workdir / "data", queue).start())
        urls = [s.url for s in servers]
        board_urls = (urls * 2)[:2]  # two boards: one on each process, or both on the one
        pids = [s.process.pid for s in servers if s.process] + [redis_pid]
        results = []
        for kind in args.loads:
            answer = requests.post(
                f"{urls[0]}/api/workshops",
                json={"title": f"Bench {kind}", "prompts": [{"text": "What is missing?"}]},
                headers={"Authorization": f"Bearer {TOKEN}"},
                timeout=10,
            )
            answer.raise_for_status()
            load = {
                "tag": f"{kind}{config}",
                "notes": args.notes if kind == "max" else round(args.rate * args.duration),
                "rate": None if kind == "max" else args.rate,
                "concurrency": args.concurrency,
                "phones": args.phones,
                "pids": pids,
            }
            if queue:
                # The processes share their rate limits in Redis, and every phone here joins
                # from 127.0.0.1: forget the last load's joins (a venue's phones each have
                # their own address).
                redis.Redis.from_url(queue).flushdb()
            wait_quiet(args.quiet_wait)
            limit = 120 + load["notes"] / min(load["rate"] or 50, 50)  # never wait forever
            running = run_load(urls, board_urls, answer.json()["code"], load)
            result = asyncio.run(asyncio.wait_for(running, limit))
            result.update(config=config, kind=kind, redis_pid=redis_pid)
            results.append(result)
        return results
    finally:
        for server in servers:
            stop(server.process)
        shutil.rmtree(workdir, ignore_errors=True)


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.1f}"


def table(results: list[dict], args: argparse.Namespace) -> str:
    """One row per load and configuration: the quietest round (least CPU used by other
    programs), with the range of throughput over every round."""
    head = (
        "| load | processes | notes/s (all rounds) | ack p50/p95/p99 ms | "
        "board p50/p95/p99 ms | phone p50/p95 ms | lost: boards / phones | errors | "
        "seq inversions: boards / phones | CPU s: servers + redis | others' CPU |"
    )
    lines = [head, "|" + "---|" * 11]
    for kind in args.loads:
        for config in args.configs:
            rows = [r for r in results if (r["kind"], r["config"]) == (kind, config)]
            if not rows:
                continue
            label = (
                f"max, {args.notes} notes, {args.concurrency} in flight"
                if kind == "max"
                else f"steady {args.rate}/s × {args.duration:g} s"
            )
            rates = sorted(r["throughput"] for r in rows)
            r = min(rows, key=lambda row: row["others"])
            servers = sum(c for pid, c in r["cpu"].items() if pid != r["redis_pid"])
            phone = (
                f"{ms(percentile(r['phone'], 50))} / {ms(percentile(r['phone'], 95))}"
                if args.phones
                else "-"
            )
            lines.append(
                f"| {label} | {CONFIGS[config]} | {r['throughput']:.0f} "
                f"({rates[0]:.0f}–{rates[-1]:.0f}) | "
                f"{ms(percentile(r['ack'], 50))} / {ms(percentile(r['ack'], 95))} / "
                f"{ms(percentile(r['ack'], 99))} | {ms(percentile(r['board'], 50))} / "
                f"{ms(percentile(r['board'], 95))} / {ms(percentile(r['board'], 99))} | "
                f"{phone} | {r['lost']} / {r['phones_lost'] if args.phones else '-'} | "
                f"{r['errors']} | {r['inversions']} / "
                f"{r['phone_inversions'] if args.phones else '-'} | "
                f"{servers:.1f} + {r['cpu'].get(r['redis_pid'], 0.0):.1f} | "
                f"{r['others']:.0f}% |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=2000, help="notes in the max load")
    parser.add_argument("--concurrency", type=int, default=50, help="requests in flight")
    parser.add_argument("--rate", type=int, default=150, help="notes a second, steady load")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of steady load")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of every configuration")
    parser.add_argument("--loads", default="max,steady", help="max, steady or both")
    parser.add_argument(
        "--quiet-wait", type=float, default=60, help="seconds to wait for a quiet machine"
    )
    parser.add_argument(
        "--configs", default="1,2", help="processes: 1, 2, and 0 = one process without Redis"
    )
    parser.add_argument("--phones", type=int, default=0, help="phone views (batched), spread")
    args = parser.parse_args()
    args.configs = [c.strip() for c in args.configs.split(",")]
    args.loads = [load.strip() for load in args.loads.split(",")]
    if not set(args.loads) <= {"max", "steady"}:
        parser.error("--loads takes max and steady")
    if not set(args.configs) <= set(CONFIGS):
        parser.error("--configs takes 0, 1 and 2")

    workdir = Path(tempfile.mkdtemp(prefix="scaleout-redis-"))
    redis, queue = start_redis(workdir)
    results: list[dict] = []
    started = time.monotonic()
    try:
        for round_ in range(args.rounds):
            for config in args.configs if round_ % 2 == 0 else args.configs[::-1]:
                print(f"round {round_ + 1}: {CONFIGS[config]} process(es)…", file=sys.stderr)
                results += run_config(config, queue, redis.pid, args)
    finally:
        stop(redis)
        shutil.rmtree(workdir, ignore_errors=True)
    print(
        f"# scale-out: 1 vs 2 `workshop serve` processes on one Redis "
        f"({os.cpu_count()} cores, {platform.python_version()}, {args.rounds} rounds, "
        f"{time.monotonic() - started:.0f} s)"
    )
    print(f"{args.phones} phone views spread over the processes; 2 boards in every run")
    print(f"load averages at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()
    print(table(results, args))


if __name__ == "__main__":
    main()
