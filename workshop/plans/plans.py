"""Plans: a draft plan of its own (sections and text, versioned), revised citing the notes
of any of its sessions.

A plan's ``version`` starts at 1 (the draft) and goes up by one with every revision; each
revision keeps the text before and after, who made it, when, why, and the notes behind it.
Sessions (workshop.plans.sessions) copy the plan's current text when they start.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlite_utils import Database

from workshop.core.codes import normalise, random_code
from workshop.core.db import Store, new_id
from workshop.core.errors import Conflict, Invalid, NotFound
from workshop.core.i18n import N_, is_language, translations
from workshop.core.text import clean_text
from workshop.workshops.workshops import (
    DEFAULT_SECTIONS,
    DESCRIPTION_MAX,
    SECTION_BODY_MAX,
    TITLE_MAX,
    check_sections,
    now,
)

PLAN_CODE_LENGTH = 5  # one longer than a join code: a plan's code is never read as one
REASON_MAX = 1000
BY_MAX = 80
MAX_CITED = 100

# What a session is: a public workshop, an expert focus group, or the online comment window.
KINDS = ("workshop", "focus-group", "online")
KIND_LABELS = {"workshop": N_("workshop"), "focus-group": N_("focus group"), "online": N_("online")}
# How a voice reached the plan; "facilitator" is what the facilitator typed in for the room.
CHANNELS = ("phone", "paper", "online", "facilitator")
CHANNEL_LABELS = {
    "phone": N_("phone"),
    "paper": N_("paper"),
    "online": N_("online"),
    "facilitator": N_("facilitator"),
}


def channel_of(note: Any, kind: str) -> str:
    """The channel a note came by: online when posted in the online comment window (or to
    an online session from a phone), else its source (phone, paper, facilitator)."""
    if note["online"] or (kind == "online" and note["source"] == "phone"):
        return "online"
    return str(note["source"])


def new_uid() -> str:
    """A plan's, a section's or a session's id on every laptop (exports carry it)."""
    return secrets.token_hex(16)


def create_plan(
    store: Store,
    *,
    title: Any,
    description: Any = None,
    sections: Any = None,
    language: Any = None,
) -> dict:
    """A new plan at version 1; ``sections`` default to the seed's plan parts, in
    ``language`` (English when not given)."""
    title = clean_text(title, field=N_("title"), max_length=TITLE_MAX)
    description = clean_text(
        description, field=N_("description"), max_length=DESCRIPTION_MAX, required=False
    )
    language = language or "en"
    if not isinstance(language, str) or not is_language(language):
        raise Invalid("language must be one of the languages the product speaks")
    if sections is None:
        words = translations(language).gettext
        sections = [{"title": words(t), "body": words(b)} for t, b in DEFAULT_SECTIONS]
    rows = check_sections(sections)
    with store.transaction() as db:
        code = unused_plan_code(db)
        plan_id = new_id(
            db.table("plans").insert(
                {
                    "uid": new_uid(),
                    "code": code,
                    "title": title,
                    "description": description,
                    "language": language,
                    "version": 1,
                    "created_at": now(),
                }
            )
        )
        for position, row in enumerate(rows):
            add_plan_section(db, plan_id, row["title"], row["body"], position)
    return get_plan(store.db, code)


def add_plan_section(
    db: Database, plan_id: int, title: str, body: str, position: int, uid: str | None = None
) -> int:
    return new_id(
        db.table("plan_sections").insert(
            {
                "plan_id": plan_id,
                "uid": uid or new_uid(),
                "title": title,
                "body": body,
                "position": position,
                "created_at": now(),
            }
        )
    )


def unused_plan_code(db: Database) -> str:
    for _ in range(100):
        code = random_code(PLAN_CODE_LENGTH)
        if not db.execute("SELECT 1 FROM plans WHERE code = ?", [code]).fetchone():
            return code
    raise RuntimeError("no free plan code left")  # 4 million codes: not reached in practice


def plan_row(db: Database, code: Any) -> dict:
    """The plans row for a plan code (case and dashes ignored), or :class:`NotFound`."""
    if not isinstance(code, str):
        raise NotFound("no such plan")
    row = next(db["plans"].rows_where("code = ?", [normalise(code)], limit=1), None)
    if row is None:
        raise NotFound("no plan with the code '%(code)s'", code=code[:12])
    return row


