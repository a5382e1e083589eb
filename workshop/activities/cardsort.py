"""Card sorting by everyone (the seed's "note card sorting").

The facilitator picks notes and starts a sort; each phone puts each note into a plan section.
Results, per note: how many people put it in each section, the share in the most popular one
(its *agreement*, 1.0 = everyone agreed), and the notes the room disagrees on most. Across
notes, the similarity of two notes is the share of people (among those who placed both) who
put them in the same section — the co-occurrence matrix card-sorting tools report. With one
action the facilitator places every note where most people put it (logged, so undoable).
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from workshop.board.moderation import logged
from workshop.board.sorting import column_items, drop_empty_group, emit_group
from workshop.core import protocol
from workshop.core.db import Store, new_id
from workshop.core.errors import Conflict, Invalid, NotFound
from workshop.core.i18n import N_
from workshop.core.text import optional_id
from workshop.notes.notes import emit_note, get_note
from workshop.workshops.projection import project_activity
from workshop.workshops.workshops import list_sections, now, workshop_row

MAX_NOTES = 60


def _open_sort(db: Database, workshop_id: int) -> dict | None:
    row = db.execute(
        """SELECT id, note_ids, started_at FROM card_sorts
           WHERE workshop_id = ? AND closed_at IS NULL ORDER BY id DESC LIMIT 1""",
        [workshop_id],
    ).fetchone()
    return (
        None
        if row is None
        else {"id": row[0], "note_ids": json.loads(row[1]), "started_at": row[2]}
    )


def get_sort(db: Database, sort_id: Any) -> dict:
    if isinstance(sort_id, bool) or not isinstance(sort_id, int):
        raise NotFound("no such card sort")
    row = db.execute(
        """SELECT s.id, w.code, s.note_ids, s.started_at, s.closed_at, s.applied_at, s.workshop_id
           FROM card_sorts s JOIN workshops w ON w.id = s.workshop_id WHERE s.id = ?""",
        [sort_id],
    ).fetchone()
    if row is None:
        raise NotFound("no card sort %(id)s", id=sort_id)
    keys = ("id", "workshop", "note_ids", "started_at", "closed_at", "applied_at", "workshop_id")
    sort = dict(zip(keys, row, strict=True))
    sort["note_ids"] = json.loads(sort["note_ids"])
    return sort


def _announce(store: Store, db: Database, sort_id: int, *, progress: bool = False) -> dict:
    """Record sort.changed; a placement's progress goes to boards only (not every phone)."""
    sort = get_sort(db, sort_id)
    (people,) = db.execute(
        "SELECT count(DISTINCT voter) FROM card_sort_placements WHERE sort_id = ?", [sort_id]
    ).fetchone()
    keys = ("id", "workshop", "note_ids", "started_at", "closed_at", "applied_at")
    payload = {k: sort[k] for k in keys}
    payload["participants"] = people
    store.record(sort["workshop_id"], protocol.SORT_CHANGED, payload, boards_only=progress)
    return payload


def start_sort(store: Store, code: Any, note_ids: Any) -> dict:
    """Start a card sort of these notes (closing any sort still open)."""
    if not isinstance(note_ids, list) or not note_ids or len(note_ids) > MAX_NOTES:
        raise Invalid("note_ids must list 1 to %(limit)s notes", limit=MAX_NOTES)
    with store.transaction() as db:
        workshop = workshop_row(db, code)
        chosen = []
        for note_id in dict.fromkeys(note_ids):
            note = get_note(db, note_id)
            gone = note["hidden"] or note["merged_into"] or note["withdrawn_at"]
            if note["workshop_id"] != workshop["id"] or gone:
                raise NotFound("no note %(id)s on this board", id=note_id)
            chosen.append(note["id"])
        previous = _open_sort(db, workshop["id"])
        if previous:
            db.table("card_sorts").update(previous["id"], {"closed_at": now()})
            _announce(store, db, previous["id"])
        sort_id = new_id(
            db.table("card_sorts").insert(
                {"workshop_id": workshop["id"], "note_ids": json.dumps(chosen), "started_at": now()}
            )
        )
        started = _announce(store, db, sort_id)
        project_activity(store, workshop, "sort")  # the room watches it fill in
        return started


def list_sorts(db: Database, code: Any) -> list[dict]:
    """Every card sort of the workshop, newest first."""
    workshop = workshop_row(db, code)
    rows = db.execute(
        "SELECT id FROM card_sorts WHERE workshop_id = ? ORDER BY id DESC", [workshop["id"]]
    ).fetchall()
    keys = ("id", "workshop", "note_ids", "started_at", "closed_at", "applied_at")
    return [{k: get_sort(db, row[0])[k] for k in keys} for row in rows]


def current_sort(db: Database, code: Any, voter: str | None) -> dict | None:
    """The open sort, with its notes' texts, the sections, and this voter's placements."""
    workshop = workshop_row(db, code)
    sort = _open_sort(db, workshop["id"])
    if sort is None:
        return None
    texts = dict(
        db.execute(
            f"SELECT id, text FROM notes WHERE id IN ({', '.join('?' * len(sort['note_ids']))})",
            sort["note_ids"],
        ).fetchall()
    )
    mine = dict(
        db.execute(
            "SELECT note_id, section_id FROM card_sort_placements WHERE sort_id = ? AND voter = ?",
            [sort["id"], voter],
        ).fetchall()
    )
    return {
        "id": sort["id"],
        "notes": [{"id": n, "text": texts.get(n, "")} for n in sort["note_ids"]],
        "sections": [
            {"id": s["id"], "title": s["title"]} for s in list_sections(db, workshop["id"])
        ],
        "mine": mine,
    }


