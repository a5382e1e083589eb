"""Next steps: what the organisers commit to, each linked to the feedback it answers.

Also every note's outcome: answered (linked to a next step), merged (into another note),
out of scope (with a reason) or noted; the facilitator sees which notes have none yet.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlite_utils import Database

from workshop.core import protocol
from workshop.core.db import Store, new_id
from workshop.core.errors import Conflict, Invalid, NotFound
from workshop.core.i18n import N_
from workshop.core.text import clean_text
from workshop.notes.notes import emit_note, get_note
from workshop.workshops.workshops import now, workshop_row

STATUSES = ("planned", "considering", "declined", "done")
# A status as a sentence shows it, translated where shown.
STATUS_LABELS = {
    "planned": N_("planned"),
    "considering": N_("considering"),
    "declined": N_("declined"),
    "done": N_("done"),
}
OUTCOMES = ("out-of-scope", "noted")  # set by hand; "answered" and "merged" follow from links
TEXT_MAX = 500
OWNER_MAX = 80
REASON_MAX = 500


def get_next_step(db: Database, step_id: Any) -> dict:
    if isinstance(step_id, bool) or not isinstance(step_id, int):
        raise NotFound("no such next step")
    row = db.execute(
        """SELECT s.id, w.code, s.text, s.owner, s.due, s.status, s.reason, s.position,
                  s.created_at, s.updated_at, s.workshop_id
           FROM next_steps s JOIN workshops w ON w.id = s.workshop_id WHERE s.id = ?""",
        [step_id],
    ).fetchone()
    if row is None:
        raise NotFound("no next step %(id)s", id=step_id)
    keys = (
        "id",
        "workshop",
        "text",
        "owner",
        "due",
        "status",
        "reason",
        "position",
        "created_at",
        "updated_at",
        "workshop_id",
    )
    step = dict(zip(keys, row, strict=True))
    step["note_ids"] = [
        r[0]
        for r in db.execute(
            "SELECT note_id FROM next_step_links WHERE next_step_id = ? ORDER BY note_id", [step_id]
        )
    ]
    return step


def step_json(step: dict) -> dict:
    return {key: value for key, value in step.items() if key != "workshop_id"}


def list_next_steps(db: Database, code: Any) -> list[dict]:
    workshop = workshop_row(db, code)
    rows = db.execute(
        "SELECT id FROM next_steps WHERE workshop_id = ? ORDER BY position, id", [workshop["id"]]
    ).fetchall()
    return [step_json(get_next_step(db, row[0])) for row in rows]


def _fields(db: Database, workshop_id: int, data: dict, partial: bool) -> dict:
    allowed = {"text", "owner", "due", "status", "reason", "note_ids"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise Invalid(
            "a next step has no %(unknown)s; fields: %(fields)s",
            unknown=", ".join(unknown),
            fields=", ".join(sorted(allowed)),
        )
    fields: dict[str, Any] = {}
    if "text" in data or not partial:
        fields["text"] = clean_text(data.get("text"), field=N_("next step"), max_length=TEXT_MAX)
    if "owner" in data:
        fields["owner"] = clean_text(
            data["owner"], field=N_("owner"), max_length=OWNER_MAX, required=False
        )
    if "due" in data:
        due = data["due"] or ""
        if not isinstance(due, str) or (due and not is_date(due)):
            raise Invalid("due must be a date like 2027-03-01")
        fields["due"] = due
    if "status" in data or not partial:
        status = data.get("status") or "planned"
        if status not in STATUSES:
            raise Invalid("status must be one of: %(choices)s", choices=", ".join(STATUSES))
        fields["status"] = status
    if "reason" in data:
        fields["reason"] = clean_text(
            data["reason"], field=N_("reason"), max_length=REASON_MAX, required=False
        )
    if "note_ids" in data:
        fields["note_ids"] = _note_ids(db, workshop_id, data["note_ids"])
    return fields


def is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _note_ids(db: Database, workshop_id: int, note_ids: Any) -> list[int]:
    if note_ids is None:
        return []
    if not isinstance(note_ids, list) or not all(
        isinstance(n, int) and not isinstance(n, bool) for n in note_ids
    ):
        raise Invalid("note_ids must be a list of note ids")
    for note_id in note_ids:
        note = get_note(db, note_id)
        if note["workshop_id"] != workshop_id:
            raise NotFound("no note %(id)s in this workshop", id=note_id)
        if note["withdrawn_at"] is not None:
            raise Conflict("note %(id)s was withdrawn by its author", id=note_id)
    return list(dict.fromkeys(note_ids))


def _link(store: Store, db: Database, step_id: int, note_ids: list[int]) -> None:
    """Replace a next step's links, telling the screens about every note whose outcome moved."""
    before = {
        r[0]
        for r in db.execute("SELECT note_id FROM next_step_links WHERE next_step_id = ?", [step_id])
    }
    db.execute("DELETE FROM next_step_links WHERE next_step_id = ?", [step_id])
    for note_id in note_ids:
        db.table("next_step_links").insert({"next_step_id": step_id, "note_id": note_id})
    for note_id in sorted(before ^ set(note_ids)):
        emit_note(store, db, note_id)


