"""Sorting the board into the plan: move notes and groups by index, group, merge.

A column (a section, or Unsorted) holds groups and ungrouped notes in one order; a group
holds its notes in their own order. The server turns "put it at index i" into a fractional
position between its neighbours, so two facilitator screens moving at once never fight:
their moves are applied one after the other under the store's lock, and every screen
converges on the server's order through the events.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from workshop.board.moderation import Change, logged
from workshop.core.db import Store
from workshop.core.errors import Conflict, Invalid, NotFound
from workshop.core.i18n import N_
from workshop.core.text import clean_text, optional_id
from workshop.notes.notes import check_section, emit_note, get_note, get_note_json
from workshop.workshops.workshops import now

GROUP_LABEL_MAX = 80


# -- reading order --------------------------------------------------------------------
def column_items(db: Database, workshop_id: int, section_id: int | None) -> list[tuple]:
    """(kind, id, position) of the groups and ungrouped notes in a column, in order."""
    rows = db.execute(
        """SELECT 'group', id, position FROM groups WHERE workshop_id = ? AND section_id IS ?
           UNION ALL
           SELECT 'note', id, position FROM notes
           WHERE workshop_id = ? AND section_id IS ? AND group_id IS NULL
                 AND merged_into IS NULL
           ORDER BY 3, 2""",
        [workshop_id, section_id, workshop_id, section_id],
    ).fetchall()
    return [tuple(row) for row in rows]


def group_items(db: Database, group_id: int) -> list[tuple]:
    rows = db.execute(
        """SELECT 'note', id, position FROM notes WHERE group_id = ? AND merged_into IS NULL
           ORDER BY position, id""",
        [group_id],
    ).fetchall()
    return [tuple(row) for row in rows]


def _place(change: Change, siblings: list[tuple], index: Any) -> float:
    """The position for an item put at ``index`` among ``siblings`` (itself excluded)."""
    if index is None:
        index = len(siblings)
    if isinstance(index, bool) or not isinstance(index, int):
        raise Invalid("index must be a whole number")
    index = max(0, min(index, len(siblings)))
    before = siblings[index - 1][2] if index > 0 else None
    after = siblings[index][2] if index < len(siblings) else None
    if before is None and after is None:
        return 1.0
    if before is None:
        return after - 1.0
    if after is None:
        return before + 1.0
    middle = (before + after) / 2
    if before < middle < after:
        return middle
    # Floating point ran out of room between the two: renumber the column, then place.
    for number, (kind, item_id, _) in enumerate(siblings, start=1):
        table = "notes" if kind == "note" else "groups"
        change.touch(table, item_id)
        change.db[table].update(item_id, {"position": float(number * 2)})
    return float(index * 2 + 1)


def get_group(db: Database, group_id: Any) -> dict:
    if isinstance(group_id, bool) or not isinstance(group_id, int):
        raise NotFound("no such group")
    row = db.execute("SELECT * FROM groups WHERE id = ?", [group_id]).fetchone()
    if row is None:
        raise NotFound("no group %(id)s", id=group_id)
    keys = ("id", "workshop_id", "section_id", "label", "position", "created_at")
    return dict(zip(keys, row, strict=True))


def group_json(db: Database, group: dict) -> dict:
    code = db.execute("SELECT code FROM workshops WHERE id = ?", [group["workshop_id"]]).fetchone()
    note_ids = [item[1] for item in group_items(db, group["id"])]
    marks = ", ".join("?" * len(note_ids)) or "NULL"
    (dots,) = db.execute(
        f"""SELECT (SELECT count(*) FROM votes WHERE note_id IN ({marks}))
                   + (SELECT coalesce(sum(paper_dots), 0) FROM notes WHERE id IN ({marks}))""",
        note_ids + note_ids,
    ).fetchone()
    return {
        "id": group["id"],
        "workshop": code[0],
        "section_id": group["section_id"],
        "label": group["label"],
        "position": group["position"],
        "note_ids": note_ids,
        "votes": dots,  # the group's tally: every dot on its notes
    }


def list_groups(db: Database, workshop_id: int) -> list[dict]:
    rows = db.execute(
        "SELECT id FROM groups WHERE workshop_id = ? ORDER BY position, id", [workshop_id]
    ).fetchall()
    return [group_json(db, get_group(db, row[0])) for row in rows]


def emit_group(store: Store, db: Database, group_id: int, workshop_id: int) -> dict | None:
    """Record group.changed (or group.deleted when it no longer exists)."""
    exists = db.execute("SELECT 1 FROM groups WHERE id = ?", [group_id]).fetchone()
    if not exists:
        store.record(workshop_id, "group.deleted", {"id": group_id, "deleted": True})
        return None
    group = group_json(db, get_group(db, group_id))
    store.record(workshop_id, "group.changed", group)
    return group


def _emit_all(store: Store, change: Change, workshop_id: int) -> None:
    for note_id in change.ids("notes"):
        emit_note(store, change.db, note_id)
    for group_id in change.ids("groups"):
        emit_group(store, change.db, group_id, workshop_id)


def _live_note(db: Database, note_id: Any) -> dict:
    note = get_note(db, note_id)
    if note["merged_into"] is not None:
        raise Conflict(
            "note %(id)s was merged into note %(target)s",
            id=note["id"],
            target=note["merged_into"],
        )
    return note


def drop_empty_group(change: Change, group_id: int | None) -> None:
    if group_id is not None and not group_items(change.db, group_id):
        change.touch("groups", group_id)
        change.db["groups"].delete(group_id)


# -- notes ----------------------------------------------------------------------------
def move_note(
    store: Store, note_id: Any, *, section_id: Any, group_id: Any = None, index: Any = None
) -> dict:
    """Put a note at ``index`` in a section's column, or inside a group (then the group's
    section is the note's). Leaving a group that becomes empty removes the group."""
    note = _live_note(store.db, note_id)
    section_id = optional_id(section_id, field="section_id")
    group_id = optional_id(group_id, field="group_id")
    summary = N_("Moved note #%(note)s")
    with logged(store, note["workshop_id"], "move", summary, note=note["id"]) as change:
        db = change.db
        note = _live_note(db, note_id)
        if group_id is not None:
            group = get_group(db, group_id)
            if group["workshop_id"] != note["workshop_id"]:
                raise NotFound("no group %(id)s in this workshop", id=group_id)
            section_id = group["section_id"]
            siblings = [item for item in group_items(db, group_id) if item[1] != note["id"]]
        else:
            check_section(db, note["workshop_id"], section_id)
            siblings = [
                item
                for item in column_items(db, note["workshop_id"], section_id)
                if item[:2] != ("note", note["id"])
            ]
        change.touch("notes", note["id"])
        position = _place(change, siblings, index)
        db["notes"].update(
            note["id"],
            {
                "section_id": section_id,
                "group_id": group_id,
                "position": position,
                "sorted": 1,
                "updated_at": now(),
            },
        )
        if note["group_id"] != group_id:
            drop_empty_group(change, note["group_id"])
        _emit_all(store, change, note["workshop_id"])
    return get_note_json(store.db, note["id"])


