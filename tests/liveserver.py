"""A real `workshop serve` process on a loopback port, for socket, browser and fault tests.

Also what every test that starts a process shares: a loopback port no other pytest-xdist
worker hands out, polling a condition up to a generous cap, and stopping a process group
for good. A busy machine only makes things slower, never wrong: every wait here polls for
a fact with a cap far above what the fact takes on a quiet machine, and a process that fails
to start is stopped before the error (with its log) is raised.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import requests
import socketio

TOKEN = "test-facilitator-token"
START_TIMEOUT = 90.0  # seconds for a server to answer its first request on a busy machine
STOP_TIMEOUT = 15.0  # seconds for a process to exit after SIGTERM, then SIGKILL
WAIT_TIMEOUT = 30.0  # seconds: the default cap of `wait_until`

T = TypeVar("T")

# Ports handed out here lie below Linux's ephemeral range (32768-60999), so no outgoing
# connection of any test takes them, and each pytest-xdist worker draws from its own block of
# 1,000, so two workers never pick the same port. Within the block a random start keeps
# two suites running at once on one machine (other worktrees) apart as well.
PORT_BASE, PORT_BLOCK, PORT_BLOCKS = 20_000, 1_000, 12


def _worker_number() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")  # "gw0", "gw1"…; unset: no xdist
    digits = worker.removeprefix("gw")
    return int(digits) % PORT_BLOCKS if digits.isdigit() else 0


_ports_given: set[int] = set()


def free_port() -> int:
    """A loopback port free just now, in this worker's block, not handed out before here."""
    block = PORT_BASE + _worker_number() * PORT_BLOCK
    start = random.randrange(PORT_BLOCK)
    for offset in range(PORT_BLOCK):
        port = block + (start + offset) % PORT_BLOCK
        if port in _ports_given:
            continue
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers bind
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        _ports_given.add(port)
        return port
    raise RuntimeError(f"no free loopback port in {block}-{block + PORT_BLOCK - 1}")


def wait_until(
    condition: Callable[[], T], what: str, timeout: float = WAIT_TIMEOUT, every: float = 0.05
) -> T:
    """Poll ``condition`` until it returns something truthy (returned); fail after ``timeout``
    seconds, a cap, not an expectation: on a quiet machine the condition holds far sooner."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f"{what}: still not the case after {timeout:.0f} s")
        time.sleep(every)


def log_tail(path: Path, chars: int = 6_000) -> str:
    """The end of a process's log, for an error message."""
    try:
        text = path.read_text(errors="replace")
    except OSError as error:
        return f"(no log at {path}: {error})"
    return text if len(text) <= chars else "…" + text[-chars:]


_running: set[subprocess.Popen] = set()  # every process started here and not yet stopped


@atexit.register
def _stop_leftovers() -> None:
    """A test process that exits with servers still running (interrupted between a start and
    its fixture's teardown) stops them on the way out: they have sessions of their own, so no
    Ctrl+C reaches them."""
    for process in list(_running):
        stop_process_group(process, timeout=5)


def track(process: subprocess.Popen) -> subprocess.Popen:
    """Remember ``process`` for _stop_leftovers; stop_process_group forgets it."""
    _running.add(process)
    return process


def stop_process_group(process: subprocess.Popen | None, timeout: float = STOP_TIMEOUT) -> None:
    """SIGTERM the process's group (it was started with ``start_new_session``), then SIGKILL
    it if it is still there after ``timeout``; reap the process. Safe to call twice: a process
    already reaped is left alone (its id may belong to someone else by now)."""
    if process is None:
        return
    _running.discard(process)
    if process.poll() is not None:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)  # its children too, if it has any
        try:
            process.wait(timeout=timeout)
            break
        except subprocess.TimeoutExpired:
            continue
    else:
        process.wait(timeout=timeout)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # a child that outlived the leader just reaped


