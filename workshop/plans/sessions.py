"""Sessions of a plan: workshops, focus groups and the online comment window, each a
workshop of its own (join code, cards, board) that starts from the plan's current text.

Each of the session's sections remembers the plan section it copies, so what a session heard
about "Timeline" is what the plan heard about it, whatever the session's board made of it.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from workshop.core.db import Store
from workshop.core.errors import Invalid
from workshop.core.i18n import N_
from workshop.core.text import clean_text
from workshop.followup.nextsteps import is_date
from workshop.plans.plans import KINDS, new_uid, plan_row, plan_sections
from workshop.workshops.workshops import (
    TITLE_MAX,
    create_workshop,
    get_workshop,
    now,
    workshop_row,
)

VENUE_MAX = 120


def check_session(kind: Any, venue: Any, held_on: Any) -> tuple[str, str, str]:
    """A session's kind, venue and date (YYYY-MM-DD, or empty when not yet set)."""
    kind = kind or "workshop"
    if kind not in KINDS:
        raise Invalid("kind must be one of: %(choices)s", choices=", ".join(KINDS))
    venue = clean_text(venue, field=N_("venue"), max_length=VENUE_MAX, required=False)
    held_on = held_on or ""
    if not isinstance(held_on, str) or (held_on and not is_date(held_on)):
        raise Invalid("date must be a date like 2027-03-01")
    return kind, venue, held_on


def create_session(
    store: Store,
    plan_code: Any,
    *,
    kind: Any = None,
    venue: Any = None,
    held_on: Any = None,
    title: Any = None,
    description: Any = None,
    prompts: Any = None,
    settings: Any = None,
) -> dict:
    """A new session of the plan: a workshop with the plan's current sections (a prompt's
    ``section`` names one by title), its kind, venue and date; the workshop as
    :func:`get_workshop` shows it, with ``session``."""
    kind, venue, held_on = check_session(kind, venue, held_on)
    with store.transaction() as db:
        plan = plan_row(db, plan_code)
        sections = plan_sections(db, plan["id"])
        if title is None:
            title = f"{plan['title']} · {venue}" if venue else plan["title"]
            title = title[:TITLE_MAX]
        if settings is None:
            settings = {"language": plan["language"]}
        elif isinstance(settings, dict):
            settings = {"language": plan["language"], **settings}
        workshop = create_workshop(
            store,
            title=title,
            description=plan["description"] if description is None else description,
            sections=[{"title": s["title"], "body": s["body"]} for s in sections],
            prompts=prompts,
            settings=settings,
        )
        workshop_id = workshop_row(db, workshop["code"])["id"]
        db.table("plan_sessions").insert(
            {
                "workshop_id": workshop_id,
                "plan_id": plan["id"],
                "uid": new_uid(),
                "kind": kind,
                "venue": venue,
                "held_on": held_on,
                "plan_version": plan["version"],
                "created_at": now(),
            }
        )
        # create_workshop keeps the order it is given: the nth section copies the nth.
        for copy, source in zip(workshop["sections"], sections, strict=True):
            db.table("plan_session_sections").insert(
                {
                    "section_id": copy["id"],
                    "workshop_id": workshop_id,
                    "plan_section_id": source["id"],
                }
            )
        code = workshop["code"]
    return {**get_workshop(store.db, code), "session": session_of(store.db, code)}


def session_of(db: Database, code: Any) -> dict | None:
    """The workshop's place in a plan (``plan``: the plan's code), or None for a workshop
    that is no plan's session."""
    workshop = workshop_row(db, code)
    row = next(
        db.query(
            """SELECT p.code AS plan, p.title AS plan_title, s.uid, s.kind, s.venue, s.held_on,
                      s.plan_version
               FROM plan_sessions s JOIN plans p ON p.id = s.plan_id
               WHERE s.workshop_id = ?""",
            [workshop["id"]],
        ),
        None,
    )
    return dict(row) if row else None
