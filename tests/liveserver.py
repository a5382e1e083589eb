"""A real `workshop serve` process on a loopback port, for socket, browser and fault tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

TOKEN = "test-facilitator-token"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
        self.port = port or free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.token = TOKEN
        self.demo = demo
        self.extra_env = env or {}
        self.message_queue = message_queue  # e.g. redis://127.0.0.1:PORT/0 (--message-queue)
        self.process: subprocess.Popen | None = None
        # Processes that share a data dir through a message queue keep a log each.
        self.log = data_dir / (f"server-{self.port}.log" if message_queue else "server.log")

    def start(self) -> LiveServer:
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
        with open(self.log, "ab") as log:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        self._wait_until_up()
        return self

    def _wait_until_up(self, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()}")
            try:
                requests.get(self.base_url + "/", timeout=0.5)
                return
            except (requests.ConnectionError, requests.Timeout):
                # Not listening yet, or listening but not answering yet (a loaded machine).
                time.sleep(0.05)
        raise RuntimeError(f"server did not start: {self.log.read_text()}")

    def kill(self) -> None:
        """kill -9: no shutdown handlers, no flush."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

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
            response = session.post(f"{self.base_url}/api/workshops", json=body)
            response.raise_for_status()
            return response.json()

    def attendee(self, code: str, name: str | None = None) -> requests.Session:
        session = requests.Session()
        session.post(f"{self.base_url}/api/workshops/{code}/join", json={"name": name})
        return session
