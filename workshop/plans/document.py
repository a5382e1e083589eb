"""The user-informed plan as published: the revised plan section by section with what
changed and why, the commitments and their history, and what was heard but not taken up.

One gathering of plain data for the public plan page and for ``plan.pdf`` / the "you said,
we did" poster (printables.plan), so the page and the paper never disagree. Only what the
public may see goes in: no hidden or withdrawn note, nobody's attendee id.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from workshop.plans.commitments import list_steps
from workshop.plans.heard import plan_heard
from workshop.plans.plans import channel_of, get_plan, plan_row, section_revisions


def plan_document(db: Database, code: Any, public_url: str) -> dict:
    """The plan as a city publishes it; ``public_url`` is the public page's address (for
    the QR codes)."""
    plan = get_plan(db, code)
    sections = [
        {
            "id": section["id"],
            "title": section["title"],
            "body": section["body"],
            "version": section["version"],
            "changes": list(reversed(section_revisions(db, section["id"]))),  # newest first
        }
        for section in plan["sections"]
    ]
    steps = list_steps(db, code)
    return {
        "code": plan["code"],
        "title": plan["title"],
        "description": plan["description"],
        "language": plan["language"],
        "version": plan["version"],
        "public_url": public_url,
        "sessions": plan["sessions"],
        "sections": sections,
        "steps": steps,
        "not_taken_up": not_taken_up(db, code, steps),
        "counts": {
            "notes": plan_heard(db, code)["total"],  # what the boards show (docs/numbers.md)
            "revisions": sum(len(s["changes"]) for s in sections),
            "steps": len(steps),
            "done": sum(1 for step in steps if step["status"] == "done"),
        },
    }


def not_taken_up(db: Database, code: Any, steps: list[dict]) -> list[dict]:
    """What was heard and not taken up, each with the reason: notes marked out of scope on
    a session's board, and declined commitments."""
    plan = plan_row(db, code)
    notes = [
        {
            "type": "note",
            "text": row["text"],
            "reason": row["outcome_reason"] or "",
            "channel": channel_of(row, row["kind"]),
            "session": row["session"],
            "session_title": row["session_title"],
            "kind": row["kind"],
            "venue": row["venue"],
            "held_on": row["held_on"],
        }
        for row in db.query(
            """SELECT n.text, n.outcome_reason, n.source, n.online, s.kind, s.venue,
                      s.held_on, w.code AS session, w.title AS session_title
               FROM notes n JOIN plan_sessions s ON s.workshop_id = n.workshop_id
               JOIN workshops w ON w.id = n.workshop_id
               WHERE s.plan_id = ? AND n.outcome = 'out-of-scope' AND n.hidden = 0
                 AND n.withdrawn_at IS NULL AND n.merged_into IS NULL
               ORDER BY s.held_on, w.id, n.id""",
            [plan["id"]],
        )
    ]
    declined = [
        {"type": "step", "text": step["text"], "reason": step["reason"]}
        for step in steps
        if step["status"] == "declined"
    ]
    return declined + notes
