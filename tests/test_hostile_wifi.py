"""One address on the venue Wi-Fi cannot take the server down: a real `workshop serve` with
a low file limit, an attacker holding half-sent requests from one loopback address, and a
board on another that keeps getting answers."""

from __future__ import annotations

import contextlib
import resource
import select
import socket
import time

import pytest
import requests

from tests.liveserver import LiveServer

pytestmark = pytest.mark.server

ATTACKER = "127.0.0.2"
PER_ADDRESS = 24
HEADER_SECONDS = 3
FILE_LIMIT = 160  # fewer than the attacker's connections: without the cap, none would be left


def pinned_server(tmp_path, header_seconds: int):
    """A real server holding at most FILE_LIMIT files, PER_ADDRESS connections an address."""
    server = LiveServer(
        tmp_path / "data",
        env={
            "WORKSHOP_CONNECTIONS_PER_ADDRESS": str(PER_ADDRESS),
            "WORKSHOP_HEADER_SECONDS": str(header_seconds),
        },
    )
    try:
        server.start()
        # The server raised its own soft limit at start; pin soft and hard below the attack.
        resource.prlimit(server.process.pid, resource.RLIMIT_NOFILE, (FILE_LIMIT, FILE_LIMIT))
        yield server
    finally:
        server.stop()


@pytest.fixture
def guarded(tmp_path):
    yield from pinned_server(tmp_path, HEADER_SECONDS)


def half_sent_requests(port: int, count: int, address: str = ATTACKER) -> list[socket.socket]:
    """Connections from one address that start a request and never finish its headers."""
    held = []
    for _ in range(count):
        sock = socket.socket()
        sock.settimeout(10)
        sock.bind((address, 0))
        try:
            sock.connect(("127.0.0.1", port))
            sock.sendall(b"GET /api/workshops HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        except OSError:
            sock.close()
            continue
        held.append(sock)
    return held


def answer_of(sock: socket.socket) -> bytes:
    """What the server sent before closing (b"" for a plain close); None while still open."""
    sock.settimeout(0.2)
    try:
        data = sock.recv(4096)
    except TimeoutError:
        return None
    except OSError:
        return b""
    return data


def first_answers(held: list[socket.socket], cap: float) -> list[bytes | None]:
    """What each connection got first (b"" for a plain close), waiting on all at once until
    each has something or ``cap`` seconds pass (None: still open then)."""
    answers: dict[socket.socket, bytes | None] = dict.fromkeys(held)
    deadline = time.monotonic() + cap
    while (waiting := [s for s, a in answers.items() if a is None]) and (
        left := deadline - time.monotonic()
    ) > 0:
        readable, _, _ = select.select(waiting, [], [], min(left, 1.0))
        for sock in readable:
            answers[sock] = answer_of(sock) or b""  # readable: data, or the close
    return [answers[sock] for sock in held]


def test_one_address_holding_half_sent_requests_leaves_the_room_served(guarded):
    code = guarded.create_workshop()["code"]
    held = half_sent_requests(guarded.port, 300)
    try:
        # The board, on its own address, is answered while the attacker holds on.
        board = requests.get(f"{guarded.base_url}/api/workshops/{code}/state", timeout=30)
        assert 200 == board.status_code
        assert code == board.json()["workshop"]["code"]

        # Past its share, the attacker was told why (a 503 with the reason, then the close),
        # not left hanging; the ones it was allowed are closed once the header deadline
        # passes. Each connection is polled until it has its answer (a busy machine may take
        # a while to write 300 of them): 60 s is a cap.
        answers = first_answers(held, cap=60)
        assert [] == [i for i, answer in enumerate(answers) if answer is None]  # none hanging
        refused = [a for a in answers if a.startswith(b"HTTP/1.1 503")]
        assert len(refused) >= len(held) - PER_ADDRESS
        assert b"too many connections from this address" in refused[0]
    finally:
        for sock in held:
            with contextlib.suppress(OSError):
                sock.close()

    # Once it stops, the attacker's address is served again straight away.
    again = socket.create_connection(
        ("127.0.0.1", guarded.port), timeout=30, source_address=(ATTACKER, 0)
    )
    with again:
        again.sendall(
            f"GET /api/workshops/{code} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
        )
        reply = b""
        while chunk := again.recv(65536):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 200")


def test_an_idle_keep_alive_connection_is_closed_after_the_header_deadline(guarded):
    code = guarded.create_workshop()["code"]
    with socket.create_connection(("127.0.0.1", guarded.port), timeout=30) as sock:
        sock.sendall(f"GET /api/workshops/{code} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        first = sock.recv(65536)
        assert first.startswith(b"HTTP/1.1 200")
        deadline = time.monotonic() + 60
        closed = False
        while not closed and time.monotonic() < deadline:
            sock.settimeout(1)
            with contextlib.suppress(TimeoutError):
                closed = sock.recv(4096) == b""
        assert closed


@pytest.fixture
def patient(tmp_path):
    """Headers may take minutes: only the server's share rule can free a socket."""
    yield from pinned_server(tmp_path, 600)


def test_many_addresses_filling_every_socket_leave_room_for_a_newcomer(patient):
    """Ten addresses, each within its own share, hold more half-sent requests than the
    server has files: a board from another address is still answered (the address holding
    the most gives up its oldest waiting connection), and nobody is left hanging."""
    code = patient.create_workshop()["code"]
    held = []
    try:
        for number in range(10):
            held += half_sent_requests(patient.port, PER_ADDRESS, address=f"127.0.3.{number + 1}")
        for _ in range(3):  # each board request a fresh connection, from the board's address
            board = requests.get(
                f"{patient.base_url}/api/workshops/{code}/state",
                headers={"Connection": "close"},
                timeout=30,
            )
            assert 200 == board.status_code, board.text
            assert code == board.json()["workshop"]["code"]
        answers = first_answers(held, cap=5)
        closed = [a for a in answers if a is not None]
        assert closed  # some attackers gave up a socket for the board...
        assert len(closed) < len(held)  # ...the rest still hold theirs: nobody was served twice
    finally:
        for sock in held:
            with contextlib.suppress(OSError):
                sock.close()
