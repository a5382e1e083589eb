"""Dot voting: each attendee places dots from a budget; paper participants vote too.

A voter is an attendee id, or ``card:<code>`` for the holder of a printed card whose dots a
scribe records. Physical sticky dots on a printed note are counted by the facilitator
(``paper_dots``). Every rule is checked here, so HTTP and any future socket path agree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlite_utils import Database

from workshop.board.sorting import emit_group, get_group, group_items
from workshop.core import protocol
from workshop.core.db import Store
from workshop.core.errors import Conflict, Invalid, NotFound
from workshop.notes.notes import get_note, get_note_json, public_json, tallies_hidden
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
    """How many dots this voter has left, and where the placed ones are: ``mine`` by note
    (dots on notes) and ``mine_groups`` by group (dots given to a group that stands)."""
    rows = db.execute(
        """SELECT v.note_id, v.group_id, g.id IS NOT NULL, count(*) FROM votes v
           LEFT JOIN groups g ON g.id = v.group_id AND g.workshop_id = v.workshop_id
           WHERE v.workshop_id = ? AND v.attendee_id = ? GROUP BY 1, 2, 3""",
        [workshop["id"], voter],
    ).fetchall()
    mine: dict[int, int] = {}
    mine_groups: dict[int, int] = {}
    for note_id, group_id, standing, count in rows:
        if standing:
            mine_groups[group_id] = mine_groups.get(group_id, 0) + count
        else:
            mine[note_id] = mine.get(note_id, 0) + count
    used = sum(count for *_, count in rows)
    budget = workshop["settings"]["votes_per_attendee"]
    return {
        "votes_left": max(0, budget - used),
        "budget": budget,
        "mine": mine,
        "mine_groups": mine_groups,
    }


def my_votes(db: Database, code: Any, voter: str) -> dict:
    return voter_summary(db, workshop_row(db, code), voter)


def _tally(store: Store, db: Database, workshop: dict, note_id: int) -> dict:
    """Tell every screen a note's new tally (and its group's, which counts it)."""

    fresh = get_note_json(db, note_id)
    payload = {"note_id": note_id, "votes": fresh["votes"]}
    public = public_json(fresh, workshop)
    masked = {"note_id": note_id, "votes": public.get("votes")} if "votes" in public else None
    store.record(workshop["id"], protocol.VOTES_CHANGED, payload, public=masked or payload)
    if fresh["group_id"] is not None:
        emit_group(store, db, fresh["group_id"], workshop["id"])
    return fresh


def _answer(workshop: dict, key: str, item_id: int, votes: int, left: dict) -> dict:
    """A voter's answer: the item's tally only while the room may see tallies (else
    ``votes: null``: the phone learns only its own dots and how many it has left)."""
    return {key: item_id, "votes": None if tallies_hidden(workshop) else votes, **left}


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


def _needs_ballot(db: Database, workshop: dict, voter: str) -> bool:
    """Whether this phone has yet to open its ballot here (card holders' ballots are a
    scribe's, not an address's)."""
    if voter.startswith("card:"):
        return False
    opened = db.execute(
        "SELECT ballot_at FROM attendees WHERE workshop_id = ? AND id = ?",
        [workshop["id"], voter],
    ).fetchone()
    return opened is not None and opened[0] is None


def _ballot_allowance(
    db: Database, workshop: dict, voter: str, allowance: Callable[[], None] | None
) -> None:
    """A phone placing its very first dot in this workshop opens a ballot: ``allowance``
    (the per-address limit on new ballots, workshop.voting.ballots) is taken then, once,
    before the write transaction (a shared limiter may wait on Redis; the store's lock must
    not). Taking every dot back and voting again costs nothing: the ballot stays open."""
    if allowance is not None and workshop["phase"] == "vote" and _needs_ballot(db, workshop, voter):
        allowance()


def _open_ballot(db: Database, workshop: dict, voter: str) -> None:
    if _needs_ballot(db, workshop, voter):
        db.execute(
            "UPDATE attendees SET ballot_at = ? WHERE workshop_id = ? AND id = ?",
            [now(), workshop["id"], voter],
        )


def add_vote(
    store: Store,
    note_id: Any,
    voter: str,
    *,
    source: str = "phone",
    allowance: Callable[[], None] | None = None,
) -> dict:
    """Place one of ``voter``'s dots on a note: only while the room votes, within budget."""
    _, workshop = _votable(store.db, note_id)
    _ballot_allowance(store.db, workshop, voter, allowance)
    with store.transaction() as db:
        note, workshop = _votable(db, note_id)
        summary = _ballot(db, workshop, voter)
        if summary["mine"].get(note["id"]) and not workshop["settings"]["several_dots_per_note"]:
            raise Conflict("You already put a dot on this note (one dot per note).")
        _open_ballot(db, workshop, voter)
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
    return _answer(workshop, "note_id", note["id"], fresh["votes"], left)


