"""Dot voting, reveals, writing phases and the timer in the domain."""

import pytest

from workshop.board import sorting
from workshop.core.errors import Conflict, Invalid, NotFound
from workshop.notes import edits as noteedits
from workshop.notes import notes
from workshop.paper import cards
from workshop.room import room
from workshop.voting import votes
from workshop.workshops import workshops


@pytest.fixture
def code(store):
    return workshops.create_workshop(store, title="T", settings={"votes_per_attendee": 3})["code"]


@pytest.fixture
def ids(store, code):
    made = [
        notes.create_note(store, code, text=f"n{i}", client_id=f"c{i}")[0]["id"] for i in range(4)
    ]
    workshops.set_phase(store, code, "vote")
    return made


def test_a_budget_of_three_dots(store, code, ids):
    results = [votes.add_vote(store, note_id, "ana") for note_id in ids[:3]]
    assert [2, 1, 0] == [r["votes_left"] for r in results]
    with pytest.raises(Conflict, match="You have used all 3 of your dots"):
        votes.add_vote(store, ids[3], "ana")
    back = votes.remove_vote(store, ids[0], "ana")
    assert (0, 1) == (back["votes"], back["votes_left"])
    assert 1 == votes.add_vote(store, ids[3], "ana")["votes"]
    assert {ids[1]: 1, ids[2]: 1, ids[3]: 1} == votes.my_votes(store.db, code, "ana")["mine"]


def test_one_dot_per_note_unless_allowed(store, code, ids):
    votes.add_vote(store, ids[0], "ana")
    with pytest.raises(Conflict, match="one dot per note"):
        votes.add_vote(store, ids[0], "ana")
    room.set_settings(
        store,
        code,
        {**workshops.workshop_row(store.db, code)["settings"], "several_dots_per_note": True},
    )
    assert 2 == votes.add_vote(store, ids[0], "ana")["votes"]


def test_voters_do_not_share_budgets(store, ids):
    for voter in ("ana", "ben", "card:K7PQXM"):
        votes.add_vote(store, ids[0], voter)
    assert 3 == notes.get_note_json(store.db, ids[0])["votes"]


def test_votes_only_while_the_room_votes(store, code, ids):
    workshops.set_phase(store, code, "sort")
    with pytest.raises(Conflict, match="Voting is not open right now."):
        votes.add_vote(store, ids[0], "ana")
    assert 0 == notes.get_note_json(store.db, ids[0])["votes"]


def test_hidden_notes_take_no_dots_and_merged_ones_pass_them_on(store, ids):
    noteedits.update_note(store, ids[0], {"hidden": True})
    with pytest.raises(NotFound):
        votes.add_vote(store, ids[0], "ana")
    sorting.merge_notes(store, ids[1], [ids[2]])
    assert ids[1] == votes.add_vote(store, ids[2], "ana")["note_id"]
    assert 1 == notes.get_note_json(store.db, ids[1])["votes"]


def test_physical_dots_add_to_the_tally(store, ids):
    votes.add_vote(store, ids[0], "ana")
    assert 8 == votes.set_paper_dots(store, ids[0], 7)["votes"]
    with pytest.raises(Invalid, match="count must be a whole number from 0"):
        votes.set_paper_dots(store, ids[0], -1)


def test_hidden_tallies_reach_the_room_as_null_until_revealed(store, code, ids):
    seen = []
    store.subscribe(seen.append)
    room.set_settings(
        store, code, {**workshops.workshop_row(store.db, code)["settings"], "hide_tallies": True}
    )
    votes.add_vote(store, ids[0], "ana")
    tally = [e for e in seen if e.name == "votes.changed"][-1]
    assert (1, None) == (
        tally.payload(facilitator=True)["votes"],
        tally.payload(facilitator=False)["votes"],
    )
    assert None is notes.list_notes(store.db, code)[0]["votes"]
    room.set_revealed(store, code, "tallies", True)
    assert 1 == notes.list_notes(store.db, code)[0]["votes"]


def test_blind_writing_shows_the_room_only_that_notes_exist(store):
    code = workshops.create_workshop(store, title="T", settings={"blind_writing": True})["code"]
    seen = []
    store.subscribe(seen.append)
    note, _ = notes.create_note(store, code, text="early idea", client_id="a")
    blind = {"id": note["id"], "blind": True, "prompt_id": None}
    assert {**blind, "seq": 1} == seen[0].payload(facilitator=False)
    assert [blind] == notes.list_notes(store.db, code)
    assert "early idea" == notes.list_notes(store.db, code, include_hidden=True)[0]["text"]
    room.set_revealed(store, code, "notes", True)
    assert "early idea" == notes.list_notes(store.db, code)[0]["text"]


def test_phones_write_only_in_the_writing_phases(store, code):
    workshops.set_phase(store, code, "vote")
    with pytest.raises(Conflict, match="Writing is closed right now"):
        notes.create_note(store, code, text="late", client_id="x")
    card = cards.issue_cards(store, code, 1)[0]
    note, _ = cards.enter_card_note(
        store, card["code"], text="from paper", client_id="p", source="paper"
    )
    assert "paper" == note["source"]  # transcribing the paper written earlier goes on


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"blind_writing": "yes"}, "must be true or false"),
        ({"writing_phases": "gather,party"}, "unknown phase 'party'"),
        ({"writing_phases": 3}, "must list phases"),
    ],
)
def test_bad_settings_are_refused(store, settings, message):
    with pytest.raises(Invalid, match=message):
        workshops.create_workshop(store, title="T", settings=settings)


def test_the_timer_runs_pauses_and_extends(store, code):
    started = room.control_timer(store, code, "start", 300, "Write")
    assert (True, 300, "Write") == (started["running"], started["total"], started["label"])
    assert 299 <= started["left"] <= 300
    paused = room.control_timer(store, code, "pause")
    assert not paused["running"]
    extended = room.control_timer(store, code, "add", 60)
    assert 359 <= extended["left"] <= 360
    resumed = room.control_timer(store, code, "resume")
    assert resumed["running"] and 359 <= resumed["left"] <= 360
    assert None is room.control_timer(store, code, "stop")
    assert None is workshops.get_workshop(store.db, code)["timer"]


@pytest.mark.parametrize(
    "action, seconds, message",
    [
        ("explode", None, "action must be one of"),
        ("start", 0, "seconds must be a whole number"),
        ("start", 99999, "seconds must be a whole number"),
        ("pause", None, "there is no timer"),
    ],
)
def test_bad_timer_requests_are_refused(store, code, action, seconds, message):
    with pytest.raises(Invalid, match=message):
        room.control_timer(store, code, action, seconds)


def test_a_group_is_voted_on_as_one(store, code, ids):
    group = sorting.create_group(store, ids[:2], label="Winter")
    result = votes.add_group_vote(store, group["id"], "ana")
    assert (1, 2) == (result["votes"], result["votes_left"])
    with pytest.raises(Conflict, match="one dot per group"):
        votes.add_group_vote(store, group["id"], "ana")
    votes.add_vote(store, ids[2], "ben")
    votes.add_group_vote(store, group["id"], "ben")
    assert 2 == sorting.group_json(store.db, sorting.get_group(store.db, group["id"]))["votes"]
    back = votes.remove_group_vote(store, group["id"], "ana")
    assert (1, 3) == (back["votes"], back["votes_left"])
    with pytest.raises(NotFound, match="no dot on this group"):
        votes.remove_group_vote(store, group["id"], "ana")
