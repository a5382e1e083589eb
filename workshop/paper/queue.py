"""The transcription queue: scanned cards waiting for a scribe to type what is written.

A scribe's screen asks for the next card and gets a lease on it: while the lease runs
(``LEASE_SECONDS``, renewed each time the screen asks again), no other scribe is given that
card, so two volunteers never type the same one. Saving the text ends the lease and the
wait; skipping (asking for the next with this card in ``skip``) hands it back to the queue.
A lease left by a closed laptop simply runs out.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from workshop.core.db import Store
from workshop.core.errors import Conflict, Invalid
from workshop.notes import edits, notes
from workshop.workshops.workshops import workshop_row

LEASE_SECONDS = 120.0
HOLDER_MAX = 64
SKIP_MAX = 500


def _check_holder(holder: Any) -> str:
    if not isinstance(holder, str) or not 8 <= len(holder) <= HOLDER_MAX:
        raise Invalid("holder must be the random id of this screen (8 to 64 characters)")
    return holder


def _check_skip(skip: Any) -> list[int]:
    if skip is None:
        return []
    if not isinstance(skip, list) or len(skip) > SKIP_MAX:
        raise Invalid("skip must be a list of at most %(limit)s note ids", limit=SKIP_MAX)
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in skip):
        raise Invalid("skip must be a list of note ids")
    return list(skip)


def waiting_count(db: Database, workshop_id: int) -> int:
    (count,) = db.execute(
        """SELECT count(*) FROM notes WHERE workshop_id = ? AND awaiting_text = 1
           AND withdrawn_at IS NULL AND merged_into IS NULL""",
        [workshop_id],
    ).fetchone()
    return int(count)


def next_card(store: Store, code: Any, holder: Any, skip: Any = None) -> dict:
    """The card ``holder`` is typing (its lease renewed), or else the oldest waiting card
    nobody holds and not in ``skip`` (cards this screen skipped, handed back), leased to it:
    ``{note, waiting}``, ``note`` None when no card is left for this screen."""
    holder = _check_holder(holder)
    skipped = _check_skip(skip)
    stamp = time.time()
    marks = ", ".join("?" * len(skipped))  # `x IN ()` is valid SQLite, and false
    with store.transaction() as db:
        workshop = workshop_row(db, code)
        db.execute("DELETE FROM transcription_leases WHERE expires_at < ?", [stamp])
        db.execute(
            f"""DELETE FROM transcription_leases WHERE holder = ? AND (note_id IN ({marks})
                OR note_id NOT IN (SELECT id FROM notes WHERE awaiting_text = 1))""",
            [holder, *skipped],
        )
        row = db.execute(
            """SELECT l.note_id FROM transcription_leases l JOIN notes n ON n.id = l.note_id
               WHERE l.holder = ? AND n.workshop_id = ? ORDER BY l.note_id LIMIT 1""",
            [holder, workshop["id"]],
        ).fetchone()
        if row is None:
            row = db.execute(
                f"""SELECT id FROM notes WHERE workshop_id = ? AND awaiting_text = 1
                    AND withdrawn_at IS NULL AND merged_into IS NULL
                    AND id NOT IN (SELECT note_id FROM transcription_leases)
                    AND id NOT IN ({marks})
                    ORDER BY id LIMIT 1""",
                [workshop["id"], *skipped],
            ).fetchone()
        note = None
        if row is not None:
            db.execute(
                """INSERT INTO transcription_leases (note_id, holder, expires_at) VALUES (?, ?, ?)
                   ON CONFLICT (note_id) DO UPDATE SET expires_at = excluded.expires_at""",
                [row[0], holder, stamp + LEASE_SECONDS],
            )
            note = notes.get_note_json(db, row[0])
        return {"note": note, "waiting": waiting_count(db, workshop["id"])}


def transcribe(store: Store, note_id: Any, text: Any, holder: Any, by: str) -> dict:
    """Save the text typed for a waiting card (``by`` a scribe or the facilitator); refused
    while another screen holds the card. Returns the note."""
    holder = _check_holder(holder)
    note = notes.get_note(store.db, note_id)
    if not note["awaiting_text"]:
        raise Conflict("This card was typed in already.")
    lease = store.db.execute(
        "SELECT holder, expires_at FROM transcription_leases WHERE note_id = ?", [note["id"]]
    ).fetchone()
    if lease is not None and lease[0] != holder and lease[1] >= time.time():
        raise Conflict("Another scribe is typing this card.")
    saved = edits.correct_text(store, note["id"], text, by=by)
    with store.transaction() as db:
        db.execute("DELETE FROM transcription_leases WHERE note_id = ?", [note["id"]])
    return saved


def leased_cards(db: Database, code: Any) -> Sequence[int]:
    """The note ids scribes are typing now."""
    workshop = workshop_row(db, code)
    rows = db.execute(
        """SELECT l.note_id FROM transcription_leases l JOIN notes n ON n.id = l.note_id
           WHERE n.workshop_id = ? AND l.expires_at >= ? ORDER BY l.note_id""",
        [workshop["id"], time.time()],
    ).fetchall()
    return [row[0] for row in rows]