def place(store: Store, sort_id: Any, voter: str, note_id: Any, section_id: Any) -> dict:
    """This voter puts a note in a section (again: moves it)."""
    note_id = optional_id(note_id, field="note_id")
    section_id = optional_id(section_id, field="section_id")
    with store.transaction() as db:
        sort = get_sort(db, sort_id)
        if sort["closed_at"]:
            raise Conflict("This card sort has ended.")
        if note_id not in sort["note_ids"]:
            raise NotFound("note %(id)s is not in this card sort", id=note_id)
        if section_id not in {s["id"] for s in list_sections(db, sort["workshop_id"])}:
            raise NotFound("no section %(id)s in this workshop", id=section_id)
        db.table("card_sort_placements").insert(
            {
                "sort_id": sort["id"],
                "voter": voter,
                "note_id": note_id,
                "section_id": section_id,
                "placed_at": now(),
            },
            replace=True,
        )
        _announce(store, db, sort["id"], progress=True)
        mine = db.execute(
            "SELECT count(*) FROM card_sort_placements WHERE sort_id = ? AND voter = ?",
            [sort["id"], voter],
        ).fetchone()[0]
    return {"placed": mine, "of": len(sort["note_ids"])}


def results(db: Database, sort_id: Any) -> dict:
    """Placement counts and shares per note, agreement, most-disputed notes, similarity."""
    sort = get_sort(db, sort_id)
    sections = [s["id"] for s in list_sections(db, sort["workshop_id"])]
    placements: dict[int, dict[str, int]] = {note_id: {} for note_id in sort["note_ids"]}
    for voter, note_id, section_id in db.execute(
        "SELECT voter, note_id, section_id FROM card_sort_placements WHERE sort_id = ?",
        [sort["id"]],
    ):
        if note_id in placements:
            placements[note_id][voter] = section_id
    per_note = []
    for note_id in sort["note_ids"]:
        votes = list(placements[note_id].values())
        counts = {section: votes.count(section) for section in sections if section in votes}
        total = len(votes)
        top = max(counts, key=lambda s: (counts[s], -sections.index(s))) if counts else None
        per_note.append(
            {
                "note_id": note_id,
                "people": total,
                "counts": {str(s): c for s, c in counts.items()},
                "shares": {str(s): round(c / total, 3) for s, c in counts.items()},
                "top_section_id": top,
                "agreement": round(counts[top] / total, 3) if top is not None else None,
            }
        )
    disputed = sorted(
        (n for n in per_note if n["agreement"] is not None),
        key=lambda n: (n["agreement"], n["note_id"]),
    )
    return {
        "sort_id": sort["id"],
        "participants": len({v for by_voter in placements.values() for v in by_voter}),
        "notes": per_note,
        "most_disputed": [n["note_id"] for n in disputed[:5]],
        "similarity": similarity(sort["note_ids"], placements),
    }


def similarity(
    note_ids: list[int], placements: dict[int, dict[str, int]]
) -> list[list[float | None]]:
    """matrix[i][j]: the share of people who placed notes i and j both who put them together."""
    matrix: list[list[float | None]] = []
    for a in note_ids:
        row: list[float | None] = []
        for b in note_ids:
            both = set(placements[a]) & set(placements[b])
            together = sum(1 for voter in both if placements[a][voter] == placements[b][voter])
            row.append(round(together / len(both), 3) if both else None)
        matrix.append(row)
    return matrix


def close_sort(store: Store, sort_id: Any) -> dict:
    with store.transaction() as db:
        sort = get_sort(db, sort_id)
        if not sort["closed_at"]:
            db.table("card_sorts").update(sort["id"], {"closed_at": now()})
        return _announce(store, db, sort["id"])


def apply_results(store: Store, sort_id: Any) -> dict:
    """Place every sorted note in the section most people chose (closes the sort; undoable)."""
    sort = get_sort(store.db, sort_id)
    outcome = results(store.db, sort["id"])
    summary = N_("Placed the notes of card sort #%(sort)s where most people put them")
    with logged(store, sort["workshop_id"], "card-sort", summary, sort=sort["id"]) as change:
        db = change.db
        for item in outcome["notes"]:
            note = get_note(db, item["note_id"])
            target = item["top_section_id"]
            if target is None or note["merged_into"] or note["section_id"] == target:
                continue
            siblings = column_items(db, sort["workshop_id"], target)
            position = siblings[-1][2] + 1.0 if siblings else 1.0
            change.touch("notes", note["id"])
            db.table("notes").update(
                note["id"],
                {"section_id": target, "group_id": None, "position": position, "sorted": 1},
            )
            drop_empty_group(change, note["group_id"])
        db.table("card_sorts").update(
            sort["id"], {"closed_at": sort["closed_at"] or now(), "applied_at": now()}
        )
        for note_id in change.ids("notes"):
            emit_note(store, db, note_id)
        for group_id in change.ids("groups"):
            emit_group(store, db, group_id, sort["workshop_id"])
        _announce(store, db, sort["id"])
    return outcome
