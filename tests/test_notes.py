"""Notes in the domain: posting exactly once, limits, editing, moving, hiding."""

import pytest

from workshop.core.errors import Conflict, Invalid, NotAllowed, NotFound
from workshop.notes import edits as noteedits
from workshop.notes import notes
from workshop.workshops import workshops


@pytest.fixture
def code(store):
    return workshops.create_workshop(
        store,
        title="T",
        sections=[{"title": "Timeline"}, {"title": "Roles"}],
        prompts=[{"text": "Missing?"}, {"text": "Too fast?", "section": "Timeline"}],
    )["code"]


def post(store, code, text="Winter sidewalks", client_id="c1", **fields):
    return notes.create_note(store, code, text=text, client_id=client_id, **fields)


def test_a_note_is_stored_with_its_fields(store, code):
    note, created = post(store, code, attendee_id="a1", color="blue", author_label="Ana")
    assert created
    assert {
        "workshop": code,
        "text": "Winter sidewalks",
        "color": "blue",
        "source": "phone",
        "prompt_id": None,
        "section_id": None,
        "group_id": None,
        "hidden": False,
        "votes": 0,
        "card_code": None,
        "author_label": "Ana",
    } == {
        k: note[k]
        for k in (
            "workshop",
            "text",
            "color",
            "source",
            "prompt_id",
            "section_id",
            "group_id",
            "hidden",
            "votes",
            "card_code",
            "author_label",
        )
    }
    assert [note] == notes.list_notes(store.db, code)


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"prompt_id": "second", "color": "pink", "attendee_id": "a1", "author_label": "Ana"},
        {"source": "facilitator"},
    ],
)
def test_a_new_note_is_answered_as_it_reads_back(store, code, fields):
    """The post answers (and broadcasts) the new note without reading it back; what it says
    is what reading it gives, field for field."""
    if fields.get("prompt_id") == "second":
        fields = {**fields, "prompt_id": workshops.get_workshop(store.db, code)["prompts"][1]["id"]}
    note, created = post(store, code, **fields)
    assert created
    assert notes.get_note_json(store.db, note["id"]) == note


def test_the_same_client_id_never_makes_a_second_note(store, code):
    first, created_first = post(store, code, text="one")
    again, created_again = post(store, code, text="one, resent")
    assert (True, False) == (created_first, created_again)
    assert first == again
    assert 1 == len(notes.list_notes(store.db, code))


def test_a_prompt_with_a_section_places_the_note_there(store, code):
    workshop = workshops.get_workshop(store.db, code)
    timeline = workshop["sections"][0]["id"]
    note, _ = post(store, code, prompt_id=workshop["prompts"][1]["id"])
    assert timeline == note["section_id"]


def test_text_is_cleaned_and_positions_increase(store, code):
    first, _ = post(store, code, text="  line one\r\nline two\x07\u202e  ", client_id="a")
    second, _ = post(store, code, text="next", client_id="b")
    assert "line one\nline two" == first["text"]
    assert first["position"] < second["position"]


@pytest.mark.parametrize(
    "fields, error, message",
    [
        ({"text": ""}, Invalid, "note is empty"),
        ({"text": " \n\t\x00 "}, Invalid, "note is empty"),
        ({"text": "x" * 281}, Invalid, "note is too long (281 characters; the limit is 280)"),
        ({"text": ["list"]}, Invalid, "note must be text"),
        ({"client_id": ""}, Invalid, "client_id must be text"),
        ({"client_id": 12}, Invalid, "client_id must be text"),
        ({"client_id": "x" * 65}, Invalid, "client_id is too long (the limit is 64 characters)"),
        ({"color": "black"}, Invalid, "color must be one of: yellow, pink"),
        ({"prompt_id": "1"}, Invalid, "prompt_id must be a whole number or null"),
        ({"prompt_id": True}, Invalid, "prompt_id must be a whole number or null"),
        ({"prompt_id": 999}, NotFound, "no prompt 999 in this workshop"),
        ({"section_id": 999}, NotFound, "no section 999 in this workshop"),
    ],
)
def test_bad_notes_are_refused_and_change_nothing(store, code, fields, error, message):
    seen = []
    store.subscribe(seen.append)
    with pytest.raises(error) as raised:
        post(store, code, **fields)
    assert message in raised.value.message
    assert [] == notes.list_notes(store.db, code)
    assert [] == seen
    assert 0 == workshops.get_workshop(store.db, code)["seq"]


