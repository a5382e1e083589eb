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

from workshop.core.db import Store
from workshop.core.i18n import SOURCE_LANGUAGE, translations
from workshop.workshops.workshops import now, workshop_row


class Change:
    """The rows one facilitator action touches, as they were before it."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.rows: dict[tuple[str, int], dict | None] = {}

    def touch(self, table: str, row_id: int) -> None:
        """Call before changing a row: keeps its first state for undo."""
        key = (table, row_id)
        if key not in self.rows:
            self.rows[key] = dict(self.db.table(table).get(row_id))

    def created(self, table: str, row_id: int) -> None:
        self.rows.setdefault((table, row_id), None)

    def ids(self, table: str) -> list[int]:
        return [row_id for (name, row_id) in self.rows if name == table]


@contextmanager
def logged(
    store: Store,
    workshop_id: int,
    action: str,
    summary: str,
    note_ids: list[int] | None = None,
    **params: Any,
) -> Iterator[Change]:
    """Run a facilitator action in one transaction and log it with its undo snapshot.

    ``summary`` is a msgid (marked ``N_``) with ``%(name)s`` parameters given as ``params``
    (``note`` and ``group`` are ids, which the board shows as the note's text or the group's
    name): the log is read in any language (``moderation_log(..., language)``).
    """
    with store.transaction() as db:
        change = Change(db)
        yield change
        if change.rows:
            db.table("moderation_log").insert(
                {
                    "workshop_id": workshop_id,
                    "action": action,
                    "summary": summary,
                    "summary_params": json.dumps(params),
                    "note_ids": json.dumps(note_ids or change.ids("notes")),
                    "snapshot": json.dumps(
                        [[table, row_id, row] for (table, row_id), row in change.rows.items()]
                    ),
                    "created_at": now(),
                }
            )


def moderation_log(db: Database, code: Any, language: str = SOURCE_LANGUAGE) -> list[dict]:
    """Every logged action, oldest first (the report prints these), its summary in
    ``language``; ``template`` and ``params`` let a screen name the notes its own way."""
    workshop = workshop_row(db, code)
    rows = db.execute(
        """SELECT id, action, summary, summary_params, note_ids, created_at, undone_at
           FROM moderation_log WHERE workshop_id = ? ORDER BY id""",
        [workshop["id"]],
    ).fetchall()
    return [
        {
            "id": row[0],
            "action": row[1],
            **render_summary(row[2], row[3], language),
            "note_ids": json.loads(row[4]),
            "created_at": row[5],
            # undone_at is a time once undone; "imported" or "final" mark what cannot be undone.
            "undone": row[6] is not None and row[6][:1].isdigit(),
        }
        for row in rows
    ]


def render_summary(summary: str, params_json: str | None, language: str) -> dict:
    """{summary, template, params}: the summary in ``language`` (entries from before the
    log kept parameters are English text, shown as they are)."""
    if params_json is None:
        return {"summary": summary, "template": summary, "params": {}}
    params = json.loads(params_json)
    template = translations(language).gettext(summary)
    try:
        text = template % params if params else template
    except (KeyError, ValueError, TypeError):  # a broken translation: say it in English
        template = summary
        text = summary % params if params else summary
    return {"summary": text, "template": template, "params": params}
