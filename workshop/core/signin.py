"""Signing the facilitator's browsers in and out: one-time tickets and revocable sessions.

A browser keeps every address it opened in its history, redirects and ``#fragments``
included (measured in Chromium: docs/security.md). So the link `workshop serve` prints
carries a **ticket**, not the facilitator token: it signs one browser in, once, within
``TICKET_HOURS``, and a copy of it found in a history afterwards opens nothing.

Each signed-in browser holds a **session**: a random id in its signed cookie whose hash
is kept here. Signing out closes it on the server, so a copied cookie stops working too;
"sign out every other browser" closes all but the caller's; ``workshop token --rotate``
closes them all (and changes the token).

Only hashes are stored, so a copy of the database signs nobody in.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from workshop.core.db import Store

TICKET_HOURS = 24  # the link printed when serving starts: used the same day
DEVICE_TICKET_MINUTES = 10  # "sign in another device": scanned there and then
DEVICE_LENGTH = 120


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def new_ticket(store: Store, *, lifetime: timedelta = timedelta(hours=TICKET_HOURS)) -> str:
    """A ticket that signs one browser in, once, before ``lifetime`` is up."""
    ticket = secrets.token_urlsafe(24)
    now = _now()
    with store.transaction() as db:
        db.table("sign_in_tickets").insert(
            {
                "hash": _hash(ticket),
                "created_at": _stamp(now),
                "expires_at": _stamp(now + lifetime),
            }
        )
        # Tickets long spent or expired say nothing any more: forget them.
        db.execute(
            "DELETE FROM sign_in_tickets WHERE expires_at < ?", [_stamp(now - timedelta(days=7))]
        )
    return ticket


def ticket_state(db: Database, ticket: Any) -> str:
    """``"valid"``, ``"used"``, ``"expired"`` or ``"unknown"``."""
    if not isinstance(ticket, str) or not ticket:
        return "unknown"
    row = db.execute(
        "SELECT expires_at, used_at FROM sign_in_tickets WHERE hash = ?", [_hash(ticket)]
    ).fetchone()
    if row is None:
        return "unknown"
    if row[1] is not None:
        return "used"
    return "valid" if row[0] > _stamp(_now()) else "expired"


def spend_ticket(store: Store, ticket: Any) -> bool:
    """Use ``ticket`` up; True when it was valid (only one browser can ever get True)."""
    if not isinstance(ticket, str) or not ticket:
        return False
    now = _stamp(_now())
    with store.transaction() as db:
        spent = db.execute(
            "UPDATE sign_in_tickets SET used_at = ? "
            "WHERE hash = ? AND used_at IS NULL AND expires_at > ?",
            [now, _hash(ticket), now],
        ).rowcount
    return spent == 1


def open_session(store: Store, device: str = "") -> str:
    """A new signed-in browser; the returned id goes into its cookie."""
    session_id = secrets.token_urlsafe(24)
    with store.transaction() as db:
        db.table("facilitator_sessions").insert(
            {
                "hash": _hash(session_id),
                "created_at": _stamp(_now()),
                "device": device[:DEVICE_LENGTH],
            }
        )
    return session_id


def session_hash(session_id: str) -> str:
    return _hash(session_id)


def session_open(db: Database, session_id: Any) -> bool:
    if not isinstance(session_id, str) or not session_id:
        return False
    row = db.execute(
        "SELECT signed_out_at FROM facilitator_sessions WHERE hash = ?", [_hash(session_id)]
    ).fetchone()
    return row is not None and row[0] is None


def close_sessions(store: Store, *, only: str | None = None, keep: str | None = None) -> int:
    """Sign out the session ``only`` (an id), or every open one but ``keep``; how many."""
    where, params = "signed_out_at IS NULL", [_stamp(_now())]
    if only is not None:
        where += " AND hash = ?"
        params.append(_hash(only))
    if keep is not None:
        where += " AND hash != ?"
        params.append(_hash(keep))
    with store.transaction() as db:
        return db.execute(
            f"UPDATE facilitator_sessions SET signed_out_at = ? WHERE {where}", params
        ).rowcount


def open_sessions(db: Database) -> list[dict]:
    """The browsers signed in now, newest first: ``{created_at, device}``."""
    return [
        {"created_at": row[0], "device": row[1]}
        for row in db.execute(
            "SELECT created_at, device FROM facilitator_sessions "
            "WHERE signed_out_at IS NULL ORDER BY created_at DESC, rowid DESC"
        )
    ]


def closed_since(db: Database, moment: str) -> list[str]:
    """Hashes of the sessions signed out at or after ``moment`` (for cutting their sockets)."""
    return [
        row[0]
        for row in db.execute(
            "SELECT hash FROM facilitator_sessions WHERE signed_out_at >= ?", [moment]
        )
    ]


def now_stamp() -> str:
    return _stamp(_now())