# -- groups ---------------------------------------------------------------------------
def create_group(store: Store, note_ids: Any, label: Any = None) -> dict:
    """Stack notes into a new group where the first of them stands (drop one on another)."""
    if not isinstance(note_ids, list) or len(note_ids) < 2:
        raise Invalid("a group needs at least two note ids")
    label = clean_text(label, field=N_("label"), max_length=GROUP_LABEL_MAX, required=False)
    first = _live_note(store.db, note_ids[0])
    with logged(store, first["workshop_id"], "group", N_("Grouped notes")) as change:
        db = change.db
        members = [_live_note(db, note_id) for note_id in dict.fromkeys(note_ids)]
        if any(m["workshop_id"] != first["workshop_id"] for m in members):
            raise NotFound("those notes are not all in this workshop")
        if len(members) < 2:
            raise Invalid("a group needs at least two different notes")
        anchor = members[0]
        position = anchor["position"]
        if anchor["group_id"] is not None:  # dropped onto a grouped note: join its group
            group_id = anchor["group_id"]
        else:
            group_id = (
                db["groups"]
                .insert(
                    {
                        "workshop_id": anchor["workshop_id"],
                        "section_id": anchor["section_id"],
                        "label": label,
                        "position": position,
                        "created_at": now(),
                    }
                )
                .last_pk
            )
            change.created("groups", group_id)
        group = get_group(db, group_id)
        # A new group keeps the order the notes were given in; joining a group keeps its
        # members where they are and adds the newcomers at its end.
        inside = group_items(db, group_id)
        last = inside[-1][2] if inside else 0.0
        member_ids = {item[1] for item in inside}
        newcomers = [m for m in members if m["id"] not in member_ids]
        for number, member in enumerate(newcomers, start=1):
            previous_group = member["group_id"]
            change.touch("notes", member["id"])
            db["notes"].update(
                member["id"],
                {
                    "group_id": group_id,
                    "section_id": group["section_id"],
                    "position": last + number,
                    "sorted": 1,
                    "updated_at": now(),
                },
            )
            if previous_group != group_id:
                drop_empty_group(change, previous_group)
        if label and group["label"] != label:
            change.touch("groups", group_id)
            db["groups"].update(group_id, {"label": label})
        _emit_all(store, change, anchor["workshop_id"])
        return group_json(db, get_group(db, group_id))


