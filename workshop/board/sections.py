"""The plan's text: the facilitator edits, adds, reorders and removes sections.

Each save of a section is a revision (when, by whom, and which notes prompted it), so the
report can show how the plan changed during the session. A removed section's notes go back
to Unsorted; nothing is lost.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from workshop.board.moderation import Change, logged
from workshop.board.sorting import emit_group
from workshop.core import protocol
from workshop.core.db import Store, new_id
from workshop.core.errors import Invalid, NotFound
from workshop.core.i18n import N_
from workshop.core.text import clean_text
from workshop.notes.notes import emit_note
from workshop.workshops.workshops import SECTION_BODY_MAX, now, workshop_row

TITLE_MAX = 80


def get_section(db: Database, section_id: Any) -> dict:
    if isinstance(section_id, bool) or not isinstance(section_id, int):
        raise NotFound("no such section")
    row = db.execute(
        "SELECT id, workshop_id, title, body, position, removed_at FROM sections WHERE id = ?",
        [section_id],
    ).fetchone()
    if row is None or row[5] is not None:
        raise NotFound("no section %(id)s", id=section_id)
    return dict(zip(("id", "workshop_id", "title", "body", "position"), row[:5], strict=True))


def section_json(section: dict, removed: bool = False) -> dict:
    return {
        "id": section["id"],
        "title": section["title"],
        "body": section["body"],
        "position": section["position"],
        "removed": removed,
    }


def _live_sections(db: Database, workshop_id: int) -> list[dict]:
    rows = db.execute(
        """SELECT id FROM sections WHERE workshop_id = ? AND removed_at IS NULL
           ORDER BY position, id""",
        [workshop_id],
    ).fetchall()
    return [get_section(db, row[0]) for row in rows]


def _check_title(db: Database, workshop_id: int, title: Any, except_id: int | None) -> str:
    title = clean_text(title, field=N_("section title"), max_length=TITLE_MAX)
    for other in _live_sections(db, workshop_id):
        if other["id"] != except_id and other["title"].casefold() == title.casefold():
            raise Invalid("two sections are called '%(title)s'", title=title)
    return title


def _renumber(change: Change, sections: list[dict]) -> None:
    for position, section in enumerate(sections):
        if section["position"] != position:
            change.touch("sections", section["id"])
            change.db.table("sections").update(section["id"], {"position": position})


def _emit_sections(store: Store, change: Change, workshop_id: int) -> None:
    for section_id in change.ids("sections"):
        row = change.db.table("sections").get(section_id)
        removed = row["removed_at"] is not None
        store.record(workshop_id, protocol.SECTION_CHANGED, section_json(dict(row), removed))
    for note_id in change.ids("notes"):
        emit_note(store, change.db, note_id)
    for group_id in change.ids("groups"):
        emit_group(store, change.db, group_id, workshop_id)


def add_section(store: Store, code: Any, title: Any, body: Any = None, index: Any = None) -> dict:
    workshop = workshop_row(store.db, code)
    added = N_("Added section “%(title)s”")
    shown = str(title)[:60]
    with logged(store, workshop["id"], "section", added, title=shown) as change:
        db = change.db
        title = _check_title(db, workshop["id"], title, None)
        body = clean_text(
            body, field=N_("section body"), max_length=SECTION_BODY_MAX, required=False
        )
        sections = _live_sections(db, workshop["id"])
        if index is None:
            index = len(sections)
        if isinstance(index, bool) or not isinstance(index, int):
            raise Invalid("index must be a whole number")
        section_id = new_id(
            db.table("sections").insert(
                {"workshop_id": workshop["id"], "title": title, "body": body, "position": 0}
            )
        )
        change.created("sections", section_id)
        sections.insert(max(0, min(index, len(sections))), get_section(db, section_id))
        _renumber(change, sections)
        _keep_revision(db, get_section(db, section_id), [], "facilitator")
        _emit_sections(store, change, workshop["id"])
        return section_json(get_section(db, section_id))


def edit_section(store: Store, section_id: Any, changes: Any) -> dict:
    """Change a section's title and/or body; ``note_ids`` names the notes that prompted it."""
    if not isinstance(changes, dict) or not set(changes) & {"title", "body"}:
        raise Invalid("send an object with title and/or body (and optionally note_ids)")
    if set(changes) - {"title", "body", "note_ids"}:
        raise Invalid("a section has only: title, body, note_ids")
    note_ids = changes.get("note_ids") or []
    if not isinstance(note_ids, list) or not all(
        isinstance(n, int) and not isinstance(n, bool) for n in note_ids
    ):
        raise Invalid("note_ids must be a list of note ids")
    section = get_section(store.db, section_id)
    summary = N_("Edited section “%(title)s”")
    title = section["title"][:60]
    with logged(store, section["workshop_id"], "section", summary, note_ids, title=title) as change:
        db = change.db
        section = get_section(db, section_id)
        update = {}
        if "title" in changes:
            update["title"] = _check_title(
                db, section["workshop_id"], changes["title"], section["id"]
            )
        if "body" in changes:
            update["body"] = clean_text(
                changes["body"],
                field=N_("section body"),
                max_length=SECTION_BODY_MAX,
                required=False,
            )
        for note_id in note_ids:
            found = db.execute(
                "SELECT 1 FROM notes WHERE id = ? AND workshop_id = ?",
                [note_id, section["workshop_id"]],
            ).fetchone()
            if not found:
                raise NotFound("no note %(id)s in this workshop", id=note_id)
        change.touch("sections", section["id"])
        db.table("sections").update(section["id"], update)
        fresh = get_section(db, section["id"])
        change.created("section_revisions", _keep_revision(db, fresh, note_ids, "facilitator"))
        _emit_sections(store, change, section["workshop_id"])
        return section_json(fresh)


