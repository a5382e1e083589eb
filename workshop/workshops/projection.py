"""What the projector shows: the facilitator chooses, every public board follows.

The projection is part of the workshop's state (``workshops.projection``, JSON): which view
the room's screen shows (the board, one question big, the ranked notes, the card sort's
results, the next steps, the closing screen), the question it shows, and whether the
facilitator has frozen it (public boards keep what they show until it is shown again, so
the facilitator can rearrange in private). Changing it records ``projection.changed``.

A change of phase puts the projector back on that phase's own view and unfreezes it: a
room that moved on to voting must not stay on a card sort's results. Starting a card sort
or a plan check puts it on the projector (unless it is frozen), so the room sees it fill in.

What the projected view may show is still decided where every public answer is made
(``notes.public_json``: hidden notes, blind writing, hidden tallies); the projection only
chooses the view.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from workshop.core import protocol
from workshop.core.db import Store
from workshop.core.errors import Invalid

VIEWS = ("board", "question", "ranked", "sort", "check", "next-steps", "closing")

# Each phase's own view: where the projector goes when the room moves on.
PHASE_VIEWS = {
    "gather": "board",
    "sort": "board",
    "vote": "board",
    "next-steps": "next-steps",
    "closed": "closing",
}


def default_projection(phase: str) -> dict[str, Any]:
    return {"view": PHASE_VIEWS.get(phase, "board"), "prompt_id": None, "frozen": False}


def projection_of(row: dict) -> dict[str, Any]:
    """The projection stored on a workshops row, or its phase's default."""
    stored = row.get("projection")
    if not stored:
        return default_projection(row["phase"])
    return {**default_projection(row["phase"]), **json.loads(stored)}


def _prompt_ids(db: Database, workshop_id: int) -> set[int]:
    return {r[0] for r in db.execute("SELECT id FROM prompts WHERE workshop_id = ?", [workshop_id])}


def check_projection(db: Database, row: dict, data: Any) -> dict[str, Any]:
    """The new projection from a (partial) request: any of ``{view, prompt_id, frozen}``.

    A question view needs one of the workshop's prompts; any other view drops it."""
    if not isinstance(data, dict) or not data.keys() & {"view", "prompt_id", "frozen"}:
        raise Invalid("send any of: view, prompt_id, frozen")
    current = projection_of(row)
    view = data.get("view", current["view"])
    if view not in VIEWS:
        raise Invalid("view must be one of: %(choices)s", choices=", ".join(VIEWS))
    frozen = data.get("frozen", current["frozen"])
    if not isinstance(frozen, bool):
        raise Invalid("frozen must be true or false")
    prompt_id = data.get("prompt_id", current["prompt_id"] if view == "question" else None)
    if view == "question":
        if isinstance(prompt_id, bool) or not isinstance(prompt_id, int):
            raise Invalid("choose the question to show (prompt_id)")
        if prompt_id not in _prompt_ids(db, row["id"]):
            raise Invalid("prompt %(id)s is not one of this workshop's questions", id=prompt_id)
    elif prompt_id is not None:
        raise Invalid("only the question view shows a prompt")
    return {"view": view, "prompt_id": prompt_id, "frozen": frozen}


def store_projection(store: Store, row: dict, projection: dict[str, Any]) -> dict[str, Any]:
    """Write ``projection`` on the workshop and tell every screen (inside a transaction)."""
    store.db.table("workshops").update(row["id"], {"projection": json.dumps(projection)})
    row["projection"] = json.dumps(projection)
    store.record(row["id"], protocol.PROJECTION_CHANGED, {"code": row["code"], **projection})
    return projection


def project_activity(store: Store, row: dict, view: str) -> None:
    """An activity just started: the projector shows it, unless the facilitator froze it."""
    current = projection_of(row)
    if not current["frozen"]:
        store_projection(store, row, {"view": view, "prompt_id": None, "frozen": False})
