"""A phone's "+1" on a note already on the board (workshop/notes/plusones.py), in the domain."""

import csv
import io

import pytest

from workshop.board import sorting
from workshop.core.errors import Conflict, NotFound
from workshop.core.settings import PHASE_NAMES
from workshop.followup import reportdata
from workshop.notes import edits, notes, plusones
from workshop.records import exports
from workshop.room import room
from workshop.workshops import allowed, workshops


@pytest.fixture
def code(store):
    return workshops.create_workshop(store, title="Safer routes")["code"]


def post(store, code, text, client_id, attendee="author"):
    return notes.create_note(store, code, text=text, client_id=client_id, attendee_id=attendee)[0]


@pytest.fixture
def note(store, code):
    return post(store, code, "Maps in Spanish and Vietnamese, please.", "n1")["id"]


def count(store, note_id):
    return notes.get_note_json(store.db, note_id)["plus_ones"]


def test_a_plus_one_counts_once_per_phone(store, note):
    assert {"note_id": note, "plus_ones": 1, "mine": True} == plusones.add_plus_one(
        store, note, "ana"
    )
    assert {"note_id": note, "plus_ones": 1, "mine": True} == plusones.add_plus_one(
        store, note, "ana"
    )
    assert 2 == plusones.add_plus_one(store, note, "ben")["plus_ones"]
    assert 2 == count(store, note)


def test_taking_it_back_is_idempotent(store, note):
    plusones.add_plus_one(store, note, "ana")
    assert {"note_id": note, "plus_ones": 0, "mine": False} == plusones.remove_plus_one(
        store, note, "ana"
    )
    assert {"note_id": note, "plus_ones": 0, "mine": False} == plusones.remove_plus_one(
        store, note, "ana"
    )


def test_a_new_plus_one_is_announced_and_a_repeat_is_not(store, note):
    heard = []
    store.subscribe(heard.append)
    plusones.add_plus_one(store, note, "ana")
    plusones.add_plus_one(store, note, "ana")
    plusones.remove_plus_one(store, note, "ben")  # ben had none: nothing changed
    assert [("note.updated", 1)] == [(e.name, e.data["plus_ones"]) for e in heard]


def test_the_allowance_is_taken_only_for_a_new_plus_one(store, note):
    taken = []
    plusones.add_plus_one(store, note, "ana", allowance=lambda: taken.append(1))
    plusones.add_plus_one(store, note, "ana", allowance=lambda: taken.append(1))
    assert [1] == taken


def test_the_allowance_refusing_changes_nothing(store, note):
    def spent():
        raise Conflict("slow down")

    with pytest.raises(Conflict, match="slow down"):
        plusones.add_plus_one(store, note, "ana", allowance=spent)
    assert 0 == count(store, note)


def test_no_plus_one_on_a_hidden_or_withdrawn_note(store, code, note):
    edits.update_note(store, note, {"hidden": True})
    with pytest.raises(Conflict, match="not on the board"):
        plusones.add_plus_one(store, note, "ana")
    withdrawn = post(store, code, "Benches", "n2")["id"]
    edits.withdraw_own_note(store, withdrawn, "author")
    with pytest.raises(Conflict, match="not on the board"):
        plusones.add_plus_one(store, withdrawn, "ana")
    assert 0 == count(store, note)


def test_no_plus_one_on_ones_own_note(store, note):
    with pytest.raises(Conflict, match="your own note"):
        plusones.add_plus_one(store, note, "author")


def test_an_unknown_note_is_not_found(store, note):
    with pytest.raises(NotFound):
        plusones.add_plus_one(store, 999, "ana")
    with pytest.raises(NotFound):
        plusones.add_plus_one(store, "1", "ana")


def test_in_the_vote_a_dot_says_it_instead(store, code, note):
    workshops.set_phase(store, code, "vote")
    with pytest.raises(Conflict, match="put a dot on the note instead"):
        plusones.add_plus_one(store, note, "ana")


def test_blind_writing_takes_no_plus_one(store, code, note):
    settings = workshops.workshop_row(store.db, code)["settings"]
    room.set_settings(store, code, {**settings, "blind_writing": True})
    with pytest.raises(Conflict, match="can read the notes"):
        plusones.add_plus_one(store, note, "ana")


@pytest.mark.parametrize("phase", PHASE_NAMES)
def test_allowed_says_exactly_where_the_domain_takes_a_plus_one(store, code, note, phase):
    workshops.set_phase(store, code, phase)
    said = allowed.allowed(workshops.get_workshop(store.db, code))[phase]["plus_one"]
    try:
        plusones.add_plus_one(store, note, f"phone-{phase}")
        took = True
    except Conflict:
        took = False
    assert said == took


def test_a_merged_note_passes_its_plus_ones_on_and_counts_each_phone_once(store, code, note):
    other = post(store, code, "Maps in Spanish and Vietnamese please!", "n2", "someone")["id"]
    plusones.add_plus_one(store, note, "ana")
    plusones.add_plus_one(store, other, "ana")
    plusones.add_plus_one(store, other, "ben")
    sorting.merge_notes(store, note, [other])
    assert 2 == count(store, note)  # ana once, ben
    assert 2 == plusones.add_plus_one(store, other, "ben")["plus_ones"]  # lands on the target
    assert 1 == plusones.remove_plus_one(store, note, "ben")["plus_ones"]  # ben's, given before


def test_hidden_tallies_hide_the_count_but_not_ones_own_plus_one(store, code, note):
    settings = workshops.workshop_row(store.db, code)["settings"]
    room.set_settings(store, code, {**settings, "hide_tallies": True})
    assert {"note_id": note, "plus_ones": None, "mine": True} == plusones.add_plus_one(
        store, note, "ana"
    )
    public = notes.list_notes(store.db, code)
    assert [None] == [n["plus_ones"] for n in public]
    assert [1] == [n["plus_ones"] for n in notes.list_notes(store.db, code, include_hidden=True)]


def test_a_plus_one_fixes_the_authors_words(store, code, note):
    plusones.add_plus_one(store, note, "ana")
    with pytest.raises(Conflict, match="gave this note a \\+1"):
        edits.edit_own_note(store, note, "author", "Something else entirely")
    assert "Maps in Spanish and Vietnamese, please." == notes.get_note_json(store.db, note)["text"]


def test_the_exports_and_the_report_list_the_plus_ones(store, code, note):
    plusones.add_plus_one(store, note, "ana")
    plusones.add_plus_one(store, note, "ben")
    report = reportdata.report_data(store.db, code, None)
    assert [2] == [n["plus_ones"] for n in report["notes"] if n["id"] == note]
    rows = csv.DictReader(io.StringIO("".join(exports.export_csv(store.db, code)).lstrip("\ufeff")))
    assert ["2"] == [row["plus_ones"] for row in rows]
    tables = exports.export_json(store.db, code, None)["tables"]
    assert [("ana", note), ("ben", note)] == [
        (p["attendee_id"], p["note_id"]) for p in tables["note_plus_ones"]
    ]
