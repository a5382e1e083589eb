"""A "+1" (a "me too"): a phone about to write what a note on the board already says gives
that note its +1 instead of posting a second copy.

One per phone per note (``note_plus_ones`` is unique on note and attendee), so adding it
again or taking back one that is not there changes nothing and answers the same. Only while
the room writes and can read the notes (a writing phase, not blind, not the vote: in the vote
the phone puts a dot on the note instead, workshop.voting.votes), only on a note the public
board shows, never on the phone's own note. The count is a count like the dots: every view
reads it from workshop.voting.tally, and it is masked with them while tallies are hidden.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlite_utils import Database

from workshop.core.db import Store
from workshop.core.errors import Conflict
from workshop.notes.notes import emit_note, get_note, get_note_json, tallies_hidden
from workshop.workshops.allowed import plus_one_open
from workshop.workshops.workshops import now, workshop_row


def _target(db: Database, note_id: Any, attendee_id: str) -> tuple[dict, dict]:
    """The note a +1 lands on (a merged note's go to the note it was merged into) and its
    workshop, or Conflict when the room cannot +1 it now."""
    note = get_note(db, note_id)
    if note["merged_into"] is not None:
        note = get_note(db, note["merged_into"])
    if note["hidden"] or note["withdrawn_at"] is not None:
        raise Conflict("This note is not on the board, so it cannot get a +1.")
    workshop = workshop_row(db, note["workshop"])
    if not plus_one_open(workshop, workshop["phase"]):
        if workshop["phase"] == "vote":
            raise Conflict("The room is voting: put a dot on the note instead.")
        raise Conflict("A +1 can only be given while the room is writing and can read the notes.")
    if note["attendee_id"] == attendee_id:
        raise Conflict("This is your own note.")
    return note, workshop


# This phone's +1s on note :note and on the notes merged into it (given before the merge).
_MINE = """attendee_id = :attendee AND (note_id = :note
    OR note_id IN (SELECT id FROM notes WHERE merged_into = :note))"""


def _mine(db: Database, note_id: int, attendee_id: str) -> bool:
    query = f"SELECT 1 FROM note_plus_ones WHERE {_MINE}"
    return db.execute(query, {"note": note_id, "attendee": attendee_id}).fetchone() is not None


def _answer(workshop: dict, note: dict, mine: bool) -> dict:
    """What the phone learns: whether it has a +1 there, and the count unless tallies are
    hidden (``plus_ones: null``)."""
    count = None if tallies_hidden(workshop) else note["plus_ones"]
    return {"note_id": note["id"], "plus_ones": count, "mine": mine}


def add_plus_one(
    store: Store, note_id: Any, attendee_id: str, *, allowance: Callable[[], None] | None = None
) -> dict:
    """Give ``attendee_id``'s +1 to a note; again is the same answer and costs nothing.
    ``allowance`` (the phone's rate limit) is taken only for a new +1, before the write."""
    note, _ = _target(store.db, note_id, attendee_id)
    if not _mine(store.db, note["id"], attendee_id) and allowance is not None:
        allowance()
    with store.transaction() as db:
        note, workshop = _target(db, note_id, attendee_id)
        added = not _mine(db, note["id"], attendee_id)
        if added:
            db.table("note_plus_ones").insert(
                {
                    "workshop_id": workshop["id"],
                    "note_id": note["id"],
                    "attendee_id": attendee_id,
                    "created_at": now(),
                }
            )
        fresh = emit_note(store, db, note["id"]) if added else get_note_json(db, note["id"])
    return _answer(workshop, fresh, True)


def remove_plus_one(store: Store, note_id: Any, attendee_id: str) -> dict:
    """Take back ``attendee_id``'s +1; taking back one that is not there changes nothing."""
    with store.transaction() as db:
        note, workshop = _target(db, note_id, attendee_id)
        removed = db.execute(
            f"DELETE FROM note_plus_ones WHERE {_MINE}",
            {"note": note["id"], "attendee": attendee_id},
        ).rowcount
        fresh = emit_note(store, db, note["id"]) if removed else get_note_json(db, note["id"])
    return _answer(workshop, fresh, False)
