"""The board's state is encoded once per workshop seq and viewer kind, and is always what
the domain says now: after every kind of change, for the public and the facilitator, plain
and gzip-compressed."""

from __future__ import annotations

import gzip
import json

import pytest

from workshop.board import sorting
from workshop.notes import notes
from workshop.workshops import workshops

GZIP = {"Accept-Encoding": "gzip, deflate"}


def expected(app, code: str, *, facilitator: bool) -> dict:
    """The state as the domain gives it now, computed afresh."""
    db = app.extensions["workshop"].store.db
    row = workshops.workshop_row(db, code)
    return {
        "seq": row["seq"],
        "participants": workshops.participants(db, row["id"]),
        "notes": notes.list_notes(db, code, include_hidden=facilitator),
        "groups": sorting.list_groups(db, row["id"], public=None if facilitator else row),
    }


def state(client, code: str, *, compressed: bool = False) -> dict:
    response = client.get(f"/api/workshops/{code}/state", headers=GZIP if compressed else {})
    assert 200 == response.status_code
    if compressed:
        assert "gzip" == response.headers["Content-Encoding"]
        data = json.loads(gzip.decompress(response.data))
    else:
        assert "Content-Encoding" not in response.headers
        data = response.json
    alone = client.get(f"/api/workshops/{code}").json  # the workshop as its own route gives it
    assert {**alone, "timer": None} == {**data["workshop"], "timer": None}
    return {key: data[key] for key in ("seq", "participants", "notes", "groups")}


def check(app, client, facilitator, code: str) -> None:
    for compressed in (False, True):
        assert expected(app, code, facilitator=False) == state(client, code, compressed=compressed)
        assert expected(app, code, facilitator=True) == state(
            facilitator, code, compressed=compressed
        )


def test_the_state_follows_every_kind_of_change(app, client, facilitator, attendee, workshop):
    code = workshop["code"]
    api = f"/api/workshops/{code}"
    check(app, client, facilitator, code)
    first = attendee.post(f"{api}/notes", json={"text": "Benches", "client_id": "a"}).json
    second = attendee.post(f"{api}/notes", json={"text": "Lights", "client_id": "b"}).json
    check(app, client, facilitator, code)
    changes = [
        ("patch", f"/api/notes/{first['id']}", {"hidden": True}),
        ("patch", f"{api}/settings", {"hide_tallies": True}),
        ("put", f"{api}/phase", {"phase": "vote"}),
        ("patch", f"/api/notes/{first['id']}", {"hidden": False}),
        ("put", f"{api}/phase", {"phase": "sort"}),
        ("post", f"{api}/groups", {"note_ids": [first["id"], second["id"]], "label": "Street"}),
        ("patch", f"/api/notes/{second['id']}", {"text": "Street lights"}),
        ("put", f"{api}/feedback-window", {"days": 3}),
        ("post", f"{api}/sections", {"title": "Who keeps it going"}),
    ]
    seen = {state(client, code)["seq"]}
    for method, path, body in changes:
        response = getattr(facilitator, method)(path, json=body)
        assert response.status_code in (200, 201), (path, response.json)
        check(app, client, facilitator, code)
        seen.add(state(client, code)["seq"])
    assert len(changes) + 1 == len(seen)


def test_the_public_never_gets_the_facilitators_view(app, client, facilitator, attendee, workshop):
    code = workshop["code"]
    note = attendee.post(
        f"/api/workshops/{code}/notes", json={"text": "Call Mr Quigley", "client_id": "q"}
    ).json
    assert 200 == facilitator.patch(f"/api/notes/{note['id']}", json={"hidden": True}).status_code
    for compressed in (False, True):
        assert "Call Mr Quigley" in json.dumps(state(facilitator, code, compressed=compressed))
        public = state(client, code, compressed=compressed)
        assert [] == public["notes"]
        assert "Quigley" not in json.dumps(public)


def test_a_seq_is_encoded_once_per_kind(app, client, facilitator, attendee, workshop):
    code = workshop["code"]
    cache = app.extensions["workshop_state"]
    for _ in range(3):
        state(client, code, compressed=True)
        state(client, code)
        state(facilitator, code)
    assert 2 == cache.made
    attendee.post(f"/api/workshops/{code}/notes", json={"text": "More", "client_id": "m"})
    state(client, code)
    assert 3 == cache.made


def test_a_workshop_made_again_under_the_same_code_is_not_served_the_old_state(
    app, client, facilitator
):
    store = app.extensions["workshop"].store
    old = workshops.create_workshop(store, title="Old")
    client.post(f"/api/workshops/{old['code']}/join", json={})
    client.post(f"/api/workshops/{old['code']}/notes", json={"text": "Old", "client_id": "o"})
    assert ["Old"] == [n["text"] for n in state(client, old["code"])["notes"]]
    deleted = facilitator.delete(f"/api/workshops/{old['code']}", json={"confirm": old["code"]})
    assert 200 == deleted.status_code
    new = workshops.create_workshop(store, title="New")
    with store.transaction() as db:  # the join code drawn again (SQLite reuses the row id)
        db.execute("UPDATE workshops SET code = ? WHERE code = ?", [old["code"], new["code"]])
    assert ("New", []) == (
        workshops.workshop_row(store.db, old["code"])["title"],
        state(client, old["code"])["notes"],
    )


@pytest.mark.parametrize("size", [1, 3])
def test_only_the_latest_workshops_are_kept(size):
    from workshop.web.statecache import StateCache

    cache = StateCache(size)
    for number in range(5):
        cache.get((number, "public"), (1, "t"), lambda: {"notes": []})
    assert size == len(cache._kept)


def test_the_timer_is_told_afresh_at_the_same_seq(app, client, facilitator, workshop):
    code = workshop["code"]
    started = facilitator.post(
        f"/api/workshops/{code}/timer", json={"action": "start", "seconds": 300}
    )
    assert 200 == started.status_code, started.json
    made = app.extensions["workshop_state"].made
    first, second = (
        client.get(f"/api/workshops/{code}/state").json["workshop"]["timer"] for _ in range(2)
    )
    assert first["running"] and second["server_time"] > first["server_time"]
    assert second["left"] <= first["left"]
    assert made + 1 == app.extensions["workshop_state"].made