def _keep_revision(db: Database, section: dict, note_ids: list[int], by: str) -> int:
    return new_id(
        db.table("section_revisions").insert(
            {
                "section_id": section["id"],
                "title": section["title"],
                "body": section["body"],
                "note_ids": json.dumps(note_ids),
                "revised_by": by,
                "revised_at": now(),
            }
        )
    )


def move_section(store: Store, section_id: Any, index: Any) -> list[dict]:
    if isinstance(index, bool) or not isinstance(index, int):
        raise Invalid("index must be a whole number")
    section = get_section(store.db, section_id)
    summary = N_("Moved section “%(title)s”")
    title = section["title"][:60]
    with logged(store, section["workshop_id"], "section", summary, title=title) as change:
        sections = [
            s for s in _live_sections(change.db, section["workshop_id"]) if s["id"] != section["id"]
        ]
        sections.insert(max(0, min(index, len(sections))), section)
        _renumber(change, sections)
        _emit_sections(store, change, section["workshop_id"])
        return [section_json(s) for s in _live_sections(change.db, section["workshop_id"])]


def remove_section(store: Store, section_id: Any) -> dict:
    """Remove a section; its notes and groups go back to Unsorted (kept, not deleted)."""
    section = get_section(store.db, section_id)
    summary = N_("Removed section “%(title)s”")
    title = section["title"][:60]
    with logged(store, section["workshop_id"], "section", summary, title=title) as change:
        db = change.db
        for (note_id,) in db.execute("SELECT id FROM notes WHERE section_id = ?", [section["id"]]):
            change.touch("notes", note_id)
        db.execute("UPDATE notes SET section_id = NULL WHERE section_id = ?", [section["id"]])
        for (group_id,) in db.execute(
            "SELECT id FROM groups WHERE section_id = ?", [section["id"]]
        ):
            change.touch("groups", group_id)
        db.execute("UPDATE groups SET section_id = NULL WHERE section_id = ?", [section["id"]])
        for (prompt_id,) in db.execute(
            "SELECT id FROM prompts WHERE section_id = ?", [section["id"]]
        ):
            change.touch("prompts", prompt_id)
        db.execute("UPDATE prompts SET section_id = NULL WHERE section_id = ?", [section["id"]])
        change.touch("sections", section["id"])
        db.table("sections").update(section["id"], {"removed_at": now()})
        _renumber(change, _live_sections(db, section["workshop_id"]))
        _emit_sections(store, change, section["workshop_id"])
    return section_json(section, removed=True)


def section_revisions(db: Database, section_id: Any) -> list[dict]:
    section = get_section(db, section_id)
    return [
        {
            "title": r[0],
            "body": r[1],
            "note_ids": json.loads(r[2]),
            "revised_by": r[3],
            "revised_at": r[4],
        }
        for r in db.execute(
            """SELECT title, body, note_ids, revised_by, revised_at FROM section_revisions
               WHERE section_id = ? ORDER BY id""",
            [section["id"]],
        )
    ]
