"""The moderation log: every change the facilitator makes to the board, undoable.

A facilitator action runs inside :func:`logged`, which records the rows it is about to
change (``Change.touch``) and the rows it creates (``Change.created``). The log keeps that
snapshot, so undoing an action restores exactly those rows (see workshop.undo), and the
report can print what was moved, merged, hidden or edited.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlite_utils import Database

from workshop.db import Store
from workshop.workshops import now, workshop_row


class Change:
    """The rows one facilitator action touches, as they were before it."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.rows: dict[tuple[str, int], dict | None] = {}

    def touch(self, table: str, row_id: int) -> None:
        """Call before changing a row: keeps its first state for undo."""
        key = (table, row_id)
        if key not in self.rows:
            self.rows[key] = dict(self.db[table].get(row_id))

    def created(self, table: str, row_id: int) -> None:
        self.rows.setdefault((table, row_id), None)

    def ids(self, table: str) -> list[int]:
        return [row_id for (name, row_id) in self.rows if name == table]


@contextmanager
def logged(
    store: Store, workshop_id: int, action: str, summary: str, note_ids: list[int] | None = None
) -> Iterator[Change]:
    """Run a facilitator action in one transaction and log it with its undo snapshot."""
    with store.transaction() as db:
        change = Change(db)
        yield change
        if change.rows:
            db["moderation_log"].insert(
                {
                    "workshop_id": workshop_id,
                    "action": action,
                    "summary": summary,
                    "note_ids": json.dumps(note_ids or change.ids("notes")),
                    "snapshot": json.dumps(
                        [[table, row_id, row] for (table, row_id), row in change.rows.items()]
                    ),
                    "created_at": now(),
                }
            )


def moderation_log(db: Database, code: Any) -> list[dict]:
    """Every logged action, oldest first (the report prints these)."""
    workshop = workshop_row(db, code)
    rows = db.execute(
        """SELECT id, action, summary, note_ids, created_at, undone_at FROM moderation_log
           WHERE workshop_id = ? ORDER BY id""",
        [workshop["id"]],
    ).fetchall()
    return [
        {
            "id": row[0],
            "action": row[1],
            "summary": row[2],
            "note_ids": json.loads(row[3]),
            "created_at": row[4],
            # undone_at is a time once undone; "imported" or "final" mark what cannot be undone.
            "undone": row[5] is not None and row[5][:1].isdigit(),
        }
        for row in rows
    ]
