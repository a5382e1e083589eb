"""Next steps linked to notes, outcomes, and the summary in the domain."""

import pytest

from workshop.board import sorting
from workshop.core.errors import Conflict, Invalid, NotFound
from workshop.followup import nextsteps, summary
from workshop.notes import edits as noteedits
from workshop.notes import notes
from workshop.paper import cards
from workshop.room import room
from workshop.workshops import workshops


@pytest.fixture
def code(store):
    return workshops.create_workshop(store, title="Safer routes", sections=[{"title": "Timeline"}])[
        "code"
    ]


def post(store, code, text, client_id, **fields):
    return notes.create_note(store, code, text=text, client_id=client_id, **fields)[0]["id"]


def test_a_next_step_links_the_notes_it_answers(store, code):
    a = post(store, code, "Snow on sidewalks", "a")
    b = post(store, code, "Plow the school routes", "b")
    step = nextsteps.create_next_step(
        store,
        code,
        {
            "text": "Publish plow routes",
            "owner": "Public works",
            "due": "2027-01-15",
            "note_ids": [a, b],
        },
    )
    assert ("planned", [a, b], "Public works") == (step["status"], step["note_ids"], step["owner"])
    assert ("answered", "Publish plow routes (planned)") == nextsteps.outcome_of(
        store.db, notes.get_note_json(store.db, a)
    )
    assert [step["id"]] == notes.get_note_json(store.db, a)["next_step_ids"]
    nextsteps.update_next_step(store, step["id"], {"note_ids": [b], "status": "done"})
    assert (None, None) == nextsteps.outcome_of(store.db, notes.get_note_json(store.db, a))
    nextsteps.delete_next_step(store, step["id"])
    assert [] == nextsteps.list_next_steps(store.db, code)
    assert [a, b] == nextsteps.notes_without_outcome(store.db, code)


@pytest.mark.parametrize(
    "data, error, message",
    [
        ({}, Invalid, "next step must be text"),
        ({"text": " "}, Invalid, "next step is empty"),
        ({"text": "x", "status": "maybe"}, Invalid, "status must be one of: planned"),
        ({"text": "x", "status": "declined"}, Invalid, "needs a reason"),
        ({"text": "x", "due": "next week"}, Invalid, "due must be a date like 2027-03-01"),
        ({"text": "x", "note_ids": [999]}, NotFound, "no note with id 999"),
        ({"text": "x", "note_ids": "1"}, Invalid, "note_ids must be a list"),
        ({"text": "x", "budget": 5}, Invalid, "a next step has no budget"),
    ],
)
def test_bad_next_steps_are_refused(store, code, data, error, message):
    with pytest.raises(error, match=message):
        nextsteps.create_next_step(store, code, data)
    assert [] == nextsteps.list_next_steps(store.db, code)


def test_outcomes_by_hand_and_by_merge(store, code):
    a, b, c = (post(store, code, t, t) for t in ("one", "two", "three"))
    nextsteps.set_outcome(store, a, "out-of-scope", "This is a county road")
    sorting.merge_notes(store, b, [c])
    assert ("out-of-scope", "This is a county road") == nextsteps.outcome_of(
        store.db, notes.get_note_json(store.db, a)
    )
    assert ("merged", f"merged into note #{b}") == nextsteps.outcome_of(
        store.db, notes.get_note_json(store.db, c)
    )
    with pytest.raises(Invalid, match="say why"):
        nextsteps.set_outcome(store, b, "out-of-scope")
    nextsteps.set_outcome(store, b, "noted")
    assert [] == nextsteps.notes_without_outcome(store.db, code)


def test_the_summary_leaves_out_hidden_notes_and_marks_mine(store, code):
    mine = post(store, code, "Mine", "m", attendee_id="ana", author_label="Ana")
    hidden = post(store, code, "A joke", "j")
    noteedits.update_note(store, hidden, {"hidden": True})
    data = summary.summary(store.db, code, "ana")
    texts = [n["text"] for s in data["sections"] for n in s["notes"]]
    assert (["Mine"], [mine]) == (texts, data["mine"])
    assert "A joke" not in summary.markdown(store.db, code)


def test_a_paper_participant_finds_their_card(store, code):
    card = cards.issue_cards(store, code, 1)[0]
    note, _ = cards.enter_card_note(
        store, card["code"], text="Bus stops", client_id="p", source="paper"
    )
    nextsteps.create_next_step(store, code, {"text": "Map bus stops", "note_ids": [note["id"]]})
    found = summary.card_outcome(store.db, card["code"].lower())
    assert ("Bus stops", "answered") == (found["text"], found["outcome"])


def test_markdown_is_safe_to_paste(store, code):
    post(store, code, "[click](javascript:alert(1)) <b>bold</b> *x*", "x")
    text = summary.markdown(store.db, code)
    assert "](javascript" not in text and "<b>" not in text
    # Only what Markdown needs is escaped: the brackets and the paren that would make a link.
    assert r"\[click\]\(javascript:alert(1)) \<b\>bold\</b\> \*x\*" in text


def test_online_comments_after_the_session(store, code):
    workshops.set_phase(store, code, "closed")
    with pytest.raises(Conflict, match="Writing is closed"):
        post(store, code, "too late", "late")
    room.set_feedback_window(store, code, 7)
    note = notes.get_note_json(store.db, post(store, code, "From home", "home"))
    assert note["online"]
    room.set_feedback_window(store, code, 0)
    with pytest.raises(Conflict):
        post(store, code, "closed again", "again")
