"""Starting the server: an error a person can act on, and a failed start changes nothing."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests

from tests.liveserver import LiveServer, free_port, wait_until
from tests.liveserver import running as running_server
from workshop.core.tokens import TOKEN_FILE

pytestmark = pytest.mark.server


def start(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("WORKSHOP_")}
    return subprocess.run(
        [sys.executable, "-m", "workshop.cli", "serve", "--host", "127.0.0.1", *args],
        env={**environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def running(tmp_path):
    server = LiveServer(tmp_path / "data")
    try:
        yield server.start()
    finally:
        server.stop()


def test_a_second_start_on_a_busy_port_says_so_and_leaves_the_running_server_alone(running):
    token_before = (running.data_dir / TOKEN_FILE).read_bytes()
    result = start("--port", str(running.port), "--data", str(running.data_dir))
    assert 1 == result.returncode
    assert f"Port {running.port} is already in use" in result.stderr
    assert "--port" in result.stderr  # it offers a free one
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) <= 2
    assert "facilitator" not in result.stdout.lower()  # no link printed for a server that is not
    assert token_before == (running.data_dir / TOKEN_FILE).read_bytes()
    with running.facilitator() as session:  # the running server's link still works
        assert 200 == session.get(f"{running.base_url}/api/workshops", timeout=30).status_code


def test_a_failed_start_on_a_new_data_dir_writes_nothing_there(running, tmp_path):
    fresh = tmp_path / "never-made"
    result = start("--port", str(running.port), "--data", str(fresh))
    assert 1 == result.returncode
    assert not fresh.exists()


def test_a_data_dir_that_cannot_be_made_is_one_line_naming_it(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = start("--port", str(free_port()), "--data", str(blocker / "data"))
    assert 1 == result.returncode
    assert f"Cannot use {blocker / 'data'} as the data directory" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2


def _answers(port: int) -> bool:
    try:
        requests.get(f"http://127.0.0.1:{port}/", timeout=2)
    except requests.ConnectionError:
        return False
    return True


def test_ctrl_c_with_the_output_piped_stops_the_server(tmp_path):
    port = free_port()
    command = (
        f"exec {sys.executable} -m workshop.cli serve --host 127.0.0.1 --port {port} "
        f"--data {tmp_path / 'data'} 2>&1 | tee {tmp_path / 'log'}"
    )
    # A terminal's Ctrl+C: SIGINT to the whole foreground group (server and tee).
    shell = subprocess.Popen(
        ["sh", "-c", command],
        start_new_session=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 60
        while not _answers(port) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _answers(port), (tmp_path / "log").read_text()
        os.killpg(shell.pid, signal.SIGINT)
        shell.wait(timeout=60)
        deadline = time.monotonic() + 60
        while _answers(port) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _answers(port)
        with socket.create_server(("127.0.0.1", port)):
            pass  # the port is free again
    finally:
        if shell.poll() is None:
            os.killpg(shell.pid, signal.SIGKILL)
            shell.wait(timeout=30)


def test_a_second_server_on_a_served_data_dir_is_refused_naming_the_running_one(running):
    token_before = (running.data_dir / TOKEN_FILE).read_bytes()
    result = start("--port", str(free_port()), "--data", str(running.data_dir))
    assert 1 == result.returncode
    assert "a workshop server is already running on" in result.stderr
    assert running.base_url in result.stderr  # the running one, by its address
    assert f"process {running.process.pid}" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) <= 2
    assert "facilitator" not in result.stdout.lower()
    assert token_before == (running.data_dir / TOKEN_FILE).read_bytes()
    with running.facilitator() as session:  # the running server's link still works
        assert 200 == session.get(f"{running.base_url}/api/workshops", timeout=30).status_code


def test_once_the_running_server_stops_the_data_dir_serves_again(tmp_path):
    first = LiveServer(tmp_path / "data")
    first.start()
    first.stop()  # its record stays behind: the lock, not the record, says who is serving
    with running_server(LiveServer(tmp_path / "data")) as second:
        assert 200 == requests.get(second.base_url + "/", timeout=30).status_code


def test_the_terminal_announces_a_workshop_made_in_the_browser(running):
    assert "(no workshop yet)" in running.log.read_text()
    code = running.create_workshop(title="Bike lanes on Main Street")["code"]
    text = wait_until(
        lambda: f"(code {code})" in running.log.read_text() and running.log.read_text(),
        "the new workshop announced in the terminal",
    )
    announced = text[text.index("New workshop: Bike lanes on Main Street") :]
    assert f"attendees join: {running.base_url}/j/{code}   (code {code})" in announced
    assert f"board:          {running.base_url}/w/{code}/board" in announced


def test_printed_codes_name_the_port_being_served(running, tmp_path):
    from tests.pdfcheck import decode_qr_codes

    code = running.create_workshop()["code"]
    environ = {k: v for k, v in os.environ.items() if not k.startswith("WORKSHOP_")}
    for command in (["cards", "--count", "2"], ["poster"]):
        out = tmp_path / f"{command[0]}.pdf"
        subprocess.run(
            [sys.executable, "-m", "workshop.cli", *command, code, "-o", str(out)]
            + ["--data", str(running.data_dir)],
            env=environ,  # no WORKSHOP_PUBLIC_URL: the running server's own URL
            check=True,
            capture_output=True,
            timeout=120,
        )
        urls = decode_qr_codes(out.read_bytes())[0]
        assert urls and all(url.startswith(f"{running.base_url}/") for url in urls), urls


def check(*args: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("WORKSHOP_")}
    return subprocess.run(
        [sys.executable, "-m", "workshop.cli", "check", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_reports_the_running_servers_address_and_that_its_port_answers(running):
    result = check("--data", str(running.data_dir))
    out = result.stdout
    assert f"The QR codes send phones to {running.base_url}" in out
    assert f"served by process {running.process.pid}" in out
    assert f"[ok  ] The server answers on 127.0.0.1 port {running.port}" in out
    # Tests serve on loopback only, which no phone can open: said, and the exit status is 1.
    assert "[FAIL] The QR codes point at 127.0.0.1, this laptop itself" in out
    assert "client or AP isolation" in " ".join(out.split())
    assert 1 == result.returncode
    assert "Traceback" not in result.stderr


def test_check_without_a_server_says_nothing_answers(tmp_path):
    port = free_port()
    result = check("--public-url", f"http://127.0.0.1:{port}", "--data", str(tmp_path / "d"))
    assert f"[FAIL] Nothing answered on 127.0.0.1 port {port} from this laptop" in result.stdout
    assert 1 == result.returncode
    assert not (tmp_path / "d").exists()  # a check writes nothing