def plan_sections(db: Database, plan_id: int) -> list[dict]:
    """The plan's current text, section by section, each with the version it was last
    revised at (1: the draft's words)."""
    return [
        dict(row)
        for row in db.query(
            """SELECT s.id, s.uid, s.title, s.body, s.position,
                      coalesce((SELECT max(r.plan_version) FROM plan_revisions r
                                WHERE r.plan_section_id = s.id), 1) AS version
               FROM plan_sections s WHERE s.plan_id = ? ORDER BY s.position, s.id""",
            [plan_id],
        )
    ]


def get_plan(db: Database, code: Any) -> dict:
    """The plan as the API shows it: its current text and its sessions."""
    row = plan_row(db, code)
    return {
        "code": row["code"],
        "uid": row["uid"],
        "title": row["title"],
        "description": row["description"],
        "language": row["language"],
        "version": row["version"],
        "created_at": row["created_at"],
        "sections": plan_sections(db, row["id"]),
        "sessions": list_sessions(db, row["id"]),
    }


def list_plans(db: Database) -> list[dict]:
    """Every plan, newest first, with how many sessions it has."""
    return [
        dict(row)
        for row in db.query(
            """SELECT p.code, p.title, p.version, p.created_at,
                      (SELECT count(*) FROM plan_sessions s WHERE s.plan_id = p.id) AS sessions
               FROM plans p ORDER BY p.id DESC"""
        )
    ]


def list_sessions(db: Database, plan_id: int) -> list[dict]:
    """The plan's sessions in the order they are held (undated last), each with its
    workshop's join code, title and phase."""
    return [
        dict(row)
        for row in db.query(
            """SELECT w.code, w.title, w.phase, s.uid, s.kind, s.venue, s.held_on,
                      s.plan_version, s.created_at
               FROM plan_sessions s JOIN workshops w ON w.id = s.workshop_id
               WHERE s.plan_id = ? ORDER BY s.held_on = '', s.held_on, w.id""",
            [plan_id],
        )
    ]


def get_plan_section(db: Database, section_id: Any) -> dict:
    if isinstance(section_id, bool) or not isinstance(section_id, int):
        raise NotFound("no such plan section")
    row = next(db["plan_sections"].rows_where("id = ?", [section_id], limit=1), None)
    if row is None:
        raise NotFound("no plan section %(id)s", id=section_id)
    return row


def revise_section(store: Store, section_id: Any, changes: Any) -> dict:
    """Change a plan section's title and/or body, saying why (``reason``) and citing the
    notes, from any session of the plan, that prompted it (``note_ids``); ``by`` says who.
    The plan's version goes up by one."""
    if not isinstance(changes, dict):
        raise Invalid("send an object with title and/or body, reason and note_ids")
    unknown = sorted(set(changes) - {"title", "body", "reason", "note_ids", "by"})
    if unknown:
        raise Invalid(
            "a revision has no %(unknown)s; fields: %(fields)s",
            unknown=", ".join(unknown),
            fields="title, body, reason, note_ids, by",
        )
    if not set(changes) & {"title", "body"}:
        raise Invalid("a revision changes the title or the body")
    reason = clean_text(
        changes.get("reason"), field=N_("reason"), max_length=REASON_MAX, required=False
    )
    if not reason:
        raise Invalid("say why the section changes (reason): the published plan shows it")
    by = clean_text(changes.get("by"), field=N_("who"), max_length=BY_MAX, required=False)
    with store.transaction() as db:
        section = get_plan_section(db, section_id)
        title, body = section["title"], section["body"]
        if "title" in changes:
            title = clean_text(changes["title"], field=N_("section title"), max_length=80)
            for other in plan_sections(db, section["plan_id"]):
                same = other["title"].casefold() == title.casefold()
                if same and other["id"] != section["id"]:
                    raise Invalid("two sections are called '%(title)s'", title=title)
        if "body" in changes:
            body = clean_text(
                changes["body"],
                field=N_("section body"),
                max_length=SECTION_BODY_MAX,
                required=False,
            )
        if (title, body) == (section["title"], section["body"]):
            raise Invalid("the revision changes nothing: the section already reads so")
        cited = cited_notes(db, section["plan_id"], changes.get("note_ids"))
        db.execute("UPDATE plans SET version = version + 1 WHERE id = ?", [section["plan_id"]])
        (version,) = db.execute(
            "SELECT version FROM plans WHERE id = ?", [section["plan_id"]]
        ).fetchone()
        db.table("plan_sections").update(section["id"], {"title": title, "body": body})
        revision_id = new_id(
            db.table("plan_revisions").insert(
                {
                    "plan_section_id": section["id"],
                    "plan_version": version,
                    "title": title,
                    "body": body,
                    "previous_title": section["title"],
                    "previous_body": section["body"],
                    "reason": reason,
                    "revised_by": by or "facilitator",
                    "revised_at": now(),
                }
            )
        )
        for note_id, workshop_id in cited:
            db.table("plan_revision_notes").insert(
                {"revision_id": revision_id, "note_id": note_id, "workshop_id": workshop_id}
            )
    return revision_json(store.db, revision_id)


