"""One person, one ballot, as far as an anonymous room allows: a device cannot vote as a
crowd, a venue sharing one address still can (when the facilitator says so), and the
facilitator sees where the ballots came from."""

import sqlite3

import pytest
from sqlite_utils import Database

from tests.liveserver import TOKEN
from workshop.core import migrations
from workshop.core.ratelimit import RateLimiter
from workshop.core.settings import WORKSHOP_SETTINGS
from workshop.paper import cards
from workshop.voting import ballots
from workshop.web.app import create_app
from workshop.workshops import workshops

BURST = {s.name: s.default for s in WORKSHOP_SETTINGS}["ballots_per_address_burst"]


@pytest.fixture
def room():
    """A workshop in its vote phase with one note; the rate limiter's clock stands still,
    so what a burst allows does not depend on how fast the test runs."""
    app = create_app({"TESTING": True, "FACILITATOR_TOKEN": TOKEN})
    app.extensions["workshop"].limiter = RateLimiter(clock=lambda: 1000.0)
    store = app.extensions["workshop"].store
    facilitator = app.test_client()
    facilitator.get(f"/facilitator?token={TOKEN}")
    code = workshops.create_workshop(store, title="Ballots")["code"]
    note = facilitator.post(
        f"/api/workshops/{code}/notes", json={"text": "More benches", "client_id": "n"}
    ).json["id"]
    workshops.set_phase(store, code, "vote")
    yield app, facilitator, code, note
    store.close()


def phone(app, address):
    device = app.test_client()
    device.environ_base["REMOTE_ADDR"] = address
    return device


def join_and_vote(app, code, note, address):
    device = phone(app, address)
    assert 200 == device.post(f"/api/workshops/{code}/join", json={}).status_code
    return device.post(f"/api/notes/{note}/votes", json={})


def test_forty_joins_from_one_address_yield_only_the_allowed_ballots(room):
    """One laptop posing as forty phones: each join is a fresh cookie, but only the first
    few may open a ballot; the rest are refused, clearly, and change nothing."""
    app, facilitator, code, note = room
    answers = [join_and_vote(app, code, note, "127.0.9.9") for _ in range(40)]
    assert [200] * BURST + [429] * (40 - BURST) == [a.status_code for a in answers]
    refused = answers[-1].json
    assert "new ballots" in refused["error"] and "one address" in refused["error"]
    state = facilitator.get(f"/api/workshops/{code}/state").json
    assert BURST == state["notes"][0]["votes"]
    report = facilitator.get(f"/api/workshops/{code}/ballots").json
    assert report["warning"] is True
    assert (40, BURST) == (report["addresses"][0]["joined"], report["addresses"][0]["ballots"])
    assert {"phones": BURST, "cards": 0, "total": BURST} == report["ballots"]


def test_a_phone_that_takes_its_dot_back_votes_again_without_a_new_ballot(room):
    app, _, code, note = room
    device = phone(app, "127.0.9.8")
    device.post(f"/api/workshops/{code}/join", json={})
    for _ in range(BURST + 2):
        assert 200 == device.post(f"/api/notes/{note}/votes", json={}).status_code
        assert 200 == device.delete(f"/api/notes/{note}/votes", json={}).status_code


def test_a_venue_behind_one_address_votes_once_the_facilitator_allows_it(room):
    app, facilitator, code, note = room
    assert (
        200
        == facilitator.patch(
            f"/api/workshops/{code}/settings", json={"ballots_per_address_burst": 200}
        ).status_code
    )
    answers = [join_and_vote(app, code, note, "127.0.9.7") for _ in range(40)]
    assert {200} == {a.status_code for a in answers}
    report = facilitator.get(f"/api/workshops/{code}/ballots").json
    assert (True, 40) == (report["warning"], report["most_from_one_address"])


def test_phones_on_their_own_addresses_raise_no_warning(room):
    app, facilitator, code, note = room
    for number in range(12):
        assert 200 == join_and_vote(app, code, note, f"127.0.4.{number + 1}").status_code
    report = facilitator.get(f"/api/workshops/{code}/ballots").json
    assert (False, 0, 12) == (report["warning"], report["shared"], len(report["addresses"]))
    assert {1} == {a["ballots"] for a in report["addresses"]}


