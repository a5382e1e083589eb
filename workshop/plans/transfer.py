"""A session's place in its plan, carried in the session's export (workshop.records.exports)
so it can be imported into the same plan on another laptop.

Plans, their sections and sessions are known everywhere by a ``uid`` (random, made once),
not by their row ids, which differ between laptops. An export of a session carries the
plan's uid and current text, the session's uid, and which plan section each of the
session's sections copies. Importing it finds the plan by its uid (or creates it from that
text), links the imported sections to the plan's sections, and adds nothing at all when the
session's uid is already here: importing the same export twice is importing it once.
"""

from __future__ import annotations

import re
from typing import Any

from sqlite_utils import Database

from workshop.core.db import new_id
from workshop.core.errors import Invalid
from workshop.core.i18n import N_
from workshop.core.text import clean_text
from workshop.plans.plans import PLAN_CODE_LENGTH, add_plan_section, unused_plan_code
from workshop.plans.sessions import check_session
from workshop.workshops.workshops import (
    DESCRIPTION_MAX,
    SECTION_BODY_MAX,
    TITLE_MAX,
    now,
)

_UID = re.compile(r"^[0-9a-f]{16,64}$")


def export_block(db: Database, workshop_id: int) -> dict | None:
    """The session's plan for its export, or None for a workshop that is no plan's session."""
    session = next(db["plan_sessions"].rows_where("workshop_id = ?", [workshop_id]), None)
    if session is None:
        return None
    plan = db.table("plans").get(session["plan_id"])
    sections = list(
        db.query(
            """SELECT id, uid, title, body, position FROM plan_sections
               WHERE plan_id = ? ORDER BY position, id""",
            [plan["id"]],
        )
    )
    uid_of = {s["id"]: s["uid"] for s in sections}
    links = db.execute(
        """SELECT section_id, plan_section_id FROM plan_session_sections
           WHERE workshop_id = ? ORDER BY section_id""",
        [workshop_id],
    ).fetchall()
    return {
        "uid": plan["uid"],
        "code": plan["code"],
        "title": plan["title"],
        "description": plan["description"],
        "language": plan["language"],
        "version": plan["version"],
        "sections": [{k: s[k] for k in ("uid", "title", "body", "position")} for s in sections],
        "session": {k: session[k] for k in ("uid", "kind", "venue", "held_on", "plan_version")},
        "section_links": [[section_id, uid_of[plan_section]] for section_id, plan_section in links],
    }


def check_block(block: Any) -> dict:
    """The export's plan part, checked before anything is written (Invalid otherwise)."""
    if not isinstance(block, dict):
        raise Invalid("the export's plan must be an object")
    session = block.get("session")
    sections = block.get("sections")
    links = block.get("section_links")
    if not isinstance(session, dict) or not isinstance(sections, list):
        raise Invalid("the export's plan must name its session and sections")
    if not isinstance(links, list):
        raise Invalid("the export's plan must link the session's sections to the plan's")
    uids = [block.get("uid"), session.get("uid")] + [
        s.get("uid") if isinstance(s, dict) else None for s in sections
    ]
    if not all(isinstance(uid, str) and _UID.match(uid) for uid in uids):
        raise Invalid("the export's plan has a malformed id")
    kind, venue, held_on = check_session(
        session.get("kind"), session.get("venue"), session.get("held_on")
    )
    version = block.get("version")
    plan_version = session.get("plan_version")
    for number in (version, plan_version):
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise Invalid("the export's plan version must be a whole number of at least 1")
    known = {s["uid"] for s in sections}
    for link in links:
        if (
            not isinstance(link, list)
            or len(link) != 2
            or not isinstance(link[0], int)
            or link[1] not in known
        ):
            raise Invalid("the export's plan links a section to a plan section it does not hold")
    return {
        "uid": block["uid"],
        "code": block.get("code") if isinstance(block.get("code"), str) else "",
        "title": clean_text(block.get("title"), field=N_("title"), max_length=TITLE_MAX),
        "description": clean_text(
            block.get("description"),
            field=N_("description"),
            max_length=DESCRIPTION_MAX,
            required=False,
        ),
        "language": block.get("language") if isinstance(block.get("language"), str) else "en",
        "version": version,
        "sections": [
            {
                "uid": s["uid"],
                "title": clean_text(s.get("title"), field=N_("section title"), max_length=80),
                "body": clean_text(
                    s.get("body"),
                    field=N_("section body"),
                    max_length=SECTION_BODY_MAX,
                    required=False,
                ),
            }
            for s in sections
        ],
        "session": {
            "uid": session["uid"],
            "kind": kind,
            "venue": venue,
            "held_on": held_on,
            "plan_version": plan_version,
        },
        "section_links": [(link[0], link[1]) for link in links],
    }


def imported_already(db: Database, block: dict) -> str | None:
    """The join code of this session on this laptop, when it is already here."""
    row = db.execute(
        """SELECT w.code FROM plan_sessions s JOIN workshops w ON w.id = s.workshop_id
           WHERE s.uid = ?""",
        [block["session"]["uid"]],
    ).fetchone()
    return row[0] if row else None


def attach(db: Database, block: dict, workshop_id: int, section_ids: dict[Any, Any]) -> None:
    """Make the imported workshop a session of its plan (found by uid, or created from the
    export's text); ``section_ids`` maps the export's section ids to the imported ones."""
    plan = next(db["plans"].rows_where("uid = ?", [block["uid"]]), None)
    if plan is None:
        code = block["code"]
        taken = db.execute("SELECT 1 FROM plans WHERE code = ?", [code]).fetchone()
        if len(code) != PLAN_CODE_LENGTH or taken:
            code = unused_plan_code(db)
        plan_id = new_id(
            db.table("plans").insert(
                {
                    "uid": block["uid"],
                    "code": code,
                    "title": block["title"],
                    "description": block["description"],
                    "language": block["language"],
                    "version": block["version"],
                    "created_at": now(),
                }
            )
        )
    else:
        plan_id = plan["id"]
    plan_section = dict(
        db.execute("SELECT uid, id FROM plan_sections WHERE plan_id = ?", [plan_id]).fetchall()
    )
    for section in block["sections"]:  # sections this laptop's copy of the plan lacks
        if section["uid"] not in plan_section:
            (count,) = db.execute(
                "SELECT count(*) FROM plan_sections WHERE plan_id = ?", [plan_id]
            ).fetchone()
            plan_section[section["uid"]] = add_plan_section(
                db, plan_id, section["title"], section["body"], count, uid=section["uid"]
            )
    db.table("plan_sessions").insert(
        {**block["session"], "workshop_id": workshop_id, "plan_id": plan_id, "created_at": now()}
    )
    for old_section, uid in block["section_links"]:
        if old_section in section_ids:
            db.table("plan_session_sections").insert(
                {
                    "section_id": section_ids[old_section],
                    "workshop_id": workshop_id,
                    "plan_section_id": plan_section[uid],
                }
            )
