"""Phones' batches never pile up (workshop/realtime/sockets.py, Fanout): a phone that has not
taken its last batch is sent nothing more until it has, then the batches it missed, each event
once and in seq order. Piled-up batches held the server's pings back until phones were
dropped.

A real `workshop serve`, a phone that reads every batch as it comes (WebSocket), and a phone
on Engine.IO's long-polling transport that stops polling for a while: whatever the server has
for it stays queued until it asks, so "backed up" is a fact of the protocol, not of timing.
"""

from __future__ import annotations

import json

import pytest
import requests

from tests.liveserver import wait_until
from tests.test_faults import FAST
from tests.test_live_server import Listener

pytestmark = pytest.mark.server

RECORD = "\x1e"  # Engine.IO 4 separates the packets of a polling answer with this


class PollingPhone:
    """A phone view over Engine.IO long-polling, asking for batches like the phone page."""

    def __init__(self, server, code: str) -> None:
        self.url = f"{server.base_url}/socket.io/"
        self.session = requests.Session()
        self.session.post(f"{server.base_url}/api/workshops/{code}/join", json={}, timeout=30)
        opened = self._get({})
        assert opened[0].startswith("0"), opened
        self.sid = json.loads(opened[0][1:])["sid"]
        auth = {"code": code, "view": "phone", "batch": True}
        answer = self.session.post(
            self.url, params=self._params(), data="40" + json.dumps(auth), timeout=30
        )
        assert "OK" == answer.text
        self.batches: list[list] = []
        packets = self.poll()
        assert any(p.startswith("40") for p in packets), packets

    def _params(self, extra: dict | None = None) -> dict:
        return {"EIO": "4", "transport": "polling", "sid": self.sid, **(extra or {})}

    def _get(self, params: dict) -> list[str]:
        base = {"EIO": "4", "transport": "polling", **params}
        answer = self.session.get(self.url, params=base, timeout=60)
        answer.raise_for_status()
        return answer.text.split(RECORD)

    def poll(self) -> list[str]:
        """One long-poll: every packet the server holds for this phone (answers pings)."""
        packets = self._get({"sid": self.sid})
        for packet in packets:
            if packet == "2":
                self.session.post(self.url, params=self._params(), data="3", timeout=30)
            elif packet.startswith("42"):
                name, payload = json.loads(packet[2:])
                if name == "batch":
                    self.batches.append(payload["events"])
        return packets

    def notes(self) -> list[dict]:
        return [p for events in self.batches for name, p in events if name == "note.created"]


def post(server, session, code, text):
    answer = session.post(
        f"{server.base_url}/api/workshops/{code}/notes",
        json={"text": text, "client_id": text},
        timeout=30,
    )
    assert 201 == answer.status_code, answer.text
    return answer.json()


def test_a_phone_that_stops_taking_batches_is_sent_no_more_then_what_it_missed_once(live_server):
    code = live_server.create_workshop(settings=FAST)["code"]
    quick = Listener(live_server, code, "phone")  # named events: heard at every flush
    quick.next("welcome")
    slow = PollingPhone(live_server, code)
    author = live_server.attendee(code)
    flushes = 12
    posted = []
    for n in range(flushes):  # one note per flush: the quick phone hears each one
        posted.append(post(live_server, author, code, f"note {n}"))
        assert f"note {n}" == quick.next("note.created")[0]["text"]
    # The slow phone asked for nothing meanwhile: the server held at most the one batch it
    # had before it was backed up, not a batch per flush.
    slow.poll()
    assert len(slow.batches) <= 1 < flushes
    wait_until(lambda: slow.poll() and len(slow.notes()) == flushes, "the slow phone caught up")
    heard = slow.notes()
    assert [n["id"] for n in posted] == [n["id"] for n in heard]  # each once, in order
    seqs = [n["seq"] for n in heard]
    assert seqs == list(range(seqs[0], seqs[0] + flushes))
    # Caught up, it hears the room as it happens again.
    batches_before = len(slow.batches)
    post(live_server, author, code, "after")
    wait_until(lambda: slow.poll() and slow.notes()[-1]["text"] == "after", "a new note heard")
    assert batches_before + 1 == len(slow.batches)
    quick.close()


def test_the_phone_pages_batches_carry_what_the_page_reads_and_named_events_the_whole_note(
    live_server,
):
    """A note reaches every phone in the room: the phone page's batch carries only the
    fields its modules read (a third of the bytes on the venue's Wi-Fi); a client that asked
    for named events still gets the whole note, as the boards do."""
    from workshop.core.protocol import PHONE_NOTE_FIELDS

    code = live_server.create_workshop(settings=FAST)["code"]
    named = Listener(live_server, code, "phone")
    named.next("welcome")
    board = Listener(live_server, code, "board")
    board.next("welcome")
    page = PollingPhone(live_server, code)
    author = live_server.attendee(code)
    posted = post(live_server, author, code, "Bus stop by the school gate")

    wait_until(lambda: page.poll() and page.notes(), "the phone page heard the note")
    (batched,) = page.notes()
    assert set(batched) == set(PHONE_NOTE_FIELDS) - {"blind"}
    assert {field: posted[field] for field in batched if field != "seq"} == {
        field: value for field, value in batched.items() if field != "seq"
    }
    whole = named.next("note.created")[0]
    assert whole == board.next("note.created")[0]
    assert {"votes", "created_at", "source", "merged", "next_step_ids"} <= set(whole)
    assert len(json.dumps(batched)) * 2 < len(json.dumps(whole))
    named.close()
    board.close()