def test_paper_ballots_are_counted_apart(room):
    app, facilitator, code, note = room
    join_and_vote(app, code, note, "127.0.4.1")
    store = app.extensions["workshop"].store
    issued = cards.issue_cards(store, code, 1)[0]["code"]
    assert (
        200 == facilitator.post(f"/api/notes/{note}/votes", json={"card_code": issued}).status_code
    )
    facilitator.put(f"/api/notes/{note}/dots", json={"count": 6})
    report = facilitator.get(f"/api/workshops/{code}/ballots").json
    assert {"total": 8, "phones": 1, "cards": 1, "paper_dots": 6, "paper": 7} == report["dots"]
    assert {"phones": 1, "cards": 1, "total": 2} == report["ballots"]


def test_the_address_is_kept_only_as_the_workshops_keyed_hash(room):
    app, _, code, note = room
    join_and_vote(app, code, note, "127.0.4.2")
    db = app.extensions["workshop"].store.db
    (stored,) = db.execute("SELECT address FROM attendees").fetchone()
    assert "127.0.4.2" not in stored and len(stored) == 16
    workshop_id = workshops.workshop_row(db, code)["id"]
    assert stored == ballots.address_hash(db, workshop_id, "127.0.4.2")


def test_only_the_facilitator_sees_the_ballots(room):
    app, _, code, note = room
    device = phone(app, "127.0.4.3")
    device.post(f"/api/workshops/{code}/join", json={})
    answer = device.get(f"/api/workshops/{code}/ballots")
    assert 403 == answer.status_code and "facilitator" in answer.json["error"]


def test_the_ballots_migration_keeps_old_dots_and_is_safe_to_apply_twice():
    """A database from before: its voters hold ballots already (a new dot costs them no
    allowance), and its group dots, indistinguishable from note dots, stay on their notes."""
    db = Database(sqlite3.connect(":memory:", isolation_level=None))
    before = migrations.MIGRATIONS.index(migrations._ballots)  # later migrations follow it
    for step in migrations.MIGRATIONS[:before]:
        step(db)
    db.execute(f"PRAGMA user_version = {before}")
    db["workshops"].insert({"id": 1, "code": "ABCD", "title": "Old", "created_at": "2026-01-01"})
    for who in ("voted", "joined"):
        db["attendees"].insert({"workshop_id": 1, "id": who, "created_at": "2026-01-01T10:00"})
    db.execute(
        """INSERT INTO notes (id, workshop_id, client_id, text, color, source, created_at,
           updated_at) VALUES (1, 1, 'c', 'old', 'yellow', 'phone', 'x', 'x')"""
    )
    db["votes"].insert({"workshop_id": 1, "note_id": 1, "attendee_id": "voted", "created_at": "x"})
    migrations.migrate(db)
    migrations._ballots(db)  # again: nothing changes, nothing fails
    rows = db.execute("SELECT id, ballot_at FROM attendees ORDER BY id").fetchall()
    assert [("joined", None), ("voted", "2026-01-01T10:00")] == rows
    assert [(1, None)] == db.execute("SELECT note_id, group_id FROM votes").fetchall()


def test_behind_a_proxy_each_phone_is_its_forwarded_address():
    app = create_app({"TESTING": True, "FACILITATOR_TOKEN": TOKEN, "PROXY_HOPS": 1})
    app.extensions["workshop"].limiter = RateLimiter(clock=lambda: 1000.0)
    store = app.extensions["workshop"].store
    code = workshops.create_workshop(store, title="Behind nginx")["code"]
    facilitator = app.test_client()
    facilitator.get(f"/facilitator?token={TOKEN}")
    note = facilitator.post(
        f"/api/workshops/{code}/notes", json={"text": "Shade", "client_id": "s"}
    ).json["id"]
    workshops.set_phase(store, code, "vote")
    for number in range(BURST + 3):
        device = phone(app, "127.0.0.1")  # nginx
        device.environ_base["HTTP_X_FORWARDED_FOR"] = f"10.0.0.{number + 1}"
        device.post(f"/api/workshops/{code}/join", json={})
        assert 200 == device.post(f"/api/notes/{note}/votes", json={}).status_code
    report = facilitator.get(f"/api/workshops/{code}/ballots").json
    assert (False, BURST + 3) == (report["warning"], len(report["addresses"]))
    store.close()
