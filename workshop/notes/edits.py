"""Changing notes after they are posted: the facilitator's edits (logged for undo), a scribe's
correction of a card, and an author's own edit or withdrawal while nobody has acted on the
note yet (:func:`author_may_change`). Every change of text keeps the old text, who changed
it and when (the note's history), so the record shows what the room saw and voted on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlite_utils import Database

from workshop.board.moderation import logged
from workshop.core.db import Store, new_id
from workshop.core.errors import Conflict, Invalid, NotAllowed, NotFound, WorkshopError
from workshop.core.i18n import N_
from workshop.core.text import clean_text, optional_id
from workshop.notes.notes import (
    check_section,
    emit_note,
    get_note,
    next_position,
    writing_closed,
    writing_open,
)
from workshop.workshops.workshops import now, workshop_row

FACILITATOR_FIELDS = ("text", "section_id", "position", "group_id", "hidden")
REVISERS = ("author", "facilitator", "scribe")

# Why an author may no longer change their note, in the order they are checked: once the room
# has acted on a note (sorted, merged, voted on, answered), its words are what the room saw.
LOCKS: dict[str, str] = {
    "withdrawn": N_("You have withdrawn this note."),
    "merged": N_("This note was merged with another, so its words can no longer change."),
    "next_step": N_("A next step answers this note, so its words can no longer change."),
    "voted": N_("This note has dots, so its words can no longer change."),
    "plus_one": N_("Others gave this note a +1, so its words can no longer change."),
    # While tallies are hidden the author is not told it is dots that fixed their note.
    "acted": N_("The room has already acted on this note, so its words can no longer change."),
    "sorted": N_("The facilitator has already sorted this note, so it can no longer change."),
}


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
    _check_not_withdrawn(note)
    update = _checked_update(store.db, note, changes)
    summary, params = _summary(note, update)
    with logged(store, note["workshop_id"], _action(update), summary, **params) as change:
        note = get_note(change.db, note_id)  # the state inside the transaction
        _check_not_withdrawn(note)
        change.touch("notes", note["id"])
        if "text" in update and update["text"] != note["text"]:
            change.created("note_revisions", keep_revision(change.db, note, "facilitator"))
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


def _check_not_withdrawn(note: dict) -> None:
    if note["withdrawn_at"] is not None:
        raise Conflict("note %(id)s was withdrawn by its author", id=note["id"])


def keep_revision(db: Database, note: dict, by: str) -> int:
    """Keep a note's current text in its history before it changes, with who changes it
    (author, facilitator or scribe); return the revision id."""
    if by not in REVISERS:
        raise ValueError(f"unknown reviser {by!r}")
    row = {"note_id": note["id"], "text": note["text"], "revised_by": by, "revised_at": now()}
    return new_id(db.table("note_revisions").insert(row))


def note_history(db: Database, note_id: Any) -> list[dict]:
    """Earlier texts of a note, oldest first: each the text as it stood until ``revised_at``,
    when ``revised_by`` (author, facilitator or scribe) changed it."""
    note = get_note(db, note_id)
    return [
        {"text": row[0], "revised_at": row[1], "revised_by": row[2]}
        for row in db.execute(
            """SELECT text, revised_at, revised_by FROM note_revisions WHERE note_id = ?
               ORDER BY id""",
            [note["id"]],
        )
    ]


def correct_text(store: Store, note_id: Any, text: Any, by: str = "scribe") -> dict:
    """Fix the text of a transcribed card (``by`` a scribe or the facilitator), at any time;
    the transcription it replaces stays in the note's history. A photographed card waiting
    for its text gets its first transcription: the placeholder it replaces was nobody's
    words, so it is not kept."""
    with store.transaction() as db:
        note = get_note(db, note_id)
        _check_not_withdrawn(note)
        settings = workshop_row(db, note["workshop"])["settings"]
        text = clean_text(text, field=N_("note"), max_length=settings["note_max_length"])
        if text != note["text"] and not note["awaiting_text"]:
            keep_revision(db, note, by)
        db.table("notes").update(
            note["id"], {"text": text, "awaiting_text": 0, "updated_at": now()}
        )
        return emit_note(store, db, note["id"])


# -- the author's own changes -----------------------------------------------------------------
def author_may_change(db: Database, note: dict, workshop: dict) -> str | None:
    """Why the author may no longer edit or withdraw ``note`` (a key of :data:`LOCKS`, or
    ``"closed"`` while writing is closed), or None while they may.

    The one rule for the author's edits and withdrawals, and for the phone's buttons: writing
    must be open (as for posting a note), and nobody may have acted on the note yet (a +1
    counts, like a dot). A dot counts wherever it is: on the note, physical dots counted on
    it, or on any note of its group (a group's dots are kept on one of its notes); while
    tallies are hidden the reason is ``"acted"``, which does not say it was dots or +1s.
    ``note`` is a notes row or a note's JSON, ``workshop`` the workshops row."""
    if note["withdrawn_at"] is not None:
        return "withdrawn"
    if not writing_open(workshop):
        return "closed"
    merged = (
        note["merged_into"] is not None
        or db.execute("SELECT 1 FROM notes WHERE merged_into = ? LIMIT 1", [note["id"]]).fetchone()
    )
    if merged:
        return "merged"
    answered = db.execute(
        "SELECT 1 FROM next_step_links WHERE note_id = ? LIMIT 1", [note["id"]]
    ).fetchone()
    if answered:
        return "next_step"
    voted = db.execute(
        """SELECT 1 FROM notes m WHERE (m.id = :id OR m.group_id = :group)
             AND (m.paper_dots > 0 OR EXISTS (SELECT 1 FROM votes v WHERE v.note_id = m.id))
           LIMIT 1""",
        {"id": note["id"], "group": note["group_id"]},
    ).fetchone()
    hidden = workshop["settings"]["hide_tallies"] and not workshop["revealed"].get("tallies")
    if voted:
        return "acted" if hidden else "voted"
    # A +1 agreed with these words: changing them would change what others said "me too" to.
    plus_one = db.execute(
        "SELECT 1 FROM note_plus_ones WHERE note_id = ? LIMIT 1", [note["id"]]
    ).fetchone()
    if plus_one:
        return "acted" if hidden else "plus_one"
    if note["sorted"]:
        return "sorted"
    return None


def locked_error(reason: str, workshop: dict) -> Conflict:
    """The refusal an author gets for ``reason`` (from :func:`author_may_change`)."""
    if reason == "closed":
        return writing_closed(workshop)
    return Conflict(LOCKS[reason])


def with_editability(
    db: Database, note: dict, workshop: dict, say: Callable[[WorkshopError], str]
) -> dict:
    """An author's own note (its JSON) with whether they may still change it: ``editable``,
    ``locked_reason`` (a key, or None) and ``locked_message`` (``say`` translates it)."""
    reason = author_may_change(db, note, workshop)
    message = None if reason is None else say(locked_error(reason, workshop))
    return {**note, "editable": reason is None, "locked_reason": reason, "locked_message": message}


def _own_changeable_note(db: Database, note_id: Any, attendee_id: str | None) -> tuple[dict, dict]:
    """The caller's own note and its workshop, if they may still change the note (else
    NotAllowed or Conflict)."""
    note = get_note(db, note_id)
    if attendee_id is None or note["attendee_id"] != attendee_id:
        raise NotAllowed("only the person who wrote this note can change it")
    workshop = workshop_row(db, note["workshop"])
    reason = author_may_change(db, note, workshop)
    if reason is not None:
        raise locked_error(reason, workshop)
    return note, workshop


def edit_own_note(store: Store, note_id: Any, attendee_id: str | None, text: Any) -> dict:
    """An attendee corrects their own note while :func:`author_may_change` allows; the old
    text stays in the note's history and the note shows as edited."""
    with store.transaction() as db:
        note, workshop = _own_changeable_note(db, note_id, attendee_id)
        limit = workshop["settings"]["note_max_length"]
        text = clean_text(text, field=N_("note"), max_length=limit)
        if text != note["text"]:
            keep_revision(db, note, "author")
        db.table("notes").update(note["id"], {"text": text, "updated_at": now()})
        return emit_note(store, db, note["id"])


def withdraw_own_note(store: Store, note_id: Any, attendee_id: str | None) -> dict:
    """An attendee withdraws their own note while :func:`author_may_change` allows.

    The note is kept, marked ``withdrawn_at``: the facilitator and the record see it was
    written and taken back; public views get only ``{id, withdrawn: true}`` (note.updated)."""
    with store.transaction() as db:
        note, _ = _own_changeable_note(db, note_id, attendee_id)
        db.table("notes").update(note["id"], {"withdrawn_at": now(), "updated_at": now()})
        return emit_note(store, db, note["id"])
