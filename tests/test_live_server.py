"""A real `workshop serve` on a loopback port with real python-socketio clients.

How fast a note reaches the boards and the phones is measured by bench/realtime.py (board
p50/p95/p99, phones in the next batch; docs/performance.md); these tests assert that it does,
live over the socket, with generous caps on each wait so that a busy machine is only slower.
"""

import queue
import socket
import time

import pytest
import requests
import socketio

from tests.liveserver import LiveServer

pytestmark = pytest.mark.server


class Listener:
    """A real Socket.IO client that records every event with its arrival time."""

    def __init__(
        self, server, code, view, cookies=None, transports=("websocket",), back_off=(0.2, 1)
    ):
        self.events: queue.Queue = queue.Queue()
        delay, delay_max = back_off  # python-socketio's own reconnection and back-off
        self.client = socketio.Client(reconnection_delay=delay, reconnection_delay_max=delay_max)
        self.client.on("*", lambda name, data: self.events.put((name, data, time.monotonic())))
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())}
        self.client.connect(
            server.base_url,
            auth={"code": code, "view": view},
            transports=list(transports),
            headers=headers if cookies else {},
            wait_timeout=30,
        )

    def next(self, name, timeout=30.0):
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                event, data, at = self.events.get(timeout=left)
            except queue.Empty:
                break
            if event == name:
                return data, at
        raise AssertionError(f"no {name} within {timeout} s")

    def close(self):
        self.client.disconnect()


def post(session, server, code, text, client_id):
    return session.post(
        f"{server.base_url}/api/workshops/{code}/notes",
        json={"text": text, "client_id": client_id},
        timeout=30,
    )


def test_a_note_reaches_a_board_over_websocket_as_it_is_posted(live_server):
    code = live_server.create_workshop()["code"]
    board = Listener(live_server, code, "board")
    assert "board" == board.next("welcome")[0]["role"]
    phone = live_server.attendee(code)
    response = post(phone, live_server, code, "Winter sidewalks", "w1")
    assert 201 == response.status_code
    note, _ = board.next("note.created")  # pushed by the server: the board never asked
    assert ("Winter sidewalks", 1) == (note["text"], note["seq"])
    board.close()


def test_phones_get_the_room_pushed_over_their_socket(live_server):
    code = live_server.create_workshop()["code"]
    phone_session = live_server.attendee(code)
    phone = Listener(live_server, code, "phone", cookies=phone_session.cookies.get_dict())
    phone.next("welcome")
    other = live_server.attendee(code)
    assert 201 == post(other, live_server, code, "From the back row", "b1").status_code
    note, _ = phone.next("note.created")
    assert "From the back row" == note["text"]
    phone.close()


def test_long_polling_still_works_for_old_phones(live_server):
    code = live_server.create_workshop()["code"]
    board = Listener(live_server, code, "board", transports=("polling",))
    board.next("welcome")
    post(live_server.attendee(code), live_server, code, "Polled", "p1")
    assert "Polled" == board.next("note.created")[0]["text"]
    board.close()


def test_every_acknowledged_note_survives_kill_9(live_server):
    code = live_server.create_workshop()["code"]
    phones = [live_server.attendee(code) for _ in range(4)]
    acknowledged = []
    for i in range(20):
        response = post(phones[i % 4], live_server, code, f"note {i}", f"k{i}")
        assert response.status_code == 201
        acknowledged.append(response.json()["id"])
    live_server.kill()
    live_server.start()
    stored = requests.get(f"{live_server.base_url}/api/workshops/{code}/notes", timeout=30).json()
    assert sorted(acknowledged) == sorted(n["id"] for n in stored)
    # Phones that never saw their answers resend: still one note each.
    for i in range(20):
        assert 200 == post(phones[i % 4], live_server, code, f"note {i}", f"k{i}").status_code
    assert 20 == len(requests.get(f"{live_server.base_url}/api/workshops/{code}/notes").json())


def test_a_board_reconnects_after_a_restart_and_learns_the_seq(live_server):
    code = live_server.create_workshop()["code"]
    board = Listener(live_server, code, "board")
    board.next("welcome")
    post(live_server.attendee(code), live_server, code, "before", "r1")
    board.next("note.created")
    live_server.kill()
    live_server.start()
    phone = live_server.attendee(code)
    assert 201 == post(phone, live_server, code, "while away", "r2").status_code
    welcome, _ = board.next("welcome", timeout=10)
    if welcome["seq"] == 1:
        # The board was back before the note was posted: the note then reaches it live.
        created, _ = board.next("note.created", timeout=30)
        assert (2, "while away") == (created["seq"], created["text"])
    else:  # the board had seen 1 and the welcome says 2: it knows to fetch the state again
        assert 2 == welcome["seq"]
    board.close()


def test_the_facilitator_link_signs_a_browser_in(live_server):
    browser = requests.Session()
    response = browser.get(f"{live_server.base_url}/facilitator?token={live_server.token}")
    assert 200 == response.status_code
    assert "Your workshops" in response.text
    assert 200 == browser.get(f"{live_server.base_url}/api/workshops").status_code
    stranger = requests.Session()
    refused = stranger.get(f"{live_server.base_url}/facilitator?token=guess")
    assert 401 == refused.status_code
    assert "not valid" in refused.text
    assert 403 == stranger.get(f"{live_server.base_url}/api/workshops").status_code


def test_serve_prints_the_join_url_and_the_facilitator_link(live_server):
    code = live_server.create_workshop(title="Printed")["code"]
    live_server.restart()
    log = live_server.log.read_text()
    assert f"attendees join: {live_server.base_url}/j/{code}" in log
    assert f"Facilitator link (keep it private): {live_server.base_url}/facilitator?token=" in log


def test_a_server_that_cannot_start_is_reaped_and_its_log_is_in_the_error(tmp_path):
    """The fixtures' promise: a server that fails to come up is not left behind, and the
    error says why. Its port, chosen by the caller, is held by another program."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        server = LiveServer(tmp_path / "data", port=holder.getsockname()[1])
        with pytest.raises(RuntimeError) as failed:
            server.start()
    assert f"Port {server.port} is already in use" in str(failed.value)  # the server's words
    assert server.process.returncode is not None  # exited and reaped, not left running
    server.stop()  # and stopping it again is harmless
