"""Real-time benchmark: the app against a bare python-socketio server, in the same run.

    .venv/bin/python bench/realtime.py [--phones 100,500,1000] [--quick]

For each number of phones and each server (``bare``: bench/bare_server.py; ``app``:
``workshop serve``), it starts the server pinned to core 0, connects N phone views and 2 boards
over WebSocket from asyncio processes pinned to core 1 (bench/_load.py), then runs the loads
one after the other: *steady* (notes posted at a fixed rate, spread over many phones) and
*burst* (every posting phone sends 5 notes, all of them starting within one second). Each
load posts with freshly joined phones, so the per-phone rate limit (burst 5, 20/min) never
refuses a note. It prints a table per server and the ratio app/bare, and stops every process
it started. Everything goes to 127.0.0.1 only; every wait is bounded.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import multiprocessing
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import _load
import psutil
import requests

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
TOKEN = "bench-facilitator-token"
SERVER_CPU, LOAD_CPU = 0, 1
BOARDS = 2
PER_PHONE = 4  # notes a steady-load phone posts; under the burst allowance of 5
BURST_NOTES = 5
QUIET_WAIT = 20  # seconds to wait for other programs on the machine to go quiet
NOISY = 25  # % of a core used by other programs during a load: run it again, keep the quieter
PHONE_WAIT = 15  # seconds after the last board delivery for every phone to see every note


# -- processes -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Options:
    client: str = "lean"  # the phones' Socket.IO client: "lean" or "socketio"
    retries: int = 1  # extra runs of a load during which other programs were busy
    nice: int = 0  # niceness of the server and the driver; the phones get 10 more


@dataclass
class Server:
    """A server process pinned to one core, watched with psutil."""

    kind: str  # "app", "bare", "bare-durable", "bare-nagle", "bare-each"
    workdir: Path
    nice: int = 0
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        taskset = ["taskset", "-c", str(SERVER_CPU)] if shutil.which("taskset") else []
        if self.nice:
            taskset = ["nice", "-n", str(self.nice), *taskset]
        if self.kind == "app":
            data = self.workdir / "data"
            return [
                *taskset,
                str(VENV_BIN / "workshop"),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--data",
                str(data),
            ]
        # "bare" fans out as the app does: boards at once, each phone one list per flush.
        batch = ["--phone-batch", "list"]
        extra = {
            "bare": batch,
            "bare-durable": [*batch, "--store", str(self.workdir / "bare-notes.db")],
            "bare-nagle": [*batch, "--nagle"],
            "bare-each": [],
        }
        script = str(Path(__file__).with_name("bare_server.py"))
        return [*taskset, sys.executable, script, "--port", str(self.port), *extra[self.kind]]

    def start(self) -> None:
        env = {**os.environ, "WORKSHOP_FACILITATOR_TOKEN": TOKEN, "WORKSHOP_PUBLIC_URL": self.url}
        log = open(self.workdir / f"{self.kind}.log", "ab")  # noqa: SIM115 - the child keeps it
        self.process = subprocess.Popen(
            self.command(), env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT
        )
        log.close()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.kind} server exited: {self.log_tail()}")
            try:
                requests.get(self.url + "/", timeout=5)
                break
            except (requests.ConnectionError, requests.Timeout):  # not yet, or a busy machine
                time.sleep(0.1)
        else:
            raise RuntimeError(f"{self.kind} server did not start: {self.log_tail()}")

    def log_tail(self) -> str:
        path = self.workdir / f"{self.kind}.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    @property
    def ps(self) -> psutil.Process:
        assert self.process is not None
        return psutil.Process(self.process.pid)

    def rss(self) -> int:
        return self.ps.memory_info().rss

    def cpu_seconds(self) -> float:
        times = self.ps.cpu_times()
        return times.user + times.system

    def create_workshop(self) -> str:
        answer = requests.post(
            f"{self.url}/api/workshops",
            json={"title": "Bench", "prompts": [{"text": "What is missing?"}]},
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=10,
        )
        answer.raise_for_status()
        return answer.json()["code"]

    def wait_idle(self, limit: float, busy: float = 0.15) -> float:
        """Wait until the server uses under ``busy`` of a core over 0.5 s; return seconds."""
        started = time.monotonic()
        while time.monotonic() - started < limit:
            before = self.cpu_seconds()
            time.sleep(0.5)
            if (self.cpu_seconds() - before) / 0.5 < busy:
                break
        return time.monotonic() - started

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        for sig, wait in ((signal.SIGINT, 5), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue


class Sampler:
    """Every 0.2 s: CPU seconds of the processes we started and of the whole machine, and
    the server's peak RSS, so a window's mean and busiest second can be read afterwards."""

    PERIOD = 0.2

    def __init__(self) -> None:
        self.pids: dict[str, int] = {}
        self.samples: list[tuple[float, dict[str, float]]] = []
        self.peak_rss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def watch(self, name: str, pid: int) -> None:
        self.pids[name] = pid

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(2)

    def _run(self) -> None:
        while not self._stop.wait(self.PERIOD):
            values = {name: cpu_of([pid]) for name, pid in self.pids.items()}
            values["machine"] = busy_cpu_seconds()
            values["others"] = values["machine"] - sum(values[name] for name in self.pids)
            with contextlib.suppress(psutil.Error, KeyError):
                rss = psutil.Process(self.pids["server"]).memory_info().rss
                self.peak_rss = max(self.peak_rss, rss)
            self.samples.append((time.monotonic(), values))

    def window(self, name: str, start: float, end: float) -> tuple[float, float]:
        """Mean and busiest second of ``name`` (in % of one core) between two times."""
        samples = [(t, v[name]) for t, v in self.samples if start - 0.2 <= t <= end + 0.2]
        if len(samples) < 2:
            return 0.0, 0.0
        (t0, c0), (t1, c1) = samples[0], samples[-1]
        mean = (c1 - c0) / max(1e-9, t1 - t0)
        peak = 0.0
        for i, (t, c) in enumerate(samples):
            later = next((s for s in samples[i:] if s[0] - t >= 0.95), None)
            if later:
                peak = max(peak, (later[1] - c) / (later[0] - t))
        return 100 * mean, 100 * max(peak, mean)


class Worker:
    """A load-generator process and its end of the pipe."""

    def __init__(self, target: Any, *args: Any) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=target, args=(child, *args), daemon=True)
        self.process.start()
        child.close()

    def ask(self, command: tuple | None, timeout: float) -> dict:
        if command is not None:
            self.conn.send(command)
        if not self.conn.poll(timeout):
            raise TimeoutError(f"no answer to {command and command[0]} in {timeout:.0f} s")
        answer = self.conn.recv()
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return answer

    def cpu_seconds(self) -> float:
        try:
            times = psutil.Process(self.process.pid).cpu_times()
        except psutil.Error:
            return 0.0
        return times.user + times.system

    def stop(self) -> None:
        if self.process.is_alive():
            with contextlib.suppress(TimeoutError, RuntimeError, OSError, EOFError):
                self.ask(("stop",), 20)
        self.process.join(5)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(5)


# -- one server, one number of phones ------------------------------------------------------


def loads(rates: list[int], duration: float, phones: int) -> list[dict]:
    specs = []
    for rate in rates:
        total = max(1, round(rate * duration))
        specs.append(
            {
                "tag": f"s{rate}",
                "label": f"steady {rate}/s",
                "kind": "steady",
                "rate": rate,
                "total": total,
                "posters": math.ceil(total / PER_PHONE),
                "timeout": duration + 40,
                "drain": 15,
            }
        )
    specs.append(
        {
            "tag": "b",
            "label": f"burst {phones}x{BURST_NOTES}",
            "kind": "burst",
            "per_poster": BURST_NOTES,
            "posters": phones,
            "spread": 1.0,
            "timeout": 60,
            "drain": 15,
        }
    )
    return specs


def run_case(
    kind: str, phones: int, specs: list[dict], workdir: Path, log: Any, options: Options
) -> dict:
    """Start ``kind``, connect the phones and boards, run every load, stop everything."""
    case_dir = Path(tempfile.mkdtemp(prefix=f"{kind}-{phones}-", dir=workdir))
    server = Server(kind, case_dir, nice=options.nice)
    sampler = Sampler()
    workers: list[Worker] = []
    result: dict[str, Any] = {"kind": kind, "phones": phones, "loads": []}
    try:
        server.start()
        sampler.watch("server", server.ps.pid)
        sampler.start()
        code = server.create_workshop()
        rss_before = server.rss()
        phone_worker = Worker(
            _load.phones_process,
            *(server.url, code, phones, options.client, LOAD_CPU, options.nice + 10),
        )
        workers.append(phone_worker)
        sampler.watch("phones", phone_worker.process.pid)
        connect = phone_worker.ask(None, 60 + phones * 0.2)
        driver = Worker(_load.driver_process, server.url, code, BOARDS, LOAD_CPU, options.nice)
        workers.append(driver)
        sampler.watch("driver", driver.process.pid)
        driver.ask(None, 30)
        server.wait_idle(10)
        result["connect"] = {**connect, "rss_before": rss_before, "rss_connected": server.rss()}
        log(
            f"  {kind} {phones} phones: {connect['connected']} connected, "
            f"{connect['failed']} failed in {connect['seconds']:.1f} s, "
            f"RSS {server.rss() / 2**20:.0f} MB"
        )
        for spec in specs:
            attempts = []
            for attempt in range(1 + options.retries):
                tagged = {**spec, "tag": spec["tag"] + (f"r{attempt}" if attempt else "")}
                row = run_load(tagged, server, sampler, driver, phone_worker, connect)
                row["attempt"] = attempt + 1
                attempts.append(row)
                log(f"    {spec['label']}: {_short(row)}")
                if row["others_pct"] <= NOISY or not row["quiet_before"]:
                    break  # quiet enough, or never quiet: another run would not be better
            result["loads"].append(min(attempts, key=lambda r: r["others_pct"]))
    except Exception as error:  # reported in the table, the next case still runs
        result["error"] = f"{type(error).__name__}: {error}"
        log(f"  {kind} {phones} phones FAILED: {result['error']}")
    finally:
        for worker in reversed(workers):
            worker.stop()
        server.stop()
        sampler.stop()
    return result


def run_load(
    spec: dict, server: Server, sampler: Sampler, driver: Worker, phones: Worker, connect: dict
) -> dict:
    """One load: fresh posting phones, a quiet machine, the posts, the phones' report."""
    prepared = driver.ask(("prepare", spec["posters"]), 120)
    before = {"phones": phones.ask(("report", "", 0, 0), 30)["disconnects"]}
    before["boards"] = prepared["board_disconnects"]
    server.wait_idle(10)
    quiet = wait_quiet(list(sampler.pids.values()), QUIET_WAIT)
    sampler.peak_rss = server.rss()
    cpu0, t0 = server.cpu_seconds(), time.monotonic()
    measured = driver.ask(("run", spec), spec["timeout"] + spec["drain"] + 30)
    seen = phones.ask(("report", spec["tag"], measured["acked"], PHONE_WAIT), PHONE_WAIT + 45)
    t1 = time.monotonic()
    cpu = server.cpu_seconds() - cpu0
    time.sleep(2 * Sampler.PERIOD)
    posting = t0 + measured["post_seconds"]
    return {
        **measured,
        "label": spec["label"],
        "phones_seen": _phone_summary(seen, connect["connected"]),
        "window": t1 - t0,
        "cpu_seconds": cpu,
        "cpu_ms_per_note": 1000 * cpu / max(1, measured["acked"]),
        "cpu_posting_pct": sampler.window("server", t0, posting)[0],
        "cpu_peak_pct": sampler.window("server", t0, t1)[1],
        "phones_gen_peak_pct": sampler.window("phones", t0, t1)[1],
        "driver_gen_peak_pct": sampler.window("driver", t0, t1)[1],
        "others_pct": max(0.0, sampler.window("others", t0, t1)[0]),
        "peak_rss": sampler.peak_rss,
        "settle_seconds": server.wait_idle(60),
        "quiet_before": quiet,
        "loadavg": os.getloadavg()[0],
        "phone_drops": seen["disconnects"] - before["phones"],
        "board_drops": measured["board_disconnects"] - before["boards"],
    }