class LiveServer:
    """Starts the real command line in a subprocess; restartable; can be killed with -9."""

    def __init__(
        self,
        data_dir: Path,
        *,
        demo: bool = False,
        port: int | None = None,
        env=None,
        message_queue: str | None = None,
    ):
        self.data_dir = data_dir
        self._port_chosen = port is not None  # by the caller: never moved to another port
        self.demo = demo
        self.token = TOKEN
        self.extra_env = env or {}
        self.message_queue = message_queue  # e.g. redis://127.0.0.1:PORT/0 (--message-queue)
        self.process: subprocess.Popen | None = None
        self._started_once = False
        self._use_port(port or free_port())

    def _use_port(self, port: int) -> None:
        self.port = port
        self.base_url = f"http://127.0.0.1:{self.port}"
        # Processes that share a data dir through a message queue keep a log each.
        self.log = self.data_dir / (
            f"server-{self.port}.log" if self.message_queue else "server.log"
        )

    def start(self) -> LiveServer:
        """Start the process and wait until it answers; on any failure it is stopped again and
        the error shows its log. A port taken meanwhile by another program is replaced by
        another free one, unless the caller chose it or the server has run on it before."""
        for _attempt in range(5):
            try:
                self._start_once()
                self._started_once = True
                return self
            except _PortTaken:
                if self._port_chosen or self._started_once:
                    raise
                self._use_port(free_port())
        raise RuntimeError("five free ports in a row were taken before the server bound them")

    def _start_once(self) -> None:
        env = {
            **os.environ,
            "WORKSHOP_FACILITATOR_TOKEN": self.token,
            "WORKSHOP_PUBLIC_URL": self.base_url,
            **self.extra_env,
        }
        command = [
            sys.executable,
            "-m",
            "workshop.cli",
            "demo" if self.demo else "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--data",
            str(self.data_dir),
        ]
        if self.message_queue:
            command += ["--message-queue", self.message_queue]
        self.data_dir.mkdir(parents=True, exist_ok=True)
        logged_before = self.log.stat().st_size if self.log.exists() else 0
        with open(self.log, "ab") as log:  # the child keeps its own copy of the descriptor
            self.process = track(
                subprocess.Popen(
                    command,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,  # its own process group: stop() ends all of it
                )
            )
        try:
            self._wait_until_up(logged_before)
        except BaseException:
            stop_process_group(self.process)
            raise

    def _wait_until_up(self, logged_before: int, timeout: float = START_TIMEOUT) -> None:
        """Until the first answer: a refused connection (not listening yet) and a slow first
        answer (the machine is busy: ReadTimeout) are both retried until the deadline."""
        deadline = time.monotonic() + timeout
        last_error: BaseException | None = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                with open(self.log, "rb") as log:
                    log.seek(logged_before)
                    if b"Address already in use" in log.read():  # this attempt's lines only
                        raise _PortTaken(
                            f"port {self.port} was taken before `workshop serve` bound it; "
                            f"its log ({self.log}):\n{log_tail(self.log)}"
                        )
                raise RuntimeError(
                    f"`workshop serve` exited with {self.process.returncode} before answering "
                    f"on {self.base_url}; its log ({self.log}):\n{log_tail(self.log)}"
                )
            try:
                requests.get(self.base_url + "/", timeout=(2, 10))
                return
            except (requests.ConnectionError, requests.Timeout) as error:
                last_error = error
                time.sleep(0.1)
        raise RuntimeError(
            f"`workshop serve` did not answer on {self.base_url} within {timeout:.0f} s "
            f"(last: {last_error!r}); its log ({self.log}):\n{log_tail(self.log)}"
        )

    def kill(self) -> None:
        """kill -9: no shutdown handlers, no flush."""
        if self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=STOP_TIMEOUT)

    def stop(self) -> None:
        stop_process_group(self.process)

    def restart(self) -> LiveServer:
        self.stop()
        return self.start()

    def facilitator(self) -> requests.Session:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {self.token}"
        return session

    def create_workshop(self, **fields) -> dict:
        body = {"title": "Live test workshop", "prompts": [{"text": "What is missing?"}]}
        body.update(fields)
        with self.facilitator() as session:
            response = session.post(f"{self.base_url}/api/workshops", json=body, timeout=30)
            response.raise_for_status()
            return response.json()

    def attendee(self, code: str, name: str | None = None) -> requests.Session:
        session = requests.Session()
        session.post(f"{self.base_url}/api/workshops/{code}/join", json={"name": name}, timeout=30)
        return session


@contextlib.contextmanager
def running(server: LiveServer) -> Iterator[LiveServer]:
    """``with running(LiveServer(...)) as server:``: started, and stopped whatever happens,
    also when it never came up."""
    try:
        yield server.start()
    finally:
        server.stop()


class _PortTaken(RuntimeError):
    """The server could not bind its port: another program took it after free_port()."""


def board_socket(base_url: str, code: str, cookie: str):
    """A board's socket carrying ``cookie`` (a browser's): (client, welcomes, disconnects),
    connected and welcomed."""
    board = socketio.Client(reconnection=False)
    welcomes: list[dict] = []
    gone: list[bool] = []
    board.on("welcome", welcomes.append)
    board.on("disconnect", lambda *_: gone.append(True))
    board.connect(
        base_url,
        auth={"code": code, "view": "board"},
        headers={"Cookie": cookie},
        transports=["websocket"],
        wait_timeout=30,
    )
    wait_until(lambda: welcomes, "the board's welcome")
    return board, welcomes, gone
