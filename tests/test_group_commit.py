"""Group commit: notes posted at the same moment share one transaction and one fsync, and
each is still answered only once that commit is on disk (workshop/core/db.py, Store.grouped).

In process, a test holds the store's lock (as a commit in progress does) while threads post,
so the notes queued meanwhile go in one group, deterministically. Against a real server,
many phones post at once: each note is acknowledged once, is in the database file once it is
acknowledged, reaches the board once and in seq order; a disk that fills up refuses whole
groups, and no refused note is stored.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest
import requests

from tests.liveserver import wait_until
from tests.test_faults import FAST, Watcher, integrity
from workshop.core import db as database
from workshop.core.errors import Conflict
from workshop.notes import notes
from workshop.paper import cards
from workshop.web.errors import CANNOT_SAVE
from workshop.workshops import workshops


@pytest.fixture
def store():
    store = database.connect()
    yield store
    store.close()


@pytest.fixture
def code(store):
    return workshops.create_workshop(store, title="Group commit", prompts=[{"text": "Ideas?"}])[
        "code"
    ]


def heard(store):
    events = []
    store.subscribe(events.append)
    return events


def queued_while_locked(store, works):
    """Start each work in a thread while the store's lock is held (a commit in progress);
    release it once all are queued. Return each thread's outcome, in the works' order."""
    outcomes: list = [None] * len(works)

    def run(index, work):
        try:
            outcomes[index] = ("ok", work())
        except Exception as error:
            outcomes[index] = ("error", error)

    threads = [threading.Thread(target=run, args=item) for item in enumerate(works)]
    with store.lock:
        for thread in threads:
            thread.start()
        wait_until(lambda: len(store._queue) == len(works), "every post queued")
    for thread in threads:
        thread.join(30)
    return outcomes


def post(store, code, text):
    return lambda: notes.post_note(store, code, text=text, client_id=f"id-{text}")


def test_notes_queued_during_a_commit_share_the_next_one_and_each_is_returned(store, code):
    events = heard(store)
    texts = [f"note {n}" for n in range(12)]
    outcomes = queued_while_locked(store, [post(store, code, text) for text in texts])
    assert (1, 12) == (store.commits, store.grouped_works)
    assert all(kind == "ok" and created for kind, (_, created) in outcomes)
    returned = {note["text"]: note["id"] for _, (note, _) in outcomes}
    stored = {note["text"]: note["id"] for note in notes.list_notes(store.db, code)}
    assert returned == stored
    # One note.created each, in seq order without a gap, for the notes of the commit.
    created = [event for event in events if event.name == "note.created"]
    assert sorted(texts) == sorted(event.data["text"] for event in created)
    seqs = [event.seq for event in created]
    assert seqs == list(range(seqs[0], seqs[0] + len(texts)))
    assert [event.data["id"] for event in created] == sorted(returned.values())


def test_the_same_client_id_twice_in_one_group_is_one_note(store, code):
    def same():
        return notes.post_note(store, code, text="twice", client_id="same")

    outcomes = queued_while_locked(store, [same, same, post(store, code, "other")])
    (first, new1), (second, new2) = outcomes[0][1], outcomes[1][1]
    assert first["id"] == second["id"]
    assert [True, False] == sorted([new1, new2], reverse=True)
    assert ["other", "twice"] == sorted(n["text"] for n in notes.list_notes(store.db, code))


def test_a_note_that_fails_undoes_itself_alone(store, code):
    """A card entered twice in one group: the second is refused, the rest are stored."""
    (card_row,) = cards.issue_cards(store, code, 1)
    events = heard(store)

    def card(text):
        return lambda: notes.post_note(
            store, code, text=text, client_id=text, source="paper", card_code=card_row["code"]
        )

    outcomes = queued_while_locked(
        store,
        [post(store, code, "before"), card("card a"), card("card b"), post(store, code, "after")],
    )
    # The two cards queue in whichever order their threads ran: the first one is stored.
    (_, first), (_, second) = outcomes[1], outcomes[2]
    kinds = [kind for kind, _ in outcomes]
    assert ["ok", "ok"] == [kinds[0], kinds[3]] and ["error", "ok"] == sorted(kinds[1:3])
    refused = first if kinds[1] == "error" else second
    entered = (second if kinds[1] == "error" else first)[0]["text"]
    assert isinstance(refused, Conflict)
    stored = sorted(n["text"] for n in notes.list_notes(store.db, code))
    assert sorted(["after", "before", entered]) == stored
    assert stored == sorted(e.data["text"] for e in events if e.name == "note.created")
    assert 1 == store.commits


def test_a_failing_commit_answers_every_note_of_its_group_with_the_error(store, code):
    """COMMIT itself fails (a foreign key checked only at COMMIT): nothing of the group is
    stored, every caller gets the error, no event is heard."""
    events = heard(store)

    def breaks_the_commit():
        def work(db):
            db.execute("PRAGMA defer_foreign_keys = ON")
            db.execute(
                "INSERT INTO notes (workshop_id, client_id, text, color, source, position,"
                " hidden, sorted, created_at, updated_at) VALUES (999999, 'x', 'orphan',"
                " 'yellow', 'phone', 1, 0, 0, '', '')"
            )

        return store.grouped(work)

    works = [post(store, code, "a"), breaks_the_commit, post(store, code, "b")]
    outcomes = queued_while_locked(store, works)
    assert ["error"] * 3 == [kind for kind, _ in outcomes]
    assert all(isinstance(error, sqlite3.IntegrityError) for _, error in outcomes)
    assert [] == notes.list_notes(store.db, code)
    assert [] == [e for e in events if e.name == "note.created"]
    assert 0 == store.commits
    # The store is whole again: the next note is stored and heard.
    note, created = notes.post_note(store, code, text="later", client_id="later")
    assert created and ["later"] == [n["text"] for n in notes.list_notes(store.db, code)]
    assert ["later"] == [e.data["text"] for e in events if e.name == "note.created"]


def test_inside_a_transaction_a_note_joins_it(store, code):
    with store.transaction():
        note, created = notes.post_note(store, code, text="inner", client_id="inner")
    assert created and 0 == store.commits
    assert ["inner"] == [n["text"] for n in notes.list_notes(store.db, code)]


# -- a real server ------------------------------------------------------------------------
PHONES, EACH = 24, 5


def join(server, code):
    session = requests.Session()
    session.post(f"{server.base_url}/api/workshops/{code}/join", json={}, timeout=30)
    return session


def send(server, code, session, client_id):
    return session.post(
        f"{server.base_url}/api/workshops/{code}/notes",
        json={"text": client_id, "client_id": client_id},
        timeout=60,
    )


def stored_in_file(server):
    """The notes in the database file, read with a connection of our own."""
    with contextlib.closing(sqlite3.connect(server.data_dir / "workshop.db")) as conn:
        return dict(conn.execute("SELECT client_id, id FROM notes").fetchall())


@pytest.mark.server
def test_a_room_posting_at_once_is_acknowledged_once_each_on_disk_and_heard_in_order(
    live_server,
):
    code = live_server.create_workshop(settings=FAST)["code"]
    board = Watcher(live_server, code, "board")
    seq0 = board.next("welcome", 30)[0]["seq"]
    phones = [join(live_server, code) for _ in range(PHONES)]
    on_disk_at_ack: dict[str, bool] = {}

    def phone(index):
        answers = []
        for k in range(EACH):
            client_id = f"p{index}-{k}"
            answer = send(live_server, code, phones[index], client_id)
            # Acknowledged: already in the file, for any other reader.
            on_disk_at_ack[client_id] = client_id in stored_in_file(live_server)
            answers.append((client_id, answer.status_code, answer.json()["id"]))
        return answers

    with ThreadPoolExecutor(PHONES) as pool:
        answers = [a for batch in pool.map(phone, range(PHONES)) for a in batch]
    assert {201} == {status for _, status, _ in answers}
    assert all(on_disk_at_ack.values()) and len(on_disk_at_ack) == PHONES * EACH
    # The same client_id again: 200 and the same note.
    client_id, _, note_id = answers[7]
    again = send(live_server, code, phones[int(client_id[1:].split("-")[0])], client_id)
    assert (200, note_id) == (again.status_code, again.json()["id"])
    acked = {client_id: note_id for client_id, _, note_id in answers}
    heard = [board.next("note.created", 30)[0] for _ in acked]
    assert sorted(acked.values()) == sorted(note["id"] for note in heard)  # each once
    assert list(range(seq0 + 1, seq0 + 1 + len(acked))) == [note["seq"] for note in heard]
    assert [n["id"] for n in heard] == sorted(n["id"] for n in heard)  # ids in commit order
    board.client.disconnect()
    live_server.kill()  # kill -9: what was acknowledged is in the file
    assert acked == stored_in_file(live_server)
    assert "ok" == integrity(live_server.data_dir / "workshop.db")


@pytest.mark.server
def test_a_disk_filling_up_under_a_burst_stores_exactly_the_acknowledged_notes(live_server):
    """The file-size limit of tests/test_faults.py (a full disk), with many phones posting at
    once: a refused group leaves nothing behind, and the refused notes arrive once later."""
    code = live_server.create_workshop(settings=FAST)["code"]
    phones = [join(live_server, code) for _ in range(PHONES)]
    server = psutil.Process(live_server.process.pid)
    _, hard = server.rlimit(psutil.RLIMIT_FSIZE)
    largest = max(p.stat().st_size for p in live_server.data_dir.iterdir() if p.is_file())
    server.rlimit(psutil.RLIMIT_FSIZE, (largest + 64 * 1024, hard))
    padding = "x" * 200

    def phone(index):
        answers = []
        for k in range(200):
            client_id = f"p{index}-{k}"
            answer = phones[index].post(
                f"{live_server.base_url}/api/workshops/{code}/notes",
                json={"text": f"{client_id} {padding}", "client_id": client_id},
                timeout=60,
            )
            answers.append((client_id, answer.status_code, answer.json()))
            if answer.status_code != 201:
                return answers
        return answers

    with ThreadPoolExecutor(PHONES) as pool:
        answers = [a for batch in pool.map(phone, range(PHONES)) for a in batch]
    acked = {cid: body["id"] for cid, status, body in answers if status == 201}
    refused = [cid for cid, status, body in answers if status != 201]
    assert {(503, CANNOT_SAVE)} == {
        (status, body["error"]) for _, status, body in answers if status != 201
    }
    assert len(refused) == PHONES and acked
    assert acked == stored_in_file(live_server)  # no refused note on disk, no acked one missing
    server.rlimit(psutil.RLIMIT_FSIZE, (hard, hard))  # room again: the phones resend
    for cid in refused:
        index = int(cid[1:].split("-")[0])
        answer = phones[index].post(
            f"{live_server.base_url}/api/workshops/{code}/notes",
            json={"text": f"{cid} {padding}", "client_id": cid},
            timeout=60,
        )
        assert 201 == answer.status_code
    assert set(acked) | set(refused) == set(stored_in_file(live_server))
    assert "ok" == integrity(live_server.data_dir / "workshop.db")
