"""What the room may do in each phase (workshop/workshops/allowed.py), the answer the screens
read instead of working the rules out: it agrees with what the domain enforces."""

from __future__ import annotations

import json
import re

import pytest

from workshop.core.errors import Conflict
from workshop.core.settings import PHASE_NAMES
from workshop.notes import notes
from workshop.room import room
from workshop.voting import votes
from workshop.workshops import allowed, workshops


@pytest.fixture
def code(store):
    return workshops.create_workshop(store, title="Safer routes")["code"]


def current(store, code):
    return workshops.get_workshop(store.db, code)


def test_every_phase_has_an_answer_and_a_label(store, code):
    answer = allowed.allowed(current(store, code))
    assert list(PHASE_NAMES) == list(answer)
    for phase in PHASE_NAMES:
        assert {"write", "plus_one", "vote", "several_dots", "blind", "tallies", "counting"} == set(
            answer[phase]
        )
    labels = allowed.phase_labels(lambda text: text.upper())
    assert "NEXT STEPS" == labels["next-steps"]
    assert list(PHASE_NAMES) == list(labels)


@pytest.mark.parametrize("phase", PHASE_NAMES)
def test_writing_is_open_exactly_where_the_domain_takes_a_phones_note(store, code, phase):
    workshops.set_phase(store, code, phase)
    said = allowed.allowed(current(store, code))[phase]["write"]
    try:
        notes.create_note(store, code, text="Benches", client_id=f"c-{phase}", source="phone")
        took = True
    except Conflict:
        took = False
    assert said == took


def test_the_feedback_window_opens_writing_after_the_session(store, code):
    workshops.set_phase(store, code, "closed")
    assert not allowed.allowed(current(store, code))["closed"]["write"]
    room.set_feedback_window(store, code, 7)
    assert allowed.allowed(current(store, code))["closed"]["write"]
    notes.create_note(store, code, text="Later", client_id="online-1", source="phone")


def test_blind_writing_holds_in_gather_until_the_notes_are_revealed(store, code):
    room.set_settings(store, code, {"blind_writing": True})
    answer = allowed.allowed(current(store, code))
    assert answer["gather"]["blind"]
    assert not any(answer[phase]["blind"] for phase in PHASE_NAMES if phase != "gather")
    note, _ = notes.create_note(store, code, text="Trees", client_id="b-1", source="phone")
    workshop = workshops.workshop_row(store.db, code)
    assert notes.public_json(note, workshop).get("blind")  # the domain hides it likewise
    room.set_revealed(store, code, "notes", True)
    assert not allowed.allowed(current(store, code))["gather"]["blind"]


def test_hidden_tallies_show_once_revealed(store, code):
    assert allowed.allowed(current(store, code))["vote"]["tallies"]
    room.set_settings(store, code, {"hide_tallies": True})
    assert not allowed.allowed(current(store, code))["vote"]["tallies"]
    room.set_revealed(store, code, "tallies", True)
    assert allowed.allowed(current(store, code))["vote"]["tallies"]


def test_only_the_vote_phase_takes_dots_and_they_count_from_then_on(store, code):
    answer = allowed.allowed(current(store, code))
    assert ["vote"] == [phase for phase in PHASE_NAMES if answer[phase]["vote"]]
    counted = [phase for phase in PHASE_NAMES if answer[phase]["counting"]]
    assert ["vote", "next-steps", "closed"] == counted


def test_a_second_dot_on_a_note_is_allowed_where_the_votes_module_takes_it(store, code):
    note, _ = notes.create_note(store, code, text="Crossings", client_id="v-1", source="phone")
    workshops.set_phase(store, code, "vote")
    votes.add_vote(store, note["id"], "voter-1")
    assert not allowed.allowed(current(store, code))["vote"]["several_dots"]
    with pytest.raises(Conflict):
        votes.add_vote(store, note["id"], "voter-1")
    room.set_settings(store, code, {"several_dots_per_note": True})
    assert allowed.allowed(current(store, code))["vote"]["several_dots"]
    votes.add_vote(store, note["id"], "voter-1")


def test_the_api_and_the_pages_hand_the_answers_to_the_scripts(client, workshop):
    code = workshop["code"]
    state = client.get(f"/api/workshops/{code}/state").get_json()
    assert state["workshop"]["allowed"]["gather"]["write"] is True
    assert state["workshop"]["allowed"]["vote"]["vote"] is True
    assert (
        client.get(f"/api/workshops/{code}").get_json()["allowed"] == state["workshop"]["allowed"]
    )
    html = client.get(f"/j/{code}", headers={"Accept-Language": "es"}).get_data(as_text=True)
    data = json.loads(re.search(r'id="page-data">(.*?)</script>', html, re.S).group(1))
    assert data["workshop"]["allowed"] == state["workshop"]["allowed"]
    assert "Escribiendo" == data["phase_labels"]["gather"]
