"""A photo of the wall: each card is filed into the section of the sign it stands under.

The room sorts paper by sticking cards under the section signs. In a photo of that wall,
a card belongs to the nearest sign above it in its column: among the signs higher up the
wall than the card's centre, the one whose width it falls under (or comes closest to), and
of those the lowest. "Up" is the signs' own up, so a photo taken askew files the same.
Several photos of a long wall combine: each card is filed by the photo it was found in
under a sign.

The board moves the notes in one logged action ("placed from a wall photo"), undoable like
any other; a note the facilitator has already placed on the board is moved only when they
confirm.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workshop.board.moderation import logged
from workshop.board.sorting import column_items, drop_empty_group, emit_group
from workshop.core.db import Store
from workshop.core.i18n import N_
from workshop.notes.notes import emit_note, get_note
from workshop.paper.geometry import Point, centre, down_angle
from workshop.workshops.workshops import now, workshop_row

WALL_SUMMARY = N_("Cards placed from a wall photo (%(count)s)")


@dataclass(frozen=True)
class Placed:
    """A card (its note id) or a sign (its section id), and where it lies in one photo."""

    kind: str  # "card" or "sign"
    id: int
    quad: Sequence[Point]


def file_cards(found: Sequence[Placed]) -> dict[int, int]:
    """Note id → section id for every card under a sign in one photo."""
    signs = [item for item in found if item.kind == "sign"]
    if not signs:
        return {}
    # Turn the photo so the signs' down points down the page.
    angle = math.atan2(
        sum(math.sin(down_angle(_quad(s))) for s in signs),
        sum(math.cos(down_angle(_quad(s))) for s in signs),
    )
    turn = math.pi / 2 - angle

    def upright(point: Point) -> Point:
        x, y = point
        return (
            x * math.cos(turn) - y * math.sin(turn),
            x * math.sin(turn) + y * math.cos(turn),
        )

    boxes = []
    for sign in signs:
        corners = [upright(p) for p in sign.quad]
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        boxes.append((sign.id, min(xs), max(xs), max(ys), upright(centre(sign.quad))[1]))
    filed: dict[int, int] = {}
    for card in found:
        if card.kind != "card":
            continue
        x, y = upright(centre(card.quad))
        best: tuple[float, float, int] | None = None
        for section_id, left, right, bottom, middle in boxes:
            if middle >= y:  # this sign is not above the card
                continue
            aside = max(left - x, 0.0, x - right)
            if aside > right - left:  # a column away: not this sign's card
                continue
            rank = (aside, y - bottom, section_id)
            best = rank if best is None or rank < best else best
        if best is not None:
            filed[card.id] = best[2]
    return filed


def _quad(item: Placed) -> Any:
    return tuple(item.quad)


def place_notes(store: Store, code: Any, placements: dict[int, int], *, confirm: bool) -> dict:
    """Move each note to its section from a wall photo, in one logged action; a note the
    facilitator already placed elsewhere only with ``confirm``. Returns ``{placed,
    to_confirm}``, each ``[{note_id, section_id}]``."""
    workshop = workshop_row(store.db, code)
    to_move: list[dict] = []
    to_confirm: list[dict] = []
    for note_id, section_id in sorted(placements.items()):
        note = get_note(store.db, note_id)
        if note["workshop_id"] != workshop["id"] or note["withdrawn_at"] or note["merged_into"]:
            continue
        if note["section_id"] == section_id:
            continue  # already there: a rescan of the wall changes nothing
        item = {"note_id": note_id, "section_id": section_id}
        if note["sorted"] and not confirm:
            to_confirm.append({**item, "from_section_id": note["section_id"]})
        else:
            to_move.append(item)
    if not to_move:
        return {"placed": [], "to_confirm": to_confirm}
    summary = WALL_SUMMARY
    with logged(store, workshop["id"], "wall-photo", summary, count=len(to_move)) as change:
        db = change.db
        for item in to_move:
            note = get_note(db, item["note_id"])
            change.touch("notes", note["id"])
            column = column_items(db, workshop["id"], item["section_id"])
            position = column[-1][2] + 1.0 if column else 1.0
            db.table("notes").update(
                note["id"],
                {
                    "section_id": item["section_id"],
                    "group_id": None,
                    "position": position,
                    "sorted": 1,
                    "updated_at": now(),
                },
            )
            drop_empty_group(change, note["group_id"])
        for note_id in change.ids("notes"):
            emit_note(store, db, note_id)
        for group_id in change.ids("groups"):
            emit_group(store, db, group_id, workshop["id"])
    return {"placed": to_move, "to_confirm": to_confirm}
