"""Printed note cards: issue a deck of card codes, look a card up, enter its note.

Each card has a random, unambiguous code registered with its workshop and prompt. A card
carries at most one note: entering it again says so and offers that note for editing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlite_utils import Database

from workshop.core import codes
from workshop.core.db import Store
from workshop.core.errors import Conflict, Invalid, NoSuchCard, NotFound
from workshop.core.i18n import N_, translations
from workshop.core.text import optional_id
from workshop.notes import notes
from workshop.workshops.workshops import now, workshop_row

MAX_CARDS_PER_DECK = 1000
DEFAULT_LAYOUT = "letter"  # the stock of cards printed before the layout was kept

# The text of a card entered as a photo only, in the workshop's language (the room reads it).
PHOTO_ONLY_TEXT = N_("Handwritten card (see the photo)")


def issue_deck(
    store: Store, code: Any, count: Any, prompt_ids: Any = None, *, layout: str = "letter"
) -> dict:
    """Register a deck of ``count`` new cards to print on ``layout`` (see :func:`issue_cards`):
    ``{id, layout, count}``. Printing it again (:func:`deck_cards`) registers nothing."""
    with store.transaction() as db:
        workshop = workshop_row(db, code)
        deck_id = (
            db.table("card_decks")
            .insert({"workshop_id": workshop["id"], "layout": layout, "created_at": now()})
            .last_pk
        )
        issue_cards(store, code, count, prompt_ids, layout, deck_id=deck_id)
    return {"id": deck_id, "layout": layout, "count": count}


def deck_cards(db: Database, code: Any, deck_id: Any) -> tuple[dict, list[dict]]:
    """A registered deck of the workshop ``code`` and its cards, in print order."""
    workshop = workshop_row(db, code)
    deck_id = optional_id(deck_id, field="deck")
    rows = list(
        db.query(
            "SELECT id, layout FROM card_decks WHERE id = ? AND workshop_id = ?",
            [deck_id, workshop["id"]],
        )
    )
    if not rows:
        raise NotFound("no deck %(id)s in this workshop", id=deck_id)
    codes_in_order = [
        row[0]
        for row in db.execute("SELECT code FROM cards WHERE deck_id = ? ORDER BY rowid", [deck_id])
    ]
    return rows[0], [get_card(db, card_code) for card_code in codes_in_order]


def photo_only_text(db: Database, code: Any) -> str:
    """The placeholder text of a photographed card, in the workshop's language."""
    language = workshop_row(db, code)["settings"]["language"]
    return translations(language).gettext(PHOTO_ONLY_TEXT)


