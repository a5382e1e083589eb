"""The plan check (the seed's expert focus groups): is each part of the plan workable?

The facilitator opens a quick rating of every plan section; each phone rates each section
"workable", "needs changes" or "not workable", with an optional comment that becomes a note
on that section. The board shows the distribution per section and the comments.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlite_utils import Database

from workshop.core import protocol
from workshop.core.db import Store, new_id
from workshop.core.errors import Conflict, Invalid, NotFound
from workshop.core.text import optional_id
from workshop.notes.notes import create_note
from workshop.workshops.projection import project_activity
from workshop.workshops.workshops import list_sections, now, workshop_row

RATINGS = ("workable", "needs-changes", "not-workable")


def _open_check(db: Database, workshop_id: int) -> int | None:
    row = db.execute(
        """SELECT id FROM plan_checks WHERE workshop_id = ? AND closed_at IS NULL
           ORDER BY id DESC LIMIT 1""",
        [workshop_id],
    ).fetchone()
    return None if row is None else row[0]


def _latest_check(db: Database, workshop_id: int) -> int | None:
    row = db.execute(
        "SELECT id FROM plan_checks WHERE workshop_id = ? ORDER BY id DESC LIMIT 1", [workshop_id]
    ).fetchone()
    return None if row is None else row[0]


def _announce(
    store: Store, db: Database, workshop: dict, check_id: int, *, progress: bool = False
) -> dict:
    """Record check.changed; a rating's progress goes to boards only (not every phone)."""
    summary = check_results(db, workshop["code"], check_id)
    assert summary is not None  # the check exists
    store.record(workshop["id"], protocol.CHECK_CHANGED, summary, boards_only=progress)
    return summary


def open_check(store: Store, code: Any) -> dict:
    """Open a new plan check (closing one still open)."""
    with store.transaction() as db:
        workshop = workshop_row(db, code)
        previous = _open_check(db, workshop["id"])
        if previous:
            db.table("plan_checks").update(previous, {"closed_at": now()})
        check_id = new_id(
            db.table("plan_checks").insert({"workshop_id": workshop["id"], "opened_at": now()})
        )
        opened = _announce(store, db, workshop, check_id)
        project_activity(store, workshop, "check")  # the room watches it fill in
        return opened


def close_check(store: Store, code: Any) -> dict:
    with store.transaction() as db:
        workshop = workshop_row(db, code)
        check_id = _open_check(db, workshop["id"])
        if check_id is None:
            raise Conflict("no plan check is open")
        db.table("plan_checks").update(check_id, {"closed_at": now()})
        return _announce(store, db, workshop, check_id)


def rate(
    store: Store,
    code: Any,
    voter: str,
    section_id: Any,
    rating: Any,
    comment: Any = None,
    author_label: str | None = None,
) -> dict:
    """This voter rates a section (again: changes the rating); a comment becomes a note."""
    if rating not in RATINGS:
        raise Invalid("rating must be one of: %(choices)s", choices=", ".join(RATINGS))
    section_id = optional_id(section_id, field="section_id")
    workshop = workshop_row(store.db, code)
    check_id = _open_check(store.db, workshop["id"])
    if check_id is None:
        raise Conflict("The plan check is not open right now.")
    if section_id not in {s["id"] for s in list_sections(store.db, workshop["id"])}:
        raise NotFound("no section %(id)s in this workshop", id=section_id)
    note_id = None
    if comment is not None and (not isinstance(comment, str) or comment.strip()):
        note, _ = create_note(
            store,
            code,
            text=comment,
            client_id=f"check-{check_id}-{secrets.token_hex(8)}",
            attendee_id=voter,
            section_id=section_id,
            source="phone",
            author_label=author_label,
            any_phase=True,
        )
        note_id = note["id"]
    with store.transaction() as db:
        db.table("plan_ratings").insert(
            {
                "check_id": check_id,
                "voter": voter,
                "section_id": section_id,
                "rating": rating,
                "note_id": note_id,
                "rated_at": now(),
            },
            replace=True,
        )
        _announce(store, db, workshop, check_id, progress=True)
    return {"section_id": section_id, "rating": rating, "note_id": note_id}


def check_results(db: Database, code: Any, check_id: int | None = None) -> dict | None:
    """Per section: how many rated it workable / needs changes / not workable, and comments."""
    workshop = workshop_row(db, code)
    check_id = check_id or _latest_check(db, workshop["id"])
    if check_id is None:
        return None
    opened_at, closed_at = db.execute(
        "SELECT opened_at, closed_at FROM plan_checks WHERE id = ?", [check_id]
    ).fetchone()
    sections = []
    for section in list_sections(db, workshop["id"]):
        counts = dict.fromkeys(RATINGS, 0)
        comment_ids = []
        for rating, note_id in db.execute(
            "SELECT rating, note_id FROM plan_ratings WHERE check_id = ? AND section_id = ?",
            [check_id, section["id"]],
        ):
            counts[rating] += 1
            if note_id is not None:
                comment_ids.append(note_id)
        sections.append(
            {
                "section_id": section["id"],
                "title": section["title"],
                "counts": counts,
                "comment_note_ids": comment_ids,
            }
        )
    (people,) = db.execute(
        "SELECT count(DISTINCT voter) FROM plan_ratings WHERE check_id = ?", [check_id]
    ).fetchone()
    return {
        "id": check_id,
        "workshop": workshop["code"],
        "open": closed_at is None,
        "opened_at": opened_at,
        "participants": people,
        "sections": sections,
    }


def my_ratings(db: Database, code: Any, voter: str) -> dict:
    workshop = workshop_row(db, code)
    check_id = _open_check(db, workshop["id"])
    if check_id is None:
        return {}
    return dict(
        db.execute(
            "SELECT section_id, rating FROM plan_ratings WHERE check_id = ? AND voter = ?",
            [check_id, voter],
        ).fetchall()
    )
