"""The transcription queue: scanned cards handed to one scribe at a time, typed in once."""

from __future__ import annotations

import pytest

from workshop.core.errors import Conflict, Invalid
from workshop.notes import edits, notes
from workshop.paper import cards, queue
from workshop.workshops import workshops

ANNA, BEN = "screen-anna-1", "screen-ben-22"


@pytest.fixture
def waiting(store):
    """A workshop with three photographed cards waiting for their text."""
    workshop = workshops.create_workshop(store, title="Safer routes")
    ids = []
    for card in cards.issue_cards(store, workshop["code"], 3):
        note, _ = cards.enter_card_note(
            store,
            card["code"],
            text=cards.photo_only_text(store.db, workshop["code"]),
            client_id=f"scan-{card['code']}",
            source="paper",
            photo=f"{card['code']}.jpg",
            awaiting_text=True,
        )
        ids.append(note["id"])
    return workshop["code"], ids


def test_two_scribes_never_get_the_same_card(store, waiting):
    code, ids = waiting
    anna = queue.next_card(store, code, ANNA)
    ben = queue.next_card(store, code, BEN)
    assert (ids[0], ids[1], 3) == (anna["note"]["id"], ben["note"]["id"], ben["waiting"])
    # Asking again keeps (and renews) the card a screen holds.
    assert ids[0] == queue.next_card(store, code, ANNA)["note"]["id"]


def test_saving_a_card_ends_its_wait_and_the_next_one_comes(store, waiting):
    code, ids = waiting
    first = queue.next_card(store, code, ANNA)["note"]
    saved = queue.transcribe(store, first["id"], "A crossing guard at Elm St", ANNA, by="scribe")
    assert ("A crossing guard at Elm St", False, False) == (
        saved["text"],
        saved["awaiting_text"],
        saved["edited"],
    )
    assert [] == edits.note_history(store.db, first["id"])  # the placeholder was nobody's words
    following = queue.next_card(store, code, ANNA)
    assert (ids[1], 2) == (following["note"]["id"], following["waiting"])
    with pytest.raises(Conflict) as again:
        queue.transcribe(store, first["id"], "twice", BEN, by="scribe")
    assert "This card was typed in already." == again.value.message


def test_a_card_held_by_another_screen_cannot_be_saved_over(store, waiting):
    code, ids = waiting
    queue.next_card(store, code, ANNA)
    with pytest.raises(Conflict) as held:
        queue.transcribe(store, ids[0], "mine", BEN, by="scribe")
    assert "Another scribe is typing this card." == held.value.message
    assert notes.get_note(store.db, ids[0])["awaiting_text"]


def test_a_skipped_card_goes_back_to_the_queue_for_others(store, waiting):
    code, ids = waiting
    queue.next_card(store, code, ANNA)
    skipped = queue.next_card(store, code, ANNA, skip=[ids[0]])
    assert ids[1] == skipped["note"]["id"]
    assert ids[0] == queue.next_card(store, code, BEN)["note"]["id"]
    assert ids[2] == queue.next_card(store, code, ANNA, skip=[ids[0], ids[1]])["note"]["id"]
    assert None is queue.next_card(store, code, ANNA, skip=ids)["note"]


def test_a_lease_left_behind_runs_out(store, waiting):
    code, ids = waiting
    queue.next_card(store, code, ANNA)
    store.db.execute("UPDATE transcription_leases SET expires_at = 0")  # as if hours later
    assert ids[0] == queue.next_card(store, code, BEN)["note"]["id"]


def test_correcting_a_waiting_card_on_its_own_page_also_ends_the_wait(store, waiting):
    code, ids = waiting
    edits.correct_text(store, ids[2], "Typed on the card page", by="scribe")
    assert 2 == queue.next_card(store, code, ANNA)["waiting"]


@pytest.mark.parametrize(
    ("holder", "skip", "message"),
    [
        ("short", None, "holder must be the random id of this screen (8 to 64 characters)"),
        (None, None, "holder must be the random id of this screen (8 to 64 characters)"),
        (ANNA, "1,2", "skip must be a list of at most 500 note ids"),
        (ANNA, ["1"], "skip must be a list of note ids"),
    ],
)
def test_bad_requests_for_a_card_are_refused(store, waiting, holder, skip, message):
    code, _ = waiting
    with pytest.raises(Invalid) as error:
        queue.next_card(store, code, holder, skip)
    assert message == error.value.message
    assert 0 == store.db["transcription_leases"].count


def test_the_scans_migration_is_safe_to_apply_twice(store):
    from workshop.core import migrations

    migrations._paper_scans(store.db)
    assert {"layout"} <= {c.name for c in store.db["cards"].columns}
    assert {"awaiting_text"} <= {c.name for c in store.db["notes"].columns}
