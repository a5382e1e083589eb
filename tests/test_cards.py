"""Printed cards in the domain: issuing a deck, looking a card up, one note per card."""

import pytest

from workshop.core import codes
from workshop.core.errors import Invalid, NotFound
from workshop.notes import notes
from workshop.paper import cards
from workshop.workshops import workshops


@pytest.fixture
def workshop(store):
    return workshops.create_workshop(
        store,
        title="T",
        prompts=["Missing?", "Who else?", {"text": "Too fast?", "section": "Timeline"}],
    )


def test_a_deck_is_dealt_across_the_prompts(store, workshop):
    deck = cards.issue_cards(store, workshop["code"], 8)
    prompt_ids = [p["id"] for p in workshop["prompts"]]
    assert [prompt_ids[0]] * 3 + [prompt_ids[1]] * 3 + [prompt_ids[2]] * 2 == [
        card["prompt_id"] for card in deck
    ]
    assert 8 == len({card["code"] for card in deck})
    assert all(codes.looks_like_code(card["code"], codes.CARD_CODE_LENGTH) for card in deck)
    assert ("Too fast?", "Timeline") == (deck[-1]["prompt"], deck[-1]["section"])


def test_a_deck_for_one_prompt(store, workshop):
    prompt = workshop["prompts"][1]["id"]
    assert {prompt} == {
        c["prompt_id"] for c in cards.issue_cards(store, workshop["code"], 5, [prompt])
    }


def test_a_workshop_without_prompts_gets_open_cards(store):
    code = workshops.create_workshop(store, title="T")["code"]
    assert [None, None] == [card["prompt_id"] for card in cards.issue_cards(store, code, 2)]


@pytest.mark.parametrize(
    "count, prompt_ids, error, message",
    [
        (0, None, Invalid, "count must be between 1 and 1000"),
        (1001, None, Invalid, "count must be between 1 and 1000"),
        ("20", None, Invalid, "count must be a whole number"),
        (5, [], Invalid, "prompt_ids must be a non-empty list"),
        (5, [99999], NotFound, "no prompt 99999"),
    ],
)
def test_bad_decks_issue_nothing(store, workshop, count, prompt_ids, error, message):
    with pytest.raises(error, match=message):
        cards.issue_cards(store, workshop["code"], count, prompt_ids)
    assert 0 == store.db["cards"].count


def test_a_card_is_found_by_its_code_however_it_is_typed(store, workshop):
    (card,) = cards.issue_cards(store, workshop["code"], 1)
    typed = f"{card['code'][:3].lower()} {card['code'][3:].lower()}"
    assert card == cards.get_card(store.db, typed)
    with pytest.raises(NotFound):
        cards.get_card(store.db, "AAAAAA")


def test_one_note_per_card(store, workshop):
    (card,) = cards.issue_cards(store, workshop["code"], 1)
    note, created = cards.enter_card_note(
        store, card["code"], text="Bus drivers", client_id="s1", source="paper", entered_by="scribe"
    )
    assert (True, "paper", "scribe", card["code"], card["prompt_id"]) == (
        created,
        note["source"],
        note["entered_by"],
        note["card_code"],
        note["prompt_id"],
    )
    again, created_again = cards.enter_card_note(
        store, card["code"], text="Bus drivers", client_id="s1", source="paper"
    )
    assert (note, False) == (again, created_again)
    with pytest.raises(cards.CardUsed) as used:
        cards.enter_card_note(store, card["code"], text="Other", client_id="s2", source="paper")
    assert note == used.value.note
    assert 1 == len(notes.list_notes(store.db, workshop["code"]))
