"""Workshops in the domain: creation rules, defaults, lookup, phases."""

import pytest

from workshop.core import codes
from workshop.core.errors import Invalid, NotFound
from workshop.workshops import workshops


def test_create_uses_the_seed_plan_sections_by_default(store):
    workshop = workshops.create_workshop(store, title="  Safer routes  ")
    assert "Safer routes" == workshop["title"]
    assert [t for t, _ in workshops.DEFAULT_SECTIONS] == [s["title"] for s in workshop["sections"]]
    assert list(range(7)) == [s["position"] for s in workshop["sections"]]
    assert "gather" == workshop["phase"]
    assert {"votes_per_attendee": 3, "note_max_length": 280} == {
        k: workshop["settings"][k] for k in ("votes_per_attendee", "note_max_length")
    }


def test_join_code_is_short_and_unambiguous(store):
    workshop = workshops.create_workshop(store, title="T")
    assert codes.looks_like_code(workshop["code"], codes.JOIN_CODE_LENGTH)
    assert not set("0O1IL5S2Z8B") & set(codes.ALPHABET)


def test_prompt_points_at_a_section_by_title(store):
    workshop = workshops.create_workshop(
        store,
        title="T",
        sections=[{"title": "Timeline", "body": "By March"}, {"title": "Roles"}],
        prompts=["Anything else?", {"text": "Too fast?", "section": "timeline"}],
    )
    timeline = workshop["sections"][0]
    assert [None, timeline["id"]] == [p["section_id"] for p in workshop["prompts"]]
    assert "By March" == timeline["body"]


def test_lookup_ignores_case_and_dashes(store):
    code = workshops.create_workshop(store, title="T")["code"]
    spaced = f"{code[:2].lower()}-{code[2:].lower()}"
    assert code == workshops.get_workshop(store.db, spaced)["code"]


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"title": ""}, "title is empty"),
        ({"title": "   \x00\x07 "}, "title is empty"),
        ({"title": 42}, "title must be text"),
        ({"title": "x" * 121}, "title is too long (121 characters; the limit is 120)"),
        ({"title": "T", "sections": "Timeline"}, "sections must be a list"),
        ({"title": "T", "sections": [{"body": "no title"}]}, "section 1 title must be text"),
        (
            {"title": "T", "sections": [{"title": "A"}, {"title": "a"}]},
            "two sections are called 'a'",
        ),
        ({"title": "T", "prompts": [{"text": "Q", "section": "Nope"}]}, "prompt 1 names a section"),
        ({"title": "T", "prompts": [7]}, "prompt 1 must be text or an object with text"),
        ({"title": "T", "settings": {"votes": 3}}, "unknown setting 'votes'"),
        ({"title": "T", "settings": {"note_max_length": "300"}}, "must be a whole number"),
        ({"title": "T", "settings": {"note_max_length": 5}}, "must be at least 20"),
        ({"title": "T", "settings": []}, "settings must be an object"),
    ],
)
def test_bad_workshop_is_refused_and_nothing_is_stored(store, fields, message):
    with pytest.raises(Invalid) as error:
        workshops.create_workshop(store, **fields)
    assert message in error.value.message
    assert [] == workshops.list_workshops(store.db)


def test_unknown_code_is_not_found(store):
    with pytest.raises(NotFound):
        workshops.get_workshop(store.db, "ZZZZ")
    with pytest.raises(NotFound):
        workshops.get_workshop(store.db, None)


def test_set_phase_records_an_event(store):
    code = workshops.create_workshop(store, title="T")["code"]
    seen = []
    store.subscribe(seen.append)
    assert "vote" == workshops.set_phase(store, code, "vote")["phase"]
    projection = {"code": code, "view": "board", "prompt_id": None, "frozen": False}
    assert [
        ("phase.changed", 1, {"code": code, "phase": "vote"}),
        ("projection.changed", 2, projection),
    ] == [(e.name, e.seq, e.data) for e in seen]
    with pytest.raises(Invalid, match="phase must be one of: gather, sort, vote"):
        workshops.set_phase(store, code, "party")
    assert "vote" == workshops.get_workshop(store.db, code)["phase"]
