"""A crowd refetching a big board against another workshop: 300 concurrent
``GET /api/workshops/<code>/state`` for a 1,000-note board (every phone of a room that saw a
gap, or boards reconnecting after the Wi-Fi dropped), while a phone of another workshop asks
for its own workshop over and over. The probe's latency is compared with the same probe on
the idle server in the same run (the bare baseline), and, with ``--before DIR``, with the
same load on another checkout (e.g. the code before the state was kept per seq).

    .venv/bin/python bench/state.py [--rounds 3] [--requests 300] [--before DIR]

The crowd comes from several loopback addresses (the server caps connections per address),
the probe from one of its own. Talks only to servers it starts on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

from bench._load import checkouts, percentile, served  # noqa: E402
from tests.liveserver import LiveServer  # noqa: E402

NOTES = 1000
CROWD_ADDRESSES = [f"127.0.0.{n}" for n in range(10, 20)]
PROBE_ADDRESS = "127.0.0.99"


def prepare(server: LiveServer) -> tuple[str, str]:
    big = server.create_workshop(title="Big board")["code"]
    other = server.create_workshop(title="Another room")["code"]
    with server.facilitator() as session:
        for number in range(NOTES):
            response = session.post(
                f"{server.base_url}/api/workshops/{big}/notes",
                json={
                    "text": f"Note {number}: more crossings near the schools",
                    "client_id": f"{number}",
                },
                timeout=30,
            )
            response.raise_for_status()
    return big, other


async def probe(url: str, stop: asyncio.Event | None, count: int = 40) -> list[float]:
    times = []
    connector = aiohttp.TCPConnector(local_addr=(PROBE_ADDRESS, 0))
    async with aiohttp.ClientSession(connector=connector) as session:
        while (stop is None and len(times) < count) or (stop is not None and not stop.is_set()):
            started = time.perf_counter()
            async with session.get(url, timeout=aiohttp.ClientTimeout(total=60)) as response:
                await response.read()
                assert response.status == 200, response.status
            times.append((time.perf_counter() - started) * 1000)
    return times


async def crowd(url: str, requests: int) -> tuple[float, int]:
    """``requests`` GETs at once; seconds until the last answer, and how many were 200."""
    sessions = [
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=(address, 0), limit=0))
        for address in CROWD_ADDRESSES
    ]

    async def one(index: int) -> int:
        session = sessions[index % len(sessions)]
        headers = {"Accept-Encoding": "gzip"}
        async with session.get(url, headers=headers, timeout=aiohttp.ClientTimeout(total=120)) as r:
            await r.read()
            return r.status

    started = time.perf_counter()
    try:
        statuses = await asyncio.gather(*(one(i) for i in range(requests)))
    finally:
        for session in sessions:
            await session.close()
    return time.perf_counter() - started, sum(status == 200 for status in statuses)


async def measure(server: LiveServer, big: str, other: str, rounds: int, requests: int) -> dict:
    probe_url = f"{server.base_url}/api/workshops/{other}"
    await probe(probe_url, None, 10)
    idle = await probe(probe_url, None)
    loaded: list[float] = []
    seconds: list[float] = []
    answered = 0
    for _ in range(rounds):
        stop = asyncio.Event()
        probing = asyncio.create_task(probe(probe_url, stop))
        await asyncio.sleep(0.05)
        took, ok = await crowd(f"{server.base_url}/api/workshops/{big}/state", requests)
        stop.set()
        loaded += await probing
        seconds.append(took)
        answered += ok
    return {"idle": idle, "loaded": loaded, "seconds": seconds, "answered": answered}


def p(values: list[float], share: float) -> float:
    return percentile(values, share * 100) or 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--before", type=Path, help="another checkout to measure the same way")
    args = parser.parse_args()
    rows = []
    for name, checkout in checkouts(args.before):
        with served(checkout, "bench-state-") as server:
            print(f"{name}: posting {NOTES} notes…", file=sys.stderr)
            big, other = prepare(server)
            print(f"{name}: measuring…", file=sys.stderr)
            result = asyncio.run(measure(server, big, other, args.rounds, args.requests))
        idle, loaded = result["idle"], result["loaded"]
        rows.append(
            (
                name,
                f"{statistics.median(idle):.0f} / {p(idle, 0.95):.0f}",
                f"{statistics.median(loaded):.0f} / {p(loaded, 0.95):.0f} / {max(loaded):.0f}",
                f"{statistics.median(result['seconds']):.2f}",
                f"{result['answered']}/{args.requests * args.rounds}",
            )
        )
    header = (
        "server",
        "probe idle p50 / p95 ms",
        "probe during the crowd p50 / p95 / max ms",
        f"{args.requests} states s",
        "200s",
    )
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
