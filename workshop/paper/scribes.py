"""Scribe access: a link the facilitator hands to volunteers who transcribe paper cards.

A scribe link carries its own token (stored hashed, per workshop) that allows entering
cards' notes and photos in that workshop, and nothing else.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlite_utils import Database

from workshop.core.db import Store
from workshop.core.tokens import hash_token
from workshop.workshops.workshops import now, workshop_row


def create_scribe_token(store: Store, code: Any) -> str:
    """A new scribe token for the workshop (earlier ones stay valid)."""
    token = secrets.token_urlsafe(18)
    with store.transaction() as db:
        workshop = workshop_row(db, code)
        db.table("scribe_links").insert(
            {"token_hash": hash_token(token), "workshop_id": workshop["id"], "created_at": now()}
        )
    return token


def scribe_workshop(db: Database, token: Any) -> str | None:
    """The join code of the workshop a scribe token opens, or None."""
    if not isinstance(token, str) or not token:
        return None
    row = db.execute(
        """SELECT w.code FROM scribe_links s JOIN workshops w ON w.id = s.workshop_id
           WHERE s.token_hash = ?""",
        [hash_token(token)],
    ).fetchone()
    return None if row is None else row[0]
