"""Running the room: reveal what blind writing and hidden tallies kept back; the timer."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from workshop.core import protocol
from workshop.core.db import Store
from workshop.core.errors import Invalid
from workshop.workshops.workshops import (
    get_workshop,
    refuse_changes_once_archived,
    timer_state,
    workshop_row,
)

REVEALABLE = ("notes", "tallies")
MAX_TIMER_SECONDS = 4 * 3600


def set_revealed(store: Store, code: Any, what: Any, shown: Any) -> dict:
    """Reveal (or hide again) the notes of a blind gather, or the vote tallies."""
    if what not in REVEALABLE:
        raise Invalid("reveal one of: %(choices)s", choices=", ".join(REVEALABLE))
    if not isinstance(shown, bool):
        raise Invalid("revealed must be true or false")
    with store.transaction() as db:
        workshop = workshop_row(db, code)
        revealed = {**workshop["revealed"], what: shown}
        db.table("workshops").update(workshop["id"], {"revealed": json.dumps(revealed)})
        store.record(
            workshop["id"],
            protocol.WORKSHOP_CHANGED,
            {"code": workshop["code"], "revealed": revealed},
        )
    return get_workshop(store.db, code)


def control_timer(
    store: Store, code: Any, action: Any, seconds: Any = None, label: Any = None
) -> dict | None:
    """start (seconds, label), pause, resume, add (seconds), stop."""
    actions = ("start", "pause", "resume", "add", "stop")
    if action not in actions:
        raise Invalid("action must be one of: %(choices)s", choices=", ".join(actions))
    if action in ("start", "add") and (
        isinstance(seconds, bool)
        or not isinstance(seconds, int)
        or not 1 <= seconds <= MAX_TIMER_SECONDS
    ):
        raise Invalid("seconds must be a whole number from 1 to %(limit)s", limit=MAX_TIMER_SECONDS)
    if label is not None and (not isinstance(label, str) or len(label) > 60):
        raise Invalid("label must be text of at most 60 characters")
    with store.transaction() as db:
        workshop = workshop_row(db, code)
        timer = workshop["timer"]
        clock = time.time()
        if action == "start":
            timer = {
                "running": True,
                "ends_at": clock + seconds,
                "left": float(seconds),
                "total": seconds,
                "label": label or "",
            }
        elif timer is None:
            raise Invalid("there is no timer; start one first")
        elif action == "pause" and timer["running"]:
            timer = {**timer, "running": False, "left": max(0.0, timer["ends_at"] - clock)}
        elif action == "resume" and not timer["running"]:
            timer = {**timer, "running": True, "ends_at": clock + timer["left"]}
        elif action == "add" and timer["running"]:  # if it had run out, count from now
            ends_at = max(timer["ends_at"], clock) + seconds
            timer = {**timer, "ends_at": ends_at, "total": timer["total"] + seconds}
        elif action == "add":
            timer = {**timer, "left": timer["left"] + seconds, "total": timer["total"] + seconds}
        elif action == "stop":
            timer = None
        db.table("workshops").update(
            workshop["id"], {"timer": json.dumps(timer) if timer else None}
        )
        state = timer_state(timer, clock)
        store.record(
            workshop["id"], protocol.TIMER_CHANGED, {"code": workshop["code"], "timer": state}
        )
    return state


def set_settings(store: Store, code: Any, settings: dict) -> dict:
    """Store already-validated settings (see workshop.settings) and tell every screen."""
    with store.transaction() as db:
        workshop = workshop_row(db, code)
        db.table("workshops").update(workshop["id"], {"settings": json.dumps(settings)})
        store.record(
            workshop["id"],
            protocol.WORKSHOP_CHANGED,
            {"code": workshop["code"], "settings": settings},
        )
    return get_workshop(store.db, code)


MAX_FEEDBACK_DAYS = 90


def set_feedback_window(store: Store, code: Any, days: Any) -> dict:
    """Keep the workshop open for online comments for ``days`` after the session (0 ends it)."""
    if (
        isinstance(days, bool)
        or not isinstance(days, int | float)
        or not 0 <= days <= MAX_FEEDBACK_DAYS
    ):
        raise Invalid("days must be a number from 0 to %(limit)s", limit=MAX_FEEDBACK_DAYS)
    until = None
    if days:
        until = (datetime.now(UTC) + timedelta(days=days)).isoformat(timespec="seconds")
    with store.transaction() as db:
        workshop = workshop_row(db, code)
        refuse_changes_once_archived(workshop)
        db.table("workshops").update(workshop["id"], {"feedback_until": until})
        store.record(
            workshop["id"],
            protocol.WORKSHOP_CHANGED,
            {"code": workshop["code"], "feedback_until": until},
        )
    return get_workshop(store.db, code)