def cited_notes(db: Database, plan_id: int, note_ids: Any) -> list[tuple[int, int]]:
    """(note id, its workshop's id) for each note named, each a visible note of one of the
    plan's sessions: a hidden or withdrawn note is never quoted in the published plan."""
    if note_ids is None:
        return []
    if (
        not isinstance(note_ids, list)
        or len(note_ids) > MAX_CITED
        or not all(isinstance(n, int) and not isinstance(n, bool) for n in note_ids)
    ):
        raise Invalid("note_ids must be a list of at most %(limit)s note ids", limit=MAX_CITED)
    found = []
    for note_id in dict.fromkeys(note_ids):
        row = db.execute(
            """SELECT n.workshop_id, n.hidden, n.withdrawn_at FROM notes n
               JOIN plan_sessions s ON s.workshop_id = n.workshop_id
               WHERE n.id = ? AND s.plan_id = ?""",
            [note_id, plan_id],
        ).fetchone()
        if row is None:
            raise NotFound("no note %(id)s in a session of this plan", id=note_id)
        if row[1] or row[2] is not None:
            raise Conflict("note %(id)s is hidden or withdrawn: it cannot be cited", id=note_id)
        found.append((note_id, row[0]))
    return found


def revision_json(db: Database, revision_id: int) -> dict:
    row = dict(db.table("plan_revisions").get(revision_id))
    row["notes"] = quoted_notes(db, "plan_revision_notes", "revision_id", revision_id)
    return row


def section_revisions(db: Database, section_id: Any) -> list[dict]:
    """Every revision of a plan section, oldest first, with the notes each cites."""
    section = get_plan_section(db, section_id)
    return [
        revision_json(db, row["id"])
        for row in db.query(
            "SELECT id FROM plan_revisions WHERE plan_section_id = ? ORDER BY id", [section["id"]]
        )
    ]


def quoted_notes(db: Database, table: str, key: str, value: int) -> list[dict]:
    """The notes a revision or a next step cites, with the session each came from; a note
    hidden or withdrawn since, or deleted for good, is left out."""
    rows = db.query(
        f"""SELECT n.id, n.text, n.source, n.online, w.code AS session, w.title AS session_title,
                   s.kind, s.venue, s.held_on
            FROM {table} c JOIN notes n ON n.id = c.note_id
            JOIN workshops w ON w.id = n.workshop_id
            JOIN plan_sessions s ON s.workshop_id = n.workshop_id
            WHERE c.{key} = ? AND n.hidden = 0 AND n.withdrawn_at IS NULL
            ORDER BY s.held_on, w.id, n.id""",
        [value],
    )
    return [
        {
            "id": row["id"],
            "text": row["text"],
            "channel": channel_of(row, row["kind"]),
            "session": row["session"],
            "session_title": row["session_title"],
            "kind": row["kind"],
            "venue": row["venue"],
            "held_on": row["held_on"],
        }
        for row in rows
    ]