def scheduling_delay(cpu: int = SERVER_CPU, seconds: float = 2.0) -> str:
    """How late a 1 ms sleep wakes up on ``cpu``: how quiet the machine is right now."""
    previous = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {cpu})
    late = []
    try:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            before = time.monotonic()
            time.sleep(0.001)
            late.append((time.monotonic() - before - 0.001) * 1000)
    finally:
        os.sched_setaffinity(0, previous)
    late.sort()
    p50, p99, worst = late[len(late) // 2], late[int(len(late) * 0.99)], late[-1]
    return (
        f"a 1 ms sleep on core {cpu} woke late by p50 {p50:.2f} ms, p99 {p99:.1f} ms,"
        f" max {worst:.0f} ms"
    )


def busy_cpu_seconds() -> float:
    """CPU seconds the whole machine has spent busy (every process, every core)."""
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


def wait_quiet(ours: list[int], limit: float, busy: float = 0.2, quiet: float = 2.0) -> bool:
    """Wait (bounded) until processes other than ours have used under ``busy`` of a core for
    ``quiet`` seconds: other programs on this machine (test suites, browsers) would share the
    cores we measure."""
    deadline = time.monotonic() + limit
    since = time.monotonic()
    while time.monotonic() < deadline:
        before, mine = busy_cpu_seconds(), cpu_of(ours)
        time.sleep(0.5)
        if (busy_cpu_seconds() - before - (cpu_of(ours) - mine)) / 0.5 >= busy:
            since = time.monotonic()
        elif time.monotonic() - since >= quiet:
            return True
    return False


def cpu_of(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            times = psutil.Process(pid).cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def _phone_summary(seen: dict, connected: int) -> dict:
    hist = {int(k): v for k, v in seen["hist"].items()}
    return {
        "p50": _load.hist_percentile(hist, 50),
        "p95": _load.hist_percentile(hist, 95),
        "max": float(max(hist)) if hist else None,
        "complete": seen["complete"],
        "connected": connected,
        "extra": seen["extra"],
        "deliveries": seen["deliveries"],
        "disconnects": seen["disconnects"],
    }


def _short(row: dict) -> str:
    return (
        f"acked {row['acked']}/{row['posted']}, ack p50 {_ms(row['ack_ms'][50])}, "
        f"board p95 {_ms(row['board_ms'][95])} ms, phones p95 {_ms(row['phones_seen']['p95'])} ms "
        f"({row['phones_seen']['complete']}/{row['phones_seen']['connected']} complete), "
        f"CPU {row['cpu_posting_pct']:.0f}% (peak {row['cpu_peak_pct']:.0f}%), "
        f"phones gen peak {row['phones_gen_peak_pct']:.0f}%, others {row['others_pct']:.0f}%"
    )


# -- the tables ----------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


COLUMNS = [
    ("server", 10),
    ("phones", 6),
    ("load", 15),
    ("acked", 11),
    ("ack p50/95/99 ms", 17),
    ("board p50/95/99 ms", 18),
    ("lost/dup", 8),
    ("phones p50/95/max ms", 20),
    ("phones all", 10),
    ("drops", 5),
    ("notes/s", 7),
    ("CPU % avg/peak", 14),
    ("ms/note", 7),
    ("RSS MB", 6),
    ("gen peak %", 10),
    ("other %", 7),
    ("load 1m", 7),
]


def table_rows(results: list[dict]) -> list[list[str]]:
    rows = []
    for case in results:
        if case.get("error") and not case["loads"]:
            rows.append([case["kind"], str(case["phones"]), "FAILED: " + case["error"][:60]])
            continue
        for row in case["loads"]:
            seen = row["phones_seen"]
            refused = row["posted"] - row["acked"]
            rows.append(
                [
                    case["kind"],
                    str(case["phones"]),
                    row["label"],
                    f"{row['acked']}/{row['posted']}" + (f" !{refused}" if refused else ""),
                    "/".join(_ms(row["ack_ms"][q]) for q in (50, 95, 99)),
                    "/".join(_ms(row["board_ms"][q]) for q in (50, 95, 99)),
                    f"{row['lost']}/{row['duplicated']}",
                    "/".join(_ms(seen[k]) for k in ("p50", "p95", "max")),
                    f"{seen['complete']}/{seen['connected']}",
                    f"{row['phone_drops']}+{row['board_drops']}",
                    f"{row['board_per_s']:.0f}",
                    f"{row['cpu_posting_pct']:.0f}/{row['cpu_peak_pct']:.0f}",
                    f"{row['cpu_ms_per_note']:.1f}",
                    f"{row['peak_rss'] / 2**20:.0f}",
                    f"{row['phones_gen_peak_pct']:.0f}+{row['driver_gen_peak_pct']:.0f}",
                    f"{row['others_pct']:.0f}",
                    f"{row.get('loadavg', 0):.1f}",
                ]
            )
    return rows


def markdown(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row + [""] * (len(header) - len(row))) + " |" for row in rows]
    return "\n".join(lines)


def connect_rows(results: list[dict]) -> list[list[str]]:
    rows = []
    for case in results:
        info = case.get("connect")
        if not info:
            continue
        failures = "; ".join(f"{n}x {why}" for why, n in info["failures"].items())
        rows.append(
            [
                case["kind"],
                str(case["phones"]),
                f"{info['connected']}/{case['phones']}" + (f" ({failures})" if failures else ""),
                f"{info['welcomed']}",
                f"{info['seconds']:.1f}",
                _ms(1000 * info["connect_p95"]) if info["connect_p95"] else "-",
                f"{info['rss_before'] / 2**20:.0f}",
                f"{info['rss_connected'] / 2**20:.0f}",
            ]
        )
    return rows


def ratio_rows(results: list[dict]) -> list[list[str]]:
    by_key = {(c["kind"], c["phones"], r["label"]): r for c in results for r in c["loads"]}
    rows = []
    for (kind, phones, label), app in by_key.items():
        bare = by_key.get(("bare", phones, label))
        durable = by_key.get(("bare-durable", phones, label))
        if kind != "app" or bare is None:
            continue

        def ratio(get: Any, app: dict = app, bare: dict = bare) -> str:
            a, b = get(app), get(bare)
            return "-" if a is None or not b else f"{a / b:.2f}"

        rows.append(
            [
                str(phones),
                label,
                ratio(lambda r: r["ack_ms"][50]),
                ratio(lambda r: r["board_ms"][95]),
                ratio(lambda r: r["board_ms"][99]),
                ratio(lambda r: r["phones_seen"]["p95"]),
                ratio(lambda r: r["board_per_s"]),
                ratio(lambda r: r["cpu_ms_per_note"]),
                ratio(lambda r: r["peak_rss"]),
                "-" if durable is None else ratio(lambda r: r["cpu_ms_per_note"], app, durable),
            ]
        )
    return rows


RATIO_HEADER = [
    "phones",
    "load",
    "ack p50",
    "board p95",
    "board p99",
    "phones p95",
    "notes/s",
    "CPU/note",
    "RSS",
    "CPU/note vs bare-durable",
]
CONNECT_HEADER = [
    "server",
    "phones",
    "connected",
    "welcomed",
    "connect s",
    "connect p95 ms",
    "RSS idle MB",
    "RSS connected MB",
]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = psutil.virtual_memory().total / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def versions() -> str:
    from importlib.metadata import version

    names = ["python-socketio", "python-engineio", "Flask-SocketIO", "gevent", "simple-websocket"]
    return ", ".join(f"{name} {version(name)}" for name in names)


def revision() -> str:
    """The checkout measured (read-only git), with '+changes' when the work tree differs."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "workshop"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return (head or "unknown") + (" + uncommitted changes in workshop/" if dirty else "")


def report(results: list[dict], args: argparse.Namespace, elapsed: float) -> str:
    out = [
        f"Machine: {machine()}",
        f"Versions: {versions()}; app at {revision()}",
        f"Server pinned to core {SERVER_CPU} at nice {args.nice}; load generator on core"
        f" {LOAD_CPU}: 1 phones process ({args.phone_client} client, nice {args.nice + 10}),"
        f" 1 driver process ({BOARDS} boards + the HTTP posts, nice {args.nice}).",
        f"Command: {' '.join(['.venv/bin/python', 'bench/realtime.py', *args.argv])}",
        f"Run time: {elapsed:.0f} s",
        f"Machine noise: before the run, {args.delay_before}; after, {args.delay_after}",
        f"Load average (1/5/15 min): before {args.load_before}; after {args.load_after}",
        "",
        "Connections",
        "",
        markdown(CONNECT_HEADER, connect_rows(results)),
        "",
        "Loads (latencies from the post; 'phones' = every delivery of a note to a phone view;"
        " 'phones all' = phones that saw every note; notes/s = notes seen on both boards per"
        " second of the load; CPU % = server, of one core, while posting (mean/busiest second);"
        " ms/note = server CPU per note, phone batches included; gen peak % = busiest second"
        " of the phones + driver processes;"
        " other % = other programs on this machine during the load;"
        " load 1m = the machine's load average at the end of the load;"
        " drops = phone + board connections lost during the load)",
        "",
        markdown([name for name, _ in COLUMNS], table_rows(results)),
        "",
        "Ratio app / bare (same phones, same load, same run)",
        "",
        markdown(RATIO_HEADER, ratio_rows(results)),
    ]
    saturated = [
        f"{c['kind']} {c['phones']} {r['label']}"
        for c in results
        for r in c["loads"]
        if r["phones_gen_peak_pct"] + r["driver_gen_peak_pct"] > 90
    ]
    if saturated:
        out += [
            "",
            "Load generator near one full core (its figures may be late) in: "
            + "; ".join(saturated),
        ]
    return "\n".join(out)


# -- main ----------------------------------------------------------------------------------


@contextlib.contextmanager
def autogroup_nice(nice: int) -> Any:
    """With the kernel's autogroups (one per session, as on a machine where several people's
    shells run), a process's niceness counts only against its own session: ``--nice`` sets
    this session's group too, for the run, and puts it back after."""
    path = Path("/proc/self/autogroup")
    before = None
    if nice and path.exists():
        with contextlib.suppress(OSError, ValueError, IndexError):
            before = int(path.read_text().split("nice")[1])
            path.write_text(str(nice))
    try:
        yield
    finally:
        if before is not None:
            with contextlib.suppress(OSError):
                path.write_text(str(before))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", default="100,500,1000", help="comma-separated phone counts")
    parser.add_argument("--quick", action="store_true", help="100 phones, 5 s steady loads")
    parser.add_argument("--rates", default="50,150", help="steady rates, notes per second")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per steady load")
    parser.add_argument(
        "--servers", default="bare,app", help="bare, bare-durable, app, bare-nagle, bare-each"
    )
    parser.add_argument(
        "--extras",
        default="bare-nagle,bare-each",
        help="servers also run at one phone count (the largest up to 500); '' for none",
    )
    parser.add_argument(
        "--phone-client",
        choices=("lean", "socketio"),
        default="lean",
        help="phones: a lean Socket.IO client (default) or python-socketio's AsyncClient",
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=1,
        help=f"runs again a load during which other programs used over {NOISY}%% of a core",
    )
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="niceness of the server and driver (e.g. -10 as root on a machine shared with"
        " other work; the phones run 10 higher)",
    )
    parser.add_argument("--json", type=Path, help="also write every measurement to this file")
    args = parser.parse_args(argv)
    args.argv = sys.argv[1:] if argv is None else argv
    phones = [100] if args.quick else [int(n) for n in args.phones.split(",") if n]
    duration = 5.0 if args.quick else args.duration
    rates = [int(r) for r in args.rates.split(",") if r]
    servers = [s for s in args.servers.split(",") if s]
    extras = [s for s in args.extras.split(",") if s]
    extras_at = max([n for n in phones if n <= 500] or phones[:1])

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop what we started, then exit
    args.delay_before = scheduling_delay()
    args.load_before = "/".join(f"{n:.1f}" for n in os.getloadavg())
    started = time.monotonic()
    results = []
    with (
        autogroup_nice(args.nice),
        tempfile.TemporaryDirectory(prefix="bench-realtime-") as workdir,
    ):
        for count in phones:
            for kind in servers + (extras if count == extras_at else []):
                log(f"{kind}, {count} phones")
                specs = loads(rates, duration, count)
                options = Options(args.phone_client, args.retries, args.nice)
                case = run_case(kind, count, specs, Path(workdir), log, options)
                results.append(case)
    elapsed = time.monotonic() - started
    args.delay_after = scheduling_delay()
    args.load_after = "/".join(f"{n:.1f}" for n in os.getloadavg())
    text = report(results, args, elapsed)
    print(text)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