def test_the_limit_follows_the_workshop_setting(store):
    code = workshops.create_workshop(store, title="T", settings={"note_max_length": 20})["code"]
    with pytest.raises(Invalid, match="limit is 20"):
        post(store, code, text="x" * 21)
    assert "x" * 20 == post(store, code, text="x" * 20)[0]["text"]


def test_a_prompt_of_another_workshop_is_not_found(store, code):
    other = workshops.create_workshop(store, title="Other", prompts=["Q"])
    with pytest.raises(NotFound):
        post(store, code, prompt_id=other["prompts"][0]["id"])


def test_events_carry_an_increasing_seq(store, code):
    seen = []
    store.subscribe(seen.append)
    note, _ = post(store, code, client_id="a")
    post(store, code, client_id="a")  # a resend records nothing
    noteedits.update_note(store, note["id"], {"hidden": True})
    assert [("note.created", 1), ("note.updated", 2)] == [(e.name, e.seq) for e in seen]
    hidden = seen[1]
    assert {"id": note["id"], "hidden": True, "seq": 2} == hidden.payload(facilitator=False)
    assert "Winter sidewalks" == hidden.payload(facilitator=True)["text"]


def test_the_facilitator_moves_and_hides_notes(store, code):
    roles = workshops.get_workshop(store.db, code)["sections"][1]["id"]
    note, _ = post(store, code)
    moved = noteedits.update_note(store, note["id"], {"section_id": roles})
    assert (roles, True) == (moved["section_id"], moved["sorted"])
    hidden = noteedits.update_note(store, note["id"], {"hidden": True})
    assert [] == notes.list_notes(store.db, code)
    assert [hidden] == notes.list_notes(store.db, code, include_hidden=True)


@pytest.mark.parametrize(
    "changes, error, message",
    [
        ({}, Invalid, "send an object with any of"),
        ([], Invalid, "send an object with any of"),
        ({"votes": 9}, Invalid, "cannot change votes"),
        ({"section_id": 999}, NotFound, "no section 999"),
        ({"section_id": "2"}, Invalid, "section_id must be a whole number or null"),
        ({"group_id": 5}, NotFound, "no group 5"),
        ({"hidden": "yes"}, Invalid, "hidden must be true or false"),
        ({"position": "first"}, Invalid, "position must be a number"),
        ({"text": ""}, Invalid, "note is empty"),
    ],
)
def test_bad_moves_leave_the_note_as_it_was(store, code, changes, error, message):
    note, _ = post(store, code)
    with pytest.raises(error, match=message):
        noteedits.update_note(store, note["id"], changes)
    assert note == notes.get_note_json(store.db, note["id"])


def test_moving_an_unknown_note_is_not_found(store, code):
    with pytest.raises(NotFound, match="no note with id 404"):
        noteedits.update_note(store, 404, {"hidden": True})


def test_authors_edit_and_withdraw_their_notes_until_sorted(store, code):
    note, _ = post(store, code, attendee_id="ana")
    assert "Fixed" == noteedits.edit_own_note(store, note["id"], "ana", "Fixed")["text"]
    with pytest.raises(NotAllowed):
        noteedits.edit_own_note(store, note["id"], "ben", "Mine now")
    with pytest.raises(NotAllowed):
        noteedits.withdraw_own_note(store, note["id"], None)
    noteedits.update_note(store, note["id"], {"position": 3})
    with pytest.raises(Conflict, match="already sorted"):
        noteedits.edit_own_note(store, note["id"], "ana", "Too late")
    with pytest.raises(Conflict):
        noteedits.withdraw_own_note(store, note["id"], "ana")
    assert "Fixed" == notes.list_notes(store.db, code)[0]["text"]


def test_an_author_withdraws_a_note(store, code):
    note, _ = post(store, code, attendee_id="ana")
    withdrawn = noteedits.withdraw_own_note(store, note["id"], "ana")
    assert (True, note["text"]) == (withdrawn["withdrawn"], withdrawn["text"])
    assert [] == notes.list_notes(store.db, code)
    kept = notes.list_notes(store.db, code, include_hidden=True)
    assert [(note["id"], True)] == [(n["id"], n["withdrawn"]) for n in kept]
