"""Undo: restore the rows the latest facilitator action changed, as they were before it.

Actions are undone newest first, as many as the log holds (the facilitator's screen offers
the last 20 and more). A row changed since by something that is not logged (an attendee
voting, a new note arriving) is not touched: undo restores only the rows the action logged.
"""

from __future__ import annotations

import json
from typing import Any

from workshop.board.moderation import render_summary
from workshop.board.sections import section_json
from workshop.board.sorting import emit_group
from workshop.core import protocol
from workshop.core.db import Store
from workshop.core.errors import Conflict
from workshop.core.i18n import SOURCE_LANGUAGE
from workshop.notes.notes import emit_note
from workshop.workshops.workshops import now, workshop_row

# Columns undo leaves as they are: physical dots counted after the action are still on the
# paper (workshop.voting.tally counts them).
KEPT_COLUMNS = {"notes": ("paper_dots",)}
RESTORABLE = ("notes", "groups", "sections", "prompts", "note_revisions", "section_revisions")


def undo_last(store: Store, code: Any, language: str = SOURCE_LANGUAGE) -> dict:
    """Undo the newest action not yet undone; return its log entry (summary in
    ``language``)."""
    with store.transaction() as db:
        workshop = workshop_row(db, code)
        row = db.execute(
            """SELECT id, action, summary, summary_params, snapshot FROM moderation_log
               WHERE workshop_id = ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1""",
            [workshop["id"]],
        ).fetchone()
        if row is None:
            raise Conflict("there is nothing left to undo")
        entry_id, action, summary, params_json, snapshot = row
        touched: dict[str, list[int]] = {}
        # Restore in reverse order of first touch, so created rows go before what they
        # referenced comes back.
        for table, row_id, before in reversed(json.loads(snapshot)):
            if table not in RESTORABLE:
                continue
            if before is None:
                db.table(table).delete_where("id = ?", [row_id])
            elif _exists(db, table, row_id):
                # An update, never INSERT OR REPLACE: replacing deletes the row first, and the
                # delete cascaded to the note's dots (tests/test_tally.py found it). Counts
                # that are not the board's arrangement stay as they are now.
                kept = KEPT_COLUMNS.get(table, ())
                db.table(table).update(row_id, {k: v for k, v in before.items() if k not in kept})
            else:
                db.table(table).insert(before, pk="id")
            touched.setdefault(table, []).append(row_id)
        db.table("moderation_log").update(entry_id, {"undone_at": now()})
        for section_id in touched.get("sections", []):
            section = (
                db.table("sections").get(section_id)
                if _exists(db, "sections", section_id)
                else None
            )
            if section is not None:
                store.record(
                    workshop["id"],
                    protocol.SECTION_CHANGED,
                    section_json(dict(section), removed=section["removed_at"] is not None),
                )
        for note_id in touched.get("notes", []):
            emit_note(store, db, note_id)
        for group_id in touched.get("groups", []):
            emit_group(store, db, group_id, workshop["id"])
    return {
        "id": entry_id,
        "action": action,
        **render_summary(summary, params_json, language),
        "undone": True,
    }


def _exists(db: Any, table: str, row_id: int) -> bool:
    return db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [row_id]).fetchone() is not None