def issue_cards(
    store: Store,
    code: Any,
    count: Any,
    prompt_ids: Any = None,
    layout: str = DEFAULT_LAYOUT,
    *,
    deck_id: int | None = None,
) -> list[dict]:
    """Register ``count`` new cards, dealt in turn across ``prompt_ids`` (default: every
    prompt, or none when the workshop has no prompts), to print on ``layout`` (kept, so a
    scan knows where the card lies around its QR code). Returns them in print order."""
    if isinstance(count, bool) or not isinstance(count, int):
        raise Invalid("count must be a whole number")
    if not 1 <= count <= MAX_CARDS_PER_DECK:
        raise Invalid("count must be between 1 and %(limit)s", limit=MAX_CARDS_PER_DECK)
    with store.transaction() as db:
        workshop = workshop_row(db, code)
        known = [
            row[0]
            for row in db.execute(
                "SELECT id FROM prompts WHERE workshop_id = ? ORDER BY position", [workshop["id"]]
            )
        ]
        if prompt_ids is None:
            chosen: list[int | None] = list(known) or [None]
        else:
            if not isinstance(prompt_ids, list) or not prompt_ids:
                raise Invalid("prompt_ids must be a non-empty list")
            chosen = [optional_id(p, field="prompt_id") for p in prompt_ids]
            for prompt_id in chosen:
                if prompt_id not in known:
                    raise NotFound("no prompt %(id)s in this workshop", id=prompt_id)
        # Deal the deck prompt by prompt, so each prompt's cards print together.
        per_prompt = [count // len(chosen) + (i < count % len(chosen)) for i in range(len(chosen))]
        cards = []
        stamp = now()
        for prompt_id, how_many in zip(chosen, per_prompt, strict=True):
            for _ in range(how_many):
                card = {
                    "code": _unused_card_code(db),
                    "workshop_id": workshop["id"],
                    "prompt_id": prompt_id,
                    "layout": layout,
                    "created_at": stamp,
                    "deck_id": deck_id,
                }
                db.table("cards").insert(card)
                cards.append(card)
    return [get_card(store.db, card["code"]) for card in cards]


def _unused_card_code(db: Database) -> str:
    for _ in range(100):
        code = codes.random_code(codes.CARD_CODE_LENGTH)
        if not db.execute("SELECT 1 FROM cards WHERE code = ?", [code]).fetchone():
            return code
    raise RuntimeError("no free card code left")


def get_card(db: Database, card_code: Any) -> dict:
    """A card with its workshop code, prompt and section, or :class:`NotFound`."""
    if not isinstance(card_code, str):
        raise NoSuchCard("no such card")
    row = db.execute(
        """SELECT c.code, w.code, c.prompt_id, p.text, s.title, c.layout
           FROM cards c JOIN workshops w ON w.id = c.workshop_id
           LEFT JOIN prompts p ON p.id = c.prompt_id
           LEFT JOIN sections s ON s.id = p.section_id
           WHERE c.code = ?""",
        [codes.normalise(card_code)],
    ).fetchone()
    if row is None:
        raise NoSuchCard("no card with the code '%(code)s'", code=card_code[:12])
    keys = ("code", "workshop", "prompt_id", "prompt", "section", "layout")
    card = dict(zip(keys, row, strict=True))
    card["layout"] = card["layout"] or DEFAULT_LAYOUT
    return card


def card_note(db: Database, card_code: str) -> dict | None:
    """The note already entered for this card, if any (hidden ones included)."""
    card = get_card(db, card_code)
    row = db.execute("SELECT id FROM notes WHERE card_code = ?", [card["code"]]).fetchone()
    return None if row is None else notes.get_note_json(db, row[0])


class CardUsed(Conflict):
    """The card already has a note; ``note`` is it, to edit instead."""

    def __init__(self, note: dict) -> None:
        super().__init__("This card was already entered. Edit its note instead of adding another.")
        self.note = note


def enter_card_note(
    store: Store,
    card_code: Any,
    *,
    text: Any,
    client_id: Any,
    source: str,
    entered_by: str | None = None,
    attendee_id: str | None = None,
    author_label: str | None = None,
    color: Any = None,
    photo: str | None = None,
    awaiting_text: bool = False,
    allowance: Callable[[], None] | None = None,
) -> tuple[dict, bool]:
    """Create the note for a card: ``paper`` when a scribe or the facilitator transcribes it
    (or photographs it: ``awaiting_text``, its text the placeholder until typed), ``phone``
    when its holder types it (``allowance``: that phone's rate limit). The same client_id
    again returns the same note."""
    card = get_card(store.db, card_code)
    existing = card_note(store.db, card["code"])
    if existing is not None:
        same = notes.find_by_client_id(store.db, card["workshop"], client_id)
        if same is not None and same["id"] == existing["id"]:
            return existing, False
        raise CardUsed(existing)
    note, created = notes.post_note(
        store,
        card["workshop"],
        allowance=allowance,
        text=text,
        client_id=client_id,
        attendee_id=attendee_id,
        prompt_id=card["prompt_id"],
        color=color,
        source=source,
        card_code=card["code"],
        author_label=author_label,
        entered_by=entered_by,
        photo=photo,
        awaiting_text=awaiting_text,
    )
    return note, created
