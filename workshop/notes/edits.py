"""Changing notes after they are posted: the facilitator's edits (logged for undo, with the
old text kept in the note's history), a scribe's correction of a card, and an author's own
edit or withdrawal until the facilitator has sorted the note."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from workshop.board.moderation import logged
from workshop.core.db import Store, new_id
from workshop.core.errors import Conflict, Invalid, NotAllowed, NotFound
from workshop.core.i18n import N_
from workshop.core.text import clean_text, optional_id
from workshop.notes.notes import check_section, emit_note, get_note, next_position
from workshop.workshops.workshops import now, workshop_row

FACILITATOR_FIELDS = ("text", "section_id", "position", "group_id", "hidden")


def update_note(store: Store, note_id: Any, changes: Any) -> dict:
    """The facilitator's edit: any of text, section_id, position, group_id, hidden.

    Logged for undo (a text edit keeps the old text in the note's history) and marks the
    note as sorted, after which its author can no longer edit or withdraw it.
    """
    if not isinstance(changes, dict) or not changes:
        raise Invalid(
            "send an object with any of: %(fields)s", fields=", ".join(FACILITATOR_FIELDS)
        )
    unknown = sorted(set(changes) - set(FACILITATOR_FIELDS))
    if unknown:
        fields = ", ".join(FACILITATOR_FIELDS)
        raise Invalid(
            "cannot change %(unknown)s; fields: %(fields)s",
            unknown=", ".join(unknown),
            fields=fields,
        )
    note = get_note(store.db, note_id)
    update = _checked_update(store.db, note, changes)
    summary, params = _summary(note, update)
    with logged(store, note["workshop_id"], _action(update), summary, **params) as change:
        note = get_note(change.db, note_id)  # the state inside the transaction
        change.touch("notes", note["id"])
        if "text" in update and update["text"] != note["text"]:
            change.created("note_revisions", keep_revision(change.db, note))
        change.db.table("notes").update(note["id"], {**update, "sorted": 1, "updated_at": now()})
        fresh = emit_note(store, change.db, note["id"])
    return fresh


def _checked_update(db: Database, note: dict, changes: dict) -> dict[str, Any]:
    """Validate a facilitator's changes against the current state; nothing is written."""
    update: dict[str, Any] = {}
    if note["merged_into"] is not None:
        raise Conflict(
            "note %(id)s was merged into note %(target)s",
            id=note["id"],
            target=note["merged_into"],
        )
    if "text" in changes:
        settings = workshop_row(db, note["workshop"])["settings"]
        update["text"] = clean_text(
            changes["text"], field=N_("note"), max_length=settings["note_max_length"]
        )
    if "section_id" in changes:
        section_id = optional_id(changes["section_id"], field="section_id")
        check_section(db, note["workshop_id"], section_id)
        update["section_id"] = section_id
        if section_id != note["section_id"]:
            update["group_id"] = None
            update["position"] = next_position(db, note["workshop_id"], section_id)
    if "group_id" in changes:
        group_id = optional_id(changes["group_id"], field="group_id")
        update["group_id"] = group_id
        if group_id is not None:
            group = db.execute(
                "SELECT section_id FROM groups WHERE id = ? AND workshop_id = ?",
                [group_id, note["workshop_id"]],
            ).fetchone()
            if group is None:
                raise NotFound("no group %(id)s in this workshop", id=group_id)
            update["section_id"] = group[0]
    if "position" in changes:
        position = changes["position"]
        if isinstance(position, bool) or not isinstance(position, int | float):
            raise Invalid("position must be a number")
        update["position"] = float(position)
    if "hidden" in changes:
        if not isinstance(changes["hidden"], bool):
            raise Invalid("hidden must be true or false")
        update["hidden"] = int(changes["hidden"])
    return update


def _action(update: dict) -> str:
    if "hidden" in update:
        return "hide" if update["hidden"] else "show"
    if "text" in update:
        return "edit"
    return "move"


def _summary(note: dict, update: dict) -> tuple[str, dict]:
    """The log's msgid for this change, and its parameters."""
    if "hidden" in update:
        hid = update["hidden"]
        return (N_("Hid note #%(note)s") if hid else N_("Showed note #%(note)s")), {
            "note": note["id"]
        }
    if "text" in update:
        return N_("Edited note #%(note)s (was: %(text)s)"), {
            "note": note["id"],
            "text": note["text"][:60],
        }
    return N_("Moved note #%(note)s"), {"note": note["id"]}


def keep_revision(db: Database, note: dict) -> int:
    """Keep a note's current text in its history before it changes; return the revision id."""
    return new_id(
        db.table("note_revisions").insert(
            {"note_id": note["id"], "text": note["text"], "revised_at": now()}
        )
    )


def note_history(db: Database, note_id: Any) -> list[dict]:
    """Earlier texts of a note, oldest first."""
    note = get_note(db, note_id)
    return [
        {"text": row[0], "revised_at": row[1]}
        for row in db.execute(
            "SELECT text, revised_at FROM note_revisions WHERE note_id = ? ORDER BY id",
            [note["id"]],
        )
    ]


def correct_text(store: Store, note_id: Any, text: Any) -> dict:
    """Fix the text of a transcribed card (by a scribe or the facilitator)."""
    with store.transaction() as db:
        note = get_note(db, note_id)
        settings = workshop_row(db, note["workshop"])["settings"]
        text = clean_text(text, field=N_("note"), max_length=settings["note_max_length"])
        db.table("notes").update(note["id"], {"text": text, "updated_at": now()})
        return emit_note(store, db, note["id"])


def _own_unsorted_note(db: Database, note_id: Any, attendee_id: str | None) -> dict:
    note = get_note(db, note_id)
    if attendee_id is None or note["attendee_id"] != attendee_id:
        raise NotAllowed("only the person who wrote this note can change it")
    if note["sorted"]:
        raise Conflict("the facilitator has already sorted this note, so it can no longer change")
    return note


def edit_own_note(store: Store, note_id: Any, attendee_id: str | None, text: Any) -> dict:
    """An attendee corrects their own note, until the facilitator has sorted it."""
    with store.transaction() as db:
        note = _own_unsorted_note(db, note_id, attendee_id)
        settings = workshop_row(db, note["workshop"])["settings"]
        text = clean_text(text, field=N_("note"), max_length=settings["note_max_length"])
        db.table("notes").update(note["id"], {"text": text, "updated_at": now()})
        return emit_note(store, db, note["id"])


def delete_own_note(store: Store, note_id: Any, attendee_id: str | None) -> dict:
    """An attendee withdraws their own note, until the facilitator has sorted it."""
    with store.transaction() as db:
        note = _own_unsorted_note(db, note_id, attendee_id)
        db.table("notes").delete(note["id"])
        gone = {"id": note["id"], "deleted": True}
        store.record(note["workshop_id"], "note.deleted", gone, attendee_id=attendee_id)
    return gone
