"""The suggestions a workshop gets: read its notes (``gather``), then work them out
(``suggest``, pure CPU on plain data, which the route runs off the event loop).

Nothing here changes the board: accepting a suggestion is the board's own grouping, merging
and moving (workshop/board/sorting.py), undoable and logged like any other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from workshop.core.errors import Invalid
from workshop.notes.notes import get_note_json, public_json
from workshop.suggestions import duplicates, placing, similar, themes, vectors
from workshop.suggestions.words import cached_words
from workshop.workshops.allowed import blind
from workshop.workshops.workshops import workshop_row

QUERY_MAX = 2000  # characters of a phone's draft looked at


@dataclass
class Board:
    """What the suggestions read of a workshop: live notes, and the plan's sections."""

    notes: list[dict] = field(default_factory=list)  # {id, text, section_id, group_id}
    sections: list[dict] = field(default_factory=list)  # {id, title, body}


def gather(db: Database, code: Any) -> Board:
    """The notes on the board (not hidden, withdrawn or merged away) and the sections."""
    workshop = workshop_row(db, code)
    rows = db.execute(
        """SELECT id, text, section_id, group_id FROM notes
           WHERE workshop_id = ? AND merged_into IS NULL AND hidden = 0
                 AND withdrawn_at IS NULL
           ORDER BY id""",
        [workshop["id"]],
    ).fetchall()
    sections = db.execute(
        """SELECT id, title, body FROM sections WHERE workshop_id = ? AND removed_at IS NULL
           ORDER BY position, id""",
        [workshop["id"]],
    ).fetchall()
    return Board(
        [dict(zip(("id", "text", "section_id", "group_id"), row, strict=True)) for row in rows],
        [dict(zip(("id", "title", "body"), row, strict=True)) for row in sections],
    )


def suggest(board: Board) -> dict:
    """{groups: [{note_ids, label, score}], duplicates: [[note_id, …]], sections:
    [{note_id, section_id, score}]}.

    Groups are proposed among the notes not in a group yet; duplicates among all of them
    (the oldest first: the one to merge into); section hints for the unsorted notes."""
    notes, sections = board.notes, board.sections
    texts = [note["text"] for note in notes]
    texts += [f"{s['title']}. {s['body'] or ''}" for s in sections]
    words = [cached_words(text) for text in texts]
    if not notes:
        return {"groups": [], "duplicates": [], "sections": []}
    space = vectors.note_vectors(words)
    loose = [i for i, note in enumerate(notes) if note["group_id"] is None]
    groups = []
    if len(loose) >= 2:
        loose_words = [words[i] for i in loose]
        for theme in themes.themes(loose_words, vectors.note_vectors(loose_words)):
            ids = [notes[loose[i]]["id"] for i in theme.members]
            groups.append({"note_ids": ids, "label": theme.label, "score": theme.score})
    note_grams = space.grams[: len(notes)]
    found = [[notes[i]["id"] for i in members] for members in duplicates.duplicate_sets(note_grams)]
    index_of = {section["id"]: number for number, section in enumerate(sections)}
    sorted_into = {
        i: index_of[note["section_id"]]
        for i, note in enumerate(notes)
        if note["section_id"] in index_of
    }
    unsorted = [i for i, note in enumerate(notes) if note["section_id"] is None]
    section_rows = list(range(len(notes), len(texts)))
    hints = placing.section_hints(space.matrix, unsorted, sorted_into, section_rows)
    return {
        "groups": groups,
        "duplicates": found,
        "sections": [
            {
                "note_id": notes[hint.note]["id"],
                "section_id": sections[hint.section]["id"],
                "score": hint.score,
            }
            for hint in hints
        ],
    }


def similar_for_room(db: Database, code: Any, text: Any, *, asker: str | None = None) -> list[dict]:
    """Up to three notes the room can see that are like ``text`` (a phone's draft): only
    what the public board shows, so a hidden note is never offered, and nothing while
    writing is blind; never the asker's own notes. Each as the public note JSON with its
    ``score``."""
    if not isinstance(text, str):
        raise Invalid("text must be text (what the phone is typing)")
    workshop = workshop_row(db, code)
    if blind(workshop, workshop["phase"]):
        return []
    rows = db.execute(
        """SELECT id, text FROM notes
           WHERE workshop_id = ? AND merged_into IS NULL AND hidden = 0
                 AND withdrawn_at IS NULL AND (? IS NULL OR attendee_id IS NOT ?)""",
        [workshop["id"], asker, asker],
    ).fetchall()
    visible = [(row[0], row[1]) for row in rows]
    found = similar.similar_notes(text[:QUERY_MAX], visible, key=workshop["id"])
    offered = []
    for note_id, score in found:
        note = public_json(get_note_json(db, note_id), workshop)
        if "text" in note:  # public_json kept it whole: the room may see it
            offered.append({**note, "score": score})
    return offered
