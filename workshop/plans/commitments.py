"""The plan's commitments: next steps of the whole programme (owner, due date, status), each
citing the notes of any session it answers, and their progress over time.

Every change of status after the sessions is an update with a date and a note ("on track",
"done on 3 May"), kept in order: the public plan page shows the history, not just the
latest word. The statuses and the date rule are the next steps' (workshop.followup.nextsteps).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from workshop.core.db import Store, new_id
from workshop.core.errors import Invalid, NotFound
from workshop.core.i18n import N_
from workshop.core.text import clean_text
from workshop.followup.nextsteps import OWNER_MAX, REASON_MAX, STATUSES, TEXT_MAX, is_date
from workshop.plans.plans import cited_notes, plan_row, quoted_notes
from workshop.workshops.workshops import now

UPDATE_MAX = 500


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


def _date(value: Any, field: str) -> str:
    value = value or ""
    if not isinstance(value, str) or (value and not is_date(value)):
        raise Invalid("%(field)s must be a date like 2027-03-01", field=field)
    return value


def _status(value: Any) -> str:
    status = value or "planned"
    if status not in STATUSES:
        raise Invalid("status must be one of: %(choices)s", choices=", ".join(STATUSES))
    return status


def create_step(store: Store, plan_code: Any, data: Any) -> dict:
    """A commitment of the plan: ``{text, owner?, due?, status?, reason?, note_ids?}``; a
    declined one says why."""
    if not isinstance(data, dict):
        raise Invalid("the body must be a JSON object")
    unknown = sorted(set(data) - {"text", "owner", "due", "status", "reason", "note_ids"})
    if unknown:
        raise Invalid(
            "a next step has no %(unknown)s; fields: %(fields)s",
            unknown=", ".join(unknown),
            fields="text, owner, due, status, reason, note_ids",
        )
    text = clean_text(data.get("text"), field=N_("next step"), max_length=TEXT_MAX)
    owner = clean_text(data.get("owner"), field=N_("owner"), max_length=OWNER_MAX, required=False)
    due = _date(data.get("due"), "due")
    status = _status(data.get("status"))
    reason = clean_text(
        data.get("reason"), field=N_("reason"), max_length=REASON_MAX, required=False
    )
    if status == "declined" and not reason:
        raise Invalid("a declined next step needs a reason, so people know why")
    with store.transaction() as db:
        plan = plan_row(db, plan_code)
        cited = cited_notes(db, plan["id"], data.get("note_ids"))
        (count,) = db.execute(
            "SELECT count(*) FROM plan_steps WHERE plan_id = ?", [plan["id"]]
        ).fetchone()
        step_id = new_id(
            db.table("plan_steps").insert(
                {
                    "plan_id": plan["id"],
                    "text": text,
                    "owner": owner,
                    "due": due,
                    "status": status,
                    "reason": reason,
                    "position": count,
                    "created_at": now(),
                    "updated_at": now(),
                }
            )
        )
        for note_id, workshop_id in cited:
            db.table("plan_step_notes").insert(
                {"step_id": step_id, "note_id": note_id, "workshop_id": workshop_id}
            )
    return get_step(store.db, step_id)


def add_update(store: Store, step_id: Any, data: Any) -> dict:
    """Progress on a commitment: ``{status, note?, date?}`` (date: today when not given);
    the commitment takes the status. Declining needs a reason (the note)."""
    if not isinstance(data, dict):
        raise Invalid("the body must be a JSON object")
    unknown = sorted(set(data) - {"status", "note", "date"})
    if unknown:
        raise Invalid(
            "an update has no %(unknown)s; fields: %(fields)s",
            unknown=", ".join(unknown),
            fields="status, note, date",
        )
    if "status" not in data:
        raise Invalid("an update says the status: %(choices)s", choices=", ".join(STATUSES))
    status = _status(data["status"])
    note = clean_text(data.get("note"), field=N_("update"), max_length=UPDATE_MAX, required=False)
    on_date = _date(data.get("date"), "date") or _today()
    if status == "declined" and not note:
        raise Invalid("a declined next step needs a reason, so people know why")
    with store.transaction() as db:
        step = _step_row(db, step_id)
        db.table("plan_step_updates").insert(
            {
                "step_id": step["id"],
                "status": status,
                "note": note,
                "on_date": on_date,
                "created_at": now(),
            }
        )
        change: dict[str, Any] = {"status": status, "updated_at": now()}
        if status == "declined":
            change["reason"] = note
        db.table("plan_steps").update(step["id"], change)
    return get_step(store.db, step["id"])


def _step_row(db: Database, step_id: Any) -> dict:
    if isinstance(step_id, bool) or not isinstance(step_id, int):
        raise NotFound("no such next step")
    row = next(db["plan_steps"].rows_where("id = ?", [step_id], limit=1), None)
    if row is None:
        raise NotFound("no next step %(id)s", id=step_id)
    return row


def get_step(db: Database, step_id: Any) -> dict:
    """A commitment with the notes it answers and its updates, oldest first."""
    step = _step_row(db, step_id)
    return {
        **{k: step[k] for k in ("id", "text", "owner", "due", "status", "reason", "position")},
        "created_at": step["created_at"],
        "updated_at": step["updated_at"],
        "notes": quoted_notes(db, "plan_step_notes", "step_id", step["id"]),
        "updates": [
            dict(row)
            for row in db.query(
                """SELECT status, note, on_date, created_at FROM plan_step_updates
                   WHERE step_id = ? ORDER BY on_date, id""",
                [step["id"]],
            )
        ],
    }


def list_steps(db: Database, plan_code: Any) -> list[dict]:
    plan = plan_row(db, plan_code)
    return [
        get_step(db, row["id"])
        for row in db.query(
            "SELECT id FROM plan_steps WHERE plan_id = ? ORDER BY position, id", [plan["id"]]
        )
    ]
