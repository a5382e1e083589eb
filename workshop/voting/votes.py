"""Dot voting: each attendee places dots from a budget; paper participants vote too.

A voter is an attendee id, or ``card:<code>`` for the holder of a printed card whose dots a
scribe records. Physical sticky dots on a printed note are counted by the facilitator
(``paper_dots``). Every rule is checked here, so HTTP and any future socket path agree.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from workshop.board.sorting import emit_group, get_group, group_items
from workshop.core.db import Store
from workshop.core.errors import Conflict, Invalid, NotFound
from workshop.notes.notes import get_note, get_note_json, public_json
from workshop.workshops.workshops import now, workshop_row

MAX_PAPER_DOTS = 10_000


def _votable(db: Database, note_id: Any) -> tuple[dict, dict]:
    """The note a dot lands on (a merged note's dots go to the note it was merged into)."""
    note = get_note(db, note_id)
    if note["merged_into"] is not None:
        note = get_note(db, note["merged_into"])
    if note["hidden"] or note["withdrawn_at"] is not None:  # out of public views and tallies
        raise NotFound("no note with id %(id)s", id=note["id"])
    workshop = workshop_row(db, note["workshop"])
    return note, workshop


def voter_summary(db: Database, workshop: dict, voter: str) -> dict:
    """How many dots this voter has left, and where the placed ones are."""
    rows = db.execute(
        """SELECT note_id, count(*) FROM votes WHERE workshop_id = ? AND attendee_id = ?
           GROUP BY note_id""",
        [workshop["id"], voter],
    ).fetchall()
    used = sum(count for _, count in rows)
    budget = workshop["settings"]["votes_per_attendee"]
    return {"votes_left": max(0, budget - used), "budget": budget, "mine": dict(rows)}


def my_votes(db: Database, code: Any, voter: str) -> dict:
    return voter_summary(db, workshop_row(db, code), voter)


def _tally(store: Store, db: Database, workshop: dict, note_id: int) -> dict:
    fresh = get_note_json(db, note_id)
    payload = {"note_id": note_id, "votes": fresh["votes"]}
    public = public_json(fresh, workshop)
    masked = {"note_id": note_id, "votes": public.get("votes")} if "votes" in public else None
    store.record(workshop["id"], "votes.changed", payload, public=masked or payload)
    return fresh


def _ballot(db: Database, workshop: dict, voter: str) -> dict:
    """This voter's dots, if the room votes and one is left to place (else Conflict)."""
    if workshop["phase"] != "vote":
        raise Conflict("Voting is not open right now.")
    summary = voter_summary(db, workshop, voter)
    if summary["votes_left"] <= 0:
        raise Conflict(
            "You have used all %(budget)s of your dots. Take one back to place it elsewhere.",
            budget=summary["budget"],
        )
    return summary


def add_vote(store: Store, note_id: Any, voter: str, *, source: str = "phone") -> dict:
    """Place one of ``voter``'s dots on a note: only while the room votes, within budget."""
    with store.transaction() as db:
        note, workshop = _votable(db, note_id)
        summary = _ballot(db, workshop, voter)
        if summary["mine"].get(note["id"]) and not workshop["settings"]["several_dots_per_note"]:
            raise Conflict("You already put a dot on this note (one dot per note).")
        db.table("votes").insert(
            {
                "workshop_id": workshop["id"],
                "note_id": note["id"],
                "attendee_id": voter,
                "source": source,
                "created_at": now(),
            }
        )
        fresh = _tally(store, db, workshop, note["id"])
        left = voter_summary(db, workshop, voter)
    return {"note_id": note["id"], "votes": fresh["votes"], **left}


def remove_vote(store: Store, note_id: Any, voter: str) -> dict:
    """Take back one of ``voter``'s dots from a note."""
    with store.transaction() as db:
        note, workshop = _votable(db, note_id)
        if workshop["phase"] != "vote":
            raise Conflict("Voting is not open right now.")
        row = db.execute(
            """SELECT id FROM votes WHERE note_id = ? AND attendee_id = ?
               ORDER BY id DESC LIMIT 1""",
            [note["id"], voter],
        ).fetchone()
        if row is None:
            raise NotFound("you have no dot on this note")
        db.table("votes").delete(row[0])
        fresh = _tally(store, db, workshop, note["id"])
        left = voter_summary(db, workshop, voter)
    return {"note_id": note["id"], "votes": fresh["votes"], **left}


def set_paper_dots(store: Store, note_id: Any, count: Any) -> dict:
    """The facilitator's count of physical sticky dots on a note (any phase)."""
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_PAPER_DOTS:
        raise Invalid("count must be a whole number from 0 to %(limit)s", limit=MAX_PAPER_DOTS)
    with store.transaction() as db:
        note, workshop = _votable(db, note_id)
        db.table("notes").update(note["id"], {"paper_dots": count})
        fresh = _tally(store, db, workshop, note["id"])
    return {"note_id": note["id"], "votes": fresh["votes"], "paper_dots": count}


def _group_ballot(db: Database, group_id: Any) -> tuple[dict, list[int], dict]:
    """A group as one thing to vote on: the group, its notes, and the workshop."""
    group = get_group(db, group_id)
    members = [note_id for _, note_id, _ in group_items(db, group["id"])]
    if not members:
        raise NotFound("no group %(id)s", id=group["id"])
    (code,) = db.execute(
        "SELECT code FROM workshops WHERE id = ?", [group["workshop_id"]]
    ).fetchone()
    return group, members, workshop_row(db, code)


def add_group_vote(store: Store, group_id: Any, voter: str, *, source: str = "phone") -> dict:
    """A dot on a group, voted on as one: it is kept on the group's first note, and the group's
    tally is the sum of its notes' dots (see sorting.group_json)."""
    with store.transaction() as db:
        group, members, workshop = _group_ballot(db, group_id)
        summary = _ballot(db, workshop, voter)
        mine = sum(summary["mine"].get(note_id, 0) for note_id in members)
        if mine and not workshop["settings"]["several_dots_per_note"]:
            raise Conflict("You already put a dot on this group (one dot per group).")
        db.table("votes").insert(
            {
                "workshop_id": workshop["id"],
                "note_id": members[0],
                "attendee_id": voter,
                "source": source,
                "created_at": now(),
            }
        )
        _tally(store, db, workshop, members[0])
        fresh = emit_group(store, db, group["id"], workshop["id"])
        assert fresh is not None  # the group still has its notes
        left = voter_summary(db, workshop, voter)
    return {"group_id": group["id"], "votes": fresh["votes"], **left}


def remove_group_vote(store: Store, group_id: Any, voter: str) -> dict:
    """Take back one of ``voter``'s dots from a group."""
    with store.transaction() as db:
        group, members, workshop = _group_ballot(db, group_id)
        if workshop["phase"] != "vote":
            raise Conflict("Voting is not open right now.")
        row = db.execute(
            f"""SELECT id, note_id FROM votes WHERE attendee_id = ?
                AND note_id IN ({", ".join("?" * len(members))}) ORDER BY id DESC LIMIT 1""",
            [voter, *members],
        ).fetchone()
        if row is None:
            raise NotFound("you have no dot on this group")
        db.table("votes").delete(row[0])
        _tally(store, db, workshop, row[1])
        fresh = emit_group(store, db, group["id"], workshop["id"])
        assert fresh is not None  # the group still has its notes
        left = voter_summary(db, workshop, voter)
    return {"group_id": group["id"], "votes": fresh["votes"], **left}
