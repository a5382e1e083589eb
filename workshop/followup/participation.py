"""The room's numbers, each defined once (docs/numbers.md): the board, the manage page, the
summary and the report all read them here, so "phones", "notes", "took part" and "paper
cards" mean the same thing on every screen and on paper."""

from __future__ import annotations

from sqlite_utils import Database

from workshop.voting import tally
from workshop.workshops.workshops import NOTES_ON_BOARD, participants


def participation(db: Database, workshop_id: int) -> dict:
    """The numbers, by their one definition:

    - ``phones``: phones that joined the workshop (one per browser cookie);
    - ``took_part``: phones with a note or a dot, and paper cards with a note;
    - ``notes``: the notes the board shows (merged duplicates and hidden notes left out);
    - ``paper_cards``: of those, the ones written on a printed card;
    - ``scribed_notes``, ``facilitator_notes``, ``online_notes``: of those, by channel;
    - ``votes``: every dot the tallies hold (:func:`workshop.voting.tally.dots_cast`).
    """
    (phones,) = db.execute(
        "SELECT count(*) FROM attendees WHERE workshop_id = ?", [workshop_id]
    ).fetchone()
    (named,) = db.execute(
        "SELECT count(*) FROM attendees WHERE workshop_id = ? AND name IS NOT NULL", [workshop_id]
    ).fetchone()
    notes, cards, scribed, facilitator, online = db.execute(
        f"""SELECT count(*), coalesce(sum(card_code IS NOT NULL), 0),
                   coalesce(sum(source = 'paper'), 0), coalesce(sum(source = 'facilitator'), 0),
                   coalesce(sum(online), 0)
            FROM notes n WHERE n.workshop_id = ? AND {NOTES_ON_BOARD}""",
        [workshop_id],
    ).fetchone()
    return {
        "phones": phones,
        "attendees_named": named,
        "took_part": participants(db, workshop_id),
        "notes": notes,
        "paper_cards": cards,
        "scribed_notes": scribed,
        "facilitator_notes": facilitator,
        "online_notes": online,
        "votes": tally.dots_cast(db, workshop_id)["total"],
    }