def remove_vote(store: Store, note_id: Any, voter: str) -> dict:
    """Take back one of ``voter``'s dots from a note (never one given to a standing group)."""
    with store.transaction() as db:
        note, workshop = _votable(db, note_id)
        if workshop["phase"] != "vote":
            raise Conflict("Voting is not open right now.")
        row = db.execute(
            f"""SELECT v.id FROM votes v WHERE v.note_id = ? AND v.attendee_id = ?
                AND NOT {_STANDING} ORDER BY v.id DESC LIMIT 1""",
            [note["id"], voter],
        ).fetchone()
        if row is None:
            raise NotFound("you have no dot on this note")
        db.table("votes").delete(row[0])
        fresh = _tally(store, db, workshop, note["id"])
        left = voter_summary(db, workshop, voter)
    return _answer(workshop, "note_id", note["id"], fresh["votes"], left)


_STANDING = """(v.group_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM groups g WHERE g.id = v.group_id AND g.workshop_id = v.workshop_id))"""


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


def add_group_vote(
    store: Store,
    group_id: Any,
    voter: str,
    *,
    source: str = "phone",
    allowance: Callable[[], None] | None = None,
) -> dict:
    """A dot on a group, voted on as one: it is the group's (``votes.group_id``), kept
    beside the group's first note, where it counts if the group is dissolved (see
    workshop.voting.tally)."""

    _, _, workshop = _group_ballot(store.db, group_id)
    _ballot_allowance(store.db, workshop, voter, allowance)
    with store.transaction() as db:
        group, members, workshop = _group_ballot(db, group_id)
        summary = _ballot(db, workshop, voter)
        mine = summary["mine_groups"].get(group["id"], 0)
        mine += sum(summary["mine"].get(note_id, 0) for note_id in members)
        if mine and not workshop["settings"]["several_dots_per_note"]:
            raise Conflict("You already put a dot on this group (one dot per group).")
        _open_ballot(db, workshop, voter)
        db.table("votes").insert(
            {
                "workshop_id": workshop["id"],
                "note_id": members[0],
                "group_id": group["id"],
                "attendee_id": voter,
                "source": source,
                "created_at": now(),
            }
        )
        fresh = emit_group(store, db, group["id"], workshop["id"])
        assert fresh is not None  # the group still has its notes
        left = voter_summary(db, workshop, voter)
    return _answer(workshop, "group_id", group["id"], fresh["votes"], left)


def remove_group_vote(store: Store, group_id: Any, voter: str) -> dict:
    """Take back one of ``voter``'s dots from a group: one given to the group, else one on
    its notes (group dots placed before they were the group's sit on its first note)."""

    with store.transaction() as db:
        group, members, workshop = _group_ballot(db, group_id)
        if workshop["phase"] != "vote":
            raise Conflict("Voting is not open right now.")
        row = db.execute(
            f"""SELECT v.id, v.note_id, v.group_id = ? FROM votes v WHERE v.attendee_id = ?
                AND (v.group_id = ? OR (v.note_id IN ({", ".join("?" * len(members))})
                     AND NOT {_STANDING}))
                ORDER BY v.group_id = ? DESC, v.id DESC LIMIT 1""",
            [group["id"], voter, group["id"], *members, group["id"]],
        ).fetchone()
        if row is None:
            raise NotFound("you have no dot on this group")
        db.table("votes").delete(row[0])
        if not row[2]:
            _tally(store, db, workshop, row[1])
        fresh = emit_group(store, db, group["id"], workshop["id"])
        assert fresh is not None  # the group still has its notes
        left = voter_summary(db, workshop, voter)
    return _answer(workshop, "group_id", group["id"], fresh["votes"], left)
