"""Deleting for good: a note (every trace, here and in the backups), a whole workshop, and
workshops past a retention limit."""

import json

import pytest
from click.testing import CliRunner

from tests.liveserver import TOKEN
from workshop.activities import cardsort, plancheck
from workshop.board import moderation, sorting, undo
from workshop.cli.commands import cli
from workshop.core import db as database
from workshop.core.errors import Conflict, Invalid, NotFound
from workshop.followup import nextsteps
from workshop.notes import edits as noteedits
from workshop.notes import notes
from workshop.paper import cards
from workshop.records import backups, privacy
from workshop.records.exports import TABLES
from workshop.voting import votes
from workshop.web.app import create_app
from workshop.workshops import workshops

SECRET = "Call Mrs Quigley at 555-0199"


@pytest.fixture
def data(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def store(data):
    store = database.connect(data / "workshop.db")
    yield store
    store.close()


@pytest.fixture
def events(store):
    seen = []
    store.subscribe(seen.append)
    return seen


def post(store, code, text, client_id=None, **extra):
    note, _ = notes.create_note(
        store, code, text=text, client_id=client_id or text, source="facilitator", **extra
    )
    return note


def count(store, sql, *params):
    return store.db.execute(sql, params).fetchone()[0]


def on_disk(data, marker):
    """Which files under the data dir still hold ``marker`` (as UTF-8 bytes)."""
    return sorted(
        str(p.relative_to(data))
        for p in data.rglob("*")
        if p.is_file() and marker.encode() in p.read_bytes()
    )


@pytest.fixture
def busy_note(store, data):
    """A note with everything that can point at it: an earlier text, dots, a next step, a
    place in a card sort, a plan check comment's neighbour, a group, a photo."""
    workshop = workshops.create_workshop(store, title="Routes", prompts=[{"text": "Missing?"}])
    code = workshop["code"]
    (data / "photos").mkdir(parents=True)
    (data / "photos" / "card-1.jpg").write_bytes(b"jpeg of the handwritten card")
    card = cards.issue_cards(store, code, 1)[0]["code"]
    note, _ = cards.enter_card_note(
        store, card, text="first draft", client_id="card", source="paper", photo="card-1.jpg"
    )
    noteedits.update_note(store, note["id"], {"text": SECRET})
    other = post(store, code, "Wider pavements")
    sorting.create_group(store, [note["id"], other["id"]], "Names")
    nextsteps.create_next_step(
        store, code, {"text": "Call back", "note_ids": [note["id"], other["id"]]}
    )
    sort = cardsort.start_sort(store, code, [note["id"], other["id"]])
    cardsort.place(store, sort["id"], "voter", note["id"], workshop["sections"][0]["id"])
    workshops.set_phase(store, code, "vote")
    votes.add_vote(store, note["id"], "voter")
    plancheck.open_check(store, code)
    plancheck.rate(store, code, "voter", workshop["sections"][0]["id"], "workable", "Fine")
    return {"code": code, "note": note, "other": other, "sort": sort, "workshop": workshop}


def test_a_note_deleted_for_good_leaves_no_trace(store, data, busy_note, events):
    note_id = busy_note["note"]["id"]
    answer = privacy.delete_note_forever(store, note_id, photos_dir=data / "photos")
    assert {"id": note_id, "deleted": True, "backups_scrubbed": 0} == answer
    with pytest.raises(NotFound):
        notes.get_note(store.db, note_id)
    for table in ("votes", "note_revisions", "next_step_links", "card_sort_placements"):
        assert 0 == count(store, f"SELECT count(*) FROM {table} WHERE note_id = ?", note_id), table
    assert [busy_note["other"]["id"]] == cardsort.get_sort(store.db, busy_note["sort"]["id"])[
        "note_ids"
    ]
    assert not (data / "photos" / "card-1.jpg").exists()
    assert [] == on_disk(data, "Quigley")
    assert [] == on_disk(data, "first draft")  # the earlier text, too
    assert [("ok",)] == store.db.execute("PRAGMA integrity_check").fetchall()
    assert ("note.deleted", {"id": note_id, "deleted": True}) == (events[0].name, events[0].data)


def test_the_moderation_log_keeps_the_deletion_but_not_the_words(store, data, busy_note):
    note_id = busy_note["note"]["id"]
    privacy.delete_note_forever(store, note_id)
    log = moderation.moderation_log(store.db, busy_note["code"])
    assert {"action": "delete", "summary": f"Deleted note #{note_id} for good"} == {
        k: log[-1][k] for k in ("action", "summary")
    }
    assert f"Edited note #{note_id} (text deleted)" in [entry["summary"] for entry in log]
    snapshots = [row[0] for row in store.db.execute("SELECT snapshot FROM moderation_log")]
    assert not any("Quigley" in s or "first draft" in s for s in snapshots)


def test_no_undo_brings_a_deleted_note_back(store, busy_note):
    note_id = busy_note["note"]["id"]
    privacy.delete_note_forever(store, note_id)
    for _ in range(10):  # undo everything the log still allows
        try:
            undo.undo_last(store, busy_note["code"])
        except Conflict:  # nothing left to undo
            break
    assert 0 == count(store, "SELECT count(*) FROM notes WHERE id = ?", note_id)


def test_notes_merged_into_a_deleted_note_come_back_where_it_stood(store, events):
    code = workshops.create_workshop(store, title="Routes")["code"]
    target, duplicate = post(store, code, SECRET), post(store, code, "Same, but kind")
    sorting.merge_notes(store, target["id"], [duplicate["id"]])
    privacy.delete_note_forever(store, target["id"])
    back = notes.get_note_json(store.db, duplicate["id"])
    assert (None, target["section_id"]) == (back["merged_into"], back["section_id"])
    assert [duplicate["id"]] == [n["id"] for n in notes.list_notes(store.db, code)]
    assert ["note.deleted", "note.updated"] == [e.name for e in events[-2:]]


def test_a_group_left_empty_goes_too(store, events):
    code = workshops.create_workshop(store, title="Routes")["code"]
    pair = [post(store, code, SECRET)["id"], post(store, code, "Quigley again")["id"]]
    group = sorting.create_group(store, pair, "Names")
    privacy.delete_note_forever(store, pair[0])
    assert 1 == count(store, "SELECT count(*) FROM groups WHERE id = ?", group["id"])
    privacy.delete_note_forever(store, pair[1])
    assert 0 == count(store, "SELECT count(*) FROM groups WHERE id = ?", group["id"])
    assert "group.deleted" == events[-1].name


def test_the_backups_are_scrubbed_by_identity_not_by_row_id(store, data):
    code = workshops.create_workshop(store, title="Routes")["code"]
    post(store, code, "Keep me")
    old = post(store, code, "Withdrawn before the backup", "a")
    older_backup = backups.backup(store, data / "backups")
    store.db.execute("DELETE FROM notes WHERE id = ?", [old["id"]])  # withdrawn...
    reused = post(store, code, SECRET, "b")  # ...and SQLite gives its id to the next note
    assert old["id"] == reused["id"]
    newer_backup = backups.backup(store, data / "backups")
    answer = privacy.delete_note_forever(store, reused["id"], backups_dir=data / "backups")
    assert 1 == answer["backups_scrubbed"]
    texts = lambda path: sorted(  # noqa: E731
        r[0] for r in database.connect(path).db.execute("SELECT text FROM notes")
    )
    assert ["Keep me", "Withdrawn before the backup"] == texts(older_backup)
    assert ["Keep me"] == texts(newer_backup)
    assert [] == on_disk(data, "Quigley")


# -- a whole workshop ----------------------------------------------------------------------
def rows_of(store, workshop_id):
    """How many rows each table holds for the workshop, by TABLES and by workshop_id."""
    counts = {
        table: count(
            store, f"SELECT count(*) FROM {table} WHERE {where.replace(':w', '?')}", workshop_id
        )
        for table, (where, _, _) in TABLES.items()
    }
    counts["scribe_links"] = count(
        store, "SELECT count(*) FROM scribe_links WHERE workshop_id = ?", workshop_id
    )
    return {table: n for table, n in counts.items() if n}


def test_a_workshop_deleted_for_good_takes_every_row_photo_and_backup_copy(store, data, busy_note):
    from workshop.followup import roomphotos
    from workshop.paper import scribes

    code = busy_note["code"]
    workshop_id = workshops.workshop_row(store.db, code)["id"]
    roomphotos.add_photo(store, code, "room-1.jpg", "Flip chart")
    (data / "photos" / "room-1.jpg").write_bytes(b"jpeg of a flip chart")
    scribes.create_scribe_token(store, code)
    other = workshops.create_workshop(store, title="Another evening")
    post(store, other["code"], "Not touched")
    backups.backup(store, data / "backups")
    before = rows_of(store, workshop_id)
    assert {"workshops", "notes", "votes", "scribe_links", "room_photos"} <= set(before)

    answer = privacy.delete_workshop(
        store, code.lower(), confirm=code, photos_dir=data / "photos", backups_dir=data / "backups"
    )
    assert {"code": code, "deleted": True, "photos": 2, "backups_scrubbed": 1} == {
        k: v for k, v in answer.items() if k != "rows"
    }
    assert sum(before.values()) == answer["rows"]
    assert {} == rows_of(store, workshop_id)
    assert [] == list((data / "photos").iterdir())
    assert [] == on_disk(data, "Quigley")
    assert [] == on_disk(data, "Wider pavements")
    assert ["Not touched"] == [n["text"] for n in notes.list_notes(store.db, other["code"])]
    backup = database.connect(backups.list_backups(data / "backups")[0].path)
    assert [other["code"]] == [w["code"] for w in workshops.list_workshops(backup.db)]
    backup.close()


def test_deleting_a_workshop_needs_its_code_repeated(store):
    code = workshops.create_workshop(store, title="Routes")["code"]
    with pytest.raises(Invalid, match=f'send {{"confirm": "{code}"}}'):
        privacy.delete_workshop(store, code, confirm=None)
    assert 1 == len(workshops.list_workshops(store.db))


def test_every_table_with_a_workshop_id_is_in_the_deletion_order(store):
    ordered = [table for table, _ in privacy.deletion_order(store.db)]
    with_workshop_id = [
        name
        for (name,) in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if "workshop_id" in {c.name for c in store.db[name].columns}
    ]
    assert set(with_workshop_id) <= set(ordered)
    assert "workshops" == ordered[-1]
    assert len(ordered) == len(set(ordered))


# -- retention -----------------------------------------------------------------------------
def age(store, code, days_ago):
    store.db.execute(
        "UPDATE workshops SET created_at = datetime('now', ?) || '+00:00' WHERE code = ?",
        [f"-{days_ago} days", code],
    )


def test_purge_deletes_workshops_older_than_the_limit(store, data):
    old = workshops.create_workshop(store, title="Last spring")["code"]
    kept_open = workshops.create_workshop(store, title="Still taking comments")["code"]
    recent = workshops.create_workshop(store, title="Last week")["code"]
    age(store, old, 200)
    age(store, kept_open, 200)
    store.db.execute(
        "UPDATE workshops SET feedback_until = '2999-01-01' WHERE code = ?", [kept_open]
    )
    age(store, recent, 7)
    assert [old] == [w["code"] for w in privacy.workshops_older_than(store.db, 90)]

    listing = CliRunner().invoke(
        cli, ["purge", "--older-than", "90", "--data", str(data)], input="n\n"
    )
    assert 1 == listing.exit_code
    assert f"  {old}  " in listing.output and "Last spring" in listing.output
    purged = CliRunner().invoke(cli, ["purge", "--older-than", "90", "--data", str(data), "--yes"])
    assert 0 == purged.exit_code, purged.output
    assert "Deleted 1 workshop(s); 0 backup(s) scrubbed." in purged.output
    assert sorted([kept_open, recent]) == sorted(
        w["code"] for w in workshops.list_workshops(store.db)
    )
    nothing = CliRunner().invoke(cli, ["purge", "--older-than", "90", "--data", str(data)])
    assert "No workshop is older than 90 days." in nothing.output


# -- over HTTP -----------------------------------------------------------------------------
@pytest.fixture
def app(data):
    app = create_app({"TESTING": True, "DATA_DIR": str(data), "FACILITATOR_TOKEN": TOKEN})
    yield app
    app.extensions["workshop"].store.close()


@pytest.fixture
def facilitator(app):
    client = app.test_client()
    client.get(f"/facilitator?token={TOKEN}")
    return client


def test_only_the_facilitator_deletes_for_good(app, facilitator):
    store = app.extensions["workshop"].store
    code = workshops.create_workshop(store, title="Routes")["code"]
    note = post(store, code, SECRET)
    attendee = app.test_client()
    attendee.post(f"/api/workshops/{code}/join", json={})
    for client in (app.test_client(), attendee):
        refused = client.delete(f"/api/notes/{note['id']}/forever")
        assert (403, "only the facilitator can delete a note for good") == (
            refused.status_code,
            refused.json["error"],
        )
        refused = client.delete(f"/api/workshops/{code}", json={"confirm": code})
        assert (403, "only the facilitator can delete a workshop") == (
            refused.status_code,
            refused.json["error"],
        )
    deleted = facilitator.delete(f"/api/notes/{note['id']}/forever")
    assert (200, {"id": note["id"], "deleted": True, "backups_scrubbed": 0}) == (
        deleted.status_code,
        deleted.json,
    )
    assert 404 == facilitator.delete(f"/api/notes/{note['id']}/forever").status_code


def test_a_workshop_is_deleted_over_http_only_with_its_code_repeated(app, facilitator):
    store = app.extensions["workshop"].store
    code = workshops.create_workshop(store, title="Routes")["code"]
    unconfirmed = facilitator.delete(f"/api/workshops/{code}")
    assert 400 == unconfirmed.status_code
    assert f'send {{"confirm": "{code}"}}' in unconfirmed.json["error"]
    deleted = facilitator.delete(f"/api/workshops/{code}", json={"confirm": code})
    assert 200 == deleted.status_code
    assert {"code": code, "deleted": True} == {k: deleted.json[k] for k in ("code", "deleted")}
    assert 404 == facilitator.get(f"/api/workshops/{code}").status_code
    assert json.loads(facilitator.get("/api/workshops").get_data()) == []