def update_group(store: Store, group_id: Any, changes: Any) -> dict:
    """Rename a group, or move it (all its notes) to an index in a section's column."""
    if (
        not isinstance(changes, dict)
        or not changes
        or set(changes) - {"label", "section_id", "index"}
    ):
        raise Invalid("send an object with any of: label, section_id, index")
    group = get_group(store.db, group_id)
    summary = N_("Changed group #%(group)s")
    with logged(store, group["workshop_id"], "group", summary, group=group["id"]) as change:
        db = change.db
        group = get_group(db, group_id)
        change.touch("groups", group["id"])
        update: dict[str, Any] = {}
        if "label" in changes:
            update["label"] = clean_text(
                changes["label"], field=N_("label"), max_length=GROUP_LABEL_MAX, required=False
            )
        if "section_id" in changes or "index" in changes:
            section_id = optional_id(
                changes.get("section_id", group["section_id"]), field="section_id"
            )
            check_section(db, group["workshop_id"], section_id)
            siblings = [
                item
                for item in column_items(db, group["workshop_id"], section_id)
                if item[:2] != ("group", group["id"])
            ]
            update["section_id"] = section_id
            update["position"] = _place(change, siblings, changes.get("index"))
            for _, note_id, _ in group_items(db, group["id"]):
                change.touch("notes", note_id)
                db["notes"].update(note_id, {"section_id": section_id, "sorted": 1})
        db["groups"].update(group["id"], update)
        _emit_all(store, change, group["workshop_id"])
        return group_json(db, get_group(db, group["id"]))


def ungroup(store: Store, group_id: Any) -> dict:
    """Dissolve a group: its notes stand in the column where the group stood, in order."""
    group = get_group(store.db, group_id)
    summary = N_("Ungrouped group #%(group)s")
    with logged(store, group["workshop_id"], "ungroup", summary, group=group["id"]) as change:
        db = change.db
        group = get_group(db, group_id)
        members = group_items(db, group["id"])
        # Spread the notes between the group's place and the next card in the column.
        later = [
            item[2]
            for item in column_items(db, group["workshop_id"], group["section_id"])
            if item[2] > group["position"]
        ]
        gap = (min(later) - group["position"]) if later else float(len(members) + 1)
        step = gap / (len(members) + 1)
        for number, (_, note_id, _) in enumerate(members):
            change.touch("notes", note_id)
            db["notes"].update(
                note_id, {"group_id": None, "position": group["position"] + number * step}
            )
        change.touch("groups", group["id"])
        db["groups"].delete(group["id"])
        _emit_all(store, change, group["workshop_id"])
    return {"id": group["id"], "deleted": True}


# -- merging duplicates -----------------------------------------------------------------
def merge_notes(store: Store, target_id: Any, note_ids: Any) -> dict:
    """Merge duplicates into ``target_id``: one card on the board; every text and author is
    kept (``merged``), and their dots count on the target."""
    if not isinstance(note_ids, list) or not note_ids:
        raise Invalid("note_ids must list the notes to merge into this one")
    target = _live_note(store.db, target_id)
    summary = N_("Merged %(count)s note(s) into note #%(note)s")
    with logged(
        store, target["workshop_id"], "merge", summary, count=len(note_ids), note=target["id"]
    ) as change:
        db = change.db
        target = _live_note(db, target_id)
        for note_id in dict.fromkeys(note_ids):
            note = _live_note(db, note_id)
            if note["id"] == target["id"]:
                raise Invalid("a note cannot be merged into itself")
            if note["workshop_id"] != target["workshop_id"]:
                raise NotFound("no note %(id)s in this workshop", id=note_id)
            change.touch("notes", note["id"])
            # Notes already merged into this one follow it into the target.
            for (child,) in db.execute("SELECT id FROM notes WHERE merged_into = ?", [note["id"]]):
                change.touch("notes", child)
                db["notes"].update(child, {"merged_into": target["id"]})
            db["notes"].update(
                note["id"],
                {"merged_into": target["id"], "group_id": None, "sorted": 1, "updated_at": now()},
            )
            drop_empty_group(change, note["group_id"])
        change.touch("notes", target["id"])
        db["notes"].update(target["id"], {"sorted": 1, "updated_at": now()})
        _emit_all(store, change, target["workshop_id"])
    return get_note_json(store.db, target["id"])