def _announce(store: Store, db: Database, step_id: int) -> dict:
    step = get_next_step(db, step_id)
    store.record(step["workshop_id"], protocol.NEXT_STEP_CHANGED, step_json(step))
    return step_json(step)


def _check_reason(fields: dict, current: dict | None = None) -> None:
    status = fields.get("status", current and current["status"])
    reason = fields.get("reason", current and current["reason"])
    if status == "declined" and not reason:
        raise Invalid("a declined next step needs a reason, so people know why")


def create_next_step(store: Store, code: Any, data: Any) -> dict:
    if not isinstance(data, dict):
        raise Invalid("the body must be a JSON object")
    with store.transaction() as db:
        workshop = workshop_row(db, code)
        fields = _fields(db, workshop["id"], data, partial=False)
        _check_reason(fields)
        note_ids = fields.pop("note_ids", [])
        (count,) = db.execute(
            "SELECT count(*) FROM next_steps WHERE workshop_id = ?", [workshop["id"]]
        ).fetchone()
        step_id = new_id(
            db.table("next_steps").insert(
                {
                    "owner": "",
                    "due": "",
                    "reason": "",
                    **fields,
                    "workshop_id": workshop["id"],
                    "position": count,
                    "created_at": now(),
                    "updated_at": now(),
                }
            )
        )
        _link(store, db, step_id, note_ids)
        return _announce(store, db, step_id)


def update_next_step(store: Store, step_id: Any, data: Any) -> dict:
    if not isinstance(data, dict) or not data:
        raise Invalid("send an object with any of: text, owner, due, status, reason, note_ids")
    with store.transaction() as db:
        step = get_next_step(db, step_id)
        fields = _fields(db, step["workshop_id"], data, partial=True)
        _check_reason(fields, step)
        note_ids = fields.pop("note_ids", None)
        db.table("next_steps").update(step["id"], {**fields, "updated_at": now()})
        if note_ids is not None:
            _link(store, db, step["id"], note_ids)
        return _announce(store, db, step["id"])


def delete_next_step(store: Store, step_id: Any) -> dict:
    with store.transaction() as db:
        step = get_next_step(db, step_id)
        _link(store, db, step["id"], [])
        db.table("next_steps").delete(step["id"])
        gone = {"id": step["id"], "deleted": True}
        store.record(step["workshop_id"], protocol.NEXT_STEP_CHANGED, gone)
    return gone


def set_outcome(store: Store, note_id: Any, outcome: Any, reason: Any = None) -> dict:
    """Mark a note out of scope (with a reason) or noted; None clears it."""
    if outcome is not None and outcome not in OUTCOMES:
        raise Invalid("outcome must be one of: %(choices)s (or null)", choices=", ".join(OUTCOMES))
    reason = clean_text(reason, field=N_("reason"), max_length=REASON_MAX, required=False)
    if outcome == "out-of-scope" and not reason:
        raise Invalid("say why the note is out of scope")
    with store.transaction() as db:
        note = get_note(db, note_id)
        db.table("notes").update(note["id"], {"outcome": outcome, "outcome_reason": reason or None})
        return emit_note(store, db, note["id"])


def _same(message: str) -> str:
    return message


def outcome_of(
    db: Database, note: dict, translate: Callable[[str], str] = _same
) -> tuple[str | None, str | None]:
    """A note's outcome and its explanation, as the summary and the report show it; the
    explanation's own words in the language of ``translate`` (a catalogue's gettext)."""
    if note.get("merged_into"):
        return "merged", translate(N_("merged into note #%(id)s")) % {"id": note["merged_into"]}
    steps = db.execute(
        """SELECT s.text, s.status FROM next_step_links l JOIN next_steps s ON s.id = l.next_step_id
           WHERE l.note_id = ? ORDER BY s.position""",
        [note["id"]],
    ).fetchall()
    if steps:
        return "answered", "; ".join(
            f"{text} ({translate(STATUS_LABELS.get(status, status))})" for text, status in steps
        )
    row = db.execute(
        "SELECT outcome, outcome_reason FROM notes WHERE id = ?", [note["id"]]
    ).fetchone()
    return (row[0], row[1]) if row and row[0] else (None, None)


def notes_without_outcome(db: Database, code: Any) -> list[int]:
    workshop = workshop_row(db, code)
    rows = db.execute(
        """SELECT n.id FROM notes n WHERE n.workshop_id = ? AND n.merged_into IS NULL
             AND n.hidden = 0 AND n.withdrawn_at IS NULL AND n.outcome IS NULL
             AND NOT EXISTS (SELECT 1 FROM next_step_links l WHERE l.note_id = n.id)
           ORDER BY n.id""",
        [workshop["id"]],
    ).fetchall()
    return [row[0] for row in rows]
