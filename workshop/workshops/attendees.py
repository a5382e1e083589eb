"""Attendees: a phone joins a workshop, anonymously unless it gives a name."""

from __future__ import annotations

import secrets
from typing import Any

from sqlite_utils import Database

from workshop.core.db import Store
from workshop.core.errors import Invalid
from workshop.core.i18n import N_
from workshop.core.text import clean_text
from workshop.workshops.workshops import now, workshop_row

NAME_MAX = 40


def new_attendee_id() -> str:
    return secrets.token_urlsafe(12)


def join(
    store: Store, code: Any, attendee_id: str, name: Any = None, address: str | None = None
) -> dict:
    """Register ``attendee_id`` in the workshop (again is fine); a name given replaces the old.
    ``address`` (where it joined from) is kept only as the workshop's keyed hash of it, to
    count ballots per address (workshop.voting.ballots)."""
    from workshop.voting.ballots import address_hash

    if name is not None and not isinstance(name, str):
        raise Invalid("name must be text")
    name = clean_text(name, field=N_("name"), max_length=NAME_MAX, required=False) or None
    with store.transaction() as db:
        workshop = workshop_row(db, code)
        key = (workshop["id"], attendee_id)
        existing = db.table("attendees").get(key) if _exists(db, *key) else None
        if existing is None:
            db.table("attendees").insert(
                {
                    "workshop_id": workshop["id"],
                    "id": attendee_id,
                    "name": name,
                    "address": address_hash(db, workshop["id"], address),
                    "created_at": now(),
                }
            )
        elif name is not None:
            db.table("attendees").update(key, {"name": name})
    attendee = get_attendee(store.db, code, attendee_id)
    assert attendee is not None  # joined just now
    return attendee


def _exists(db: Database, workshop_id: int, attendee_id: str) -> bool:
    return bool(
        db.execute(
            "SELECT 1 FROM attendees WHERE workshop_id = ? AND id = ?", [workshop_id, attendee_id]
        ).fetchone()
    )


def get_attendee(
    db: Database, code: Any, attendee_id: str | None, *, workshop: dict | None = None
) -> dict | None:
    """The attendee, or None if this phone has not joined this workshop. ``workshop``: its
    row, when the caller has just read it."""
    if attendee_id is None:
        return None
    workshop = workshop or workshop_row(db, code)
    row = db.execute(
        "SELECT id, name FROM attendees WHERE workshop_id = ? AND id = ?",
        [workshop["id"], attendee_id],
    ).fetchone()
    return None if row is None else {"attendee_id": row[0], "name": row[1]}
