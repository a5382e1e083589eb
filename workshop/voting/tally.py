"""The one tally rule: how many dots a note or a group holds, and where the dots came from.

Every screen, answer, summary, report and export reads its numbers from here (the notes
SELECT embeds :data:`NOTE_TALLY`; groups use :data:`GROUP_TALLY`), so they cannot disagree:

- a note's tally is its own dots, the dots of the notes merged into it, its paper dots and
  theirs;
- a group's tally is the sum of its notes' tallies plus the dots given to the group itself;
- a dot given to a group (``votes.group_id``) counts for the group while the group stands.
  It is stored beside the group's first note of the moment (``votes.note_id``), and once the
  group is dissolved (ungrouped, or emptied) it counts on that note, so no dot is ever lost
  or counted twice: the tallies of the top-level items (groups and the notes in no group)
  always add up to :func:`dots_cast`.

To leave a kind of note out of every tally (e.g. withdrawn notes), filter it in
:data:`COUNTED_NOTE` (and in :func:`dots_cast`): nothing else counts dots.
"""

from __future__ import annotations

from sqlite_utils import Database

# Which notes' dots count at all (a filter on alias ``o``); every tally goes through it.
COUNTED_NOTE = "o.withdrawn_at IS NULL"  # a withdrawn note is kept for the record, not counted

# A vote given to a group that still stands counts for the group, not for its note.
_FOR_STANDING_GROUP = """(v.group_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM groups g WHERE g.id = v.group_id AND g.workshop_id = v.workshop_id))"""

# The tally of note ``n`` (its dots and paper dots, and those of the notes merged into it).
NOTE_TALLY = f"""(
    (SELECT count(*) FROM votes v JOIN notes o ON o.id = v.note_id
        WHERE (v.note_id = n.id OR v.note_id IN (
                   SELECT m.id FROM notes m WHERE m.merged_into = n.id))
          AND {COUNTED_NOTE} AND NOT {_FOR_STANDING_GROUP})
    + (SELECT coalesce(sum(o.paper_dots), 0) FROM notes o
        WHERE (o.id = n.id OR o.merged_into = n.id) AND {COUNTED_NOTE})
)"""

# The "+1"s ("me too") on note ``n``: the phones that said it, on it or on a note merged
# into it, each counted once (workshop.notes.plusones). A count, not dots: it ranks nothing.
NOTE_PLUS_ONES = """(
    SELECT count(DISTINCT p.attendee_id) FROM note_plus_ones p
    WHERE p.note_id = n.id OR p.note_id IN (SELECT m.id FROM notes m WHERE m.merged_into = n.id)
)"""

# The tally of group ``gr``: its notes' tallies plus the dots given to the group itself.
GROUP_TALLY = f"""(
    (SELECT coalesce(sum({NOTE_TALLY}), 0) FROM notes n
        WHERE n.group_id = gr.id AND n.merged_into IS NULL)
    + (SELECT count(*) FROM votes gv WHERE gv.group_id = gr.id AND gv.workshop_id = gr.workshop_id)
)"""


def note_tally(db: Database, note_id: int) -> int:
    """One note's tally (what ``votes`` says in its JSON)."""
    row = db.execute(f"SELECT {NOTE_TALLY} FROM notes n WHERE n.id = ?", [note_id]).fetchone()
    return 0 if row is None else row[0]


def group_tallies(db: Database, group_ids: list[int]) -> dict[int, int]:
    """Each group's tally, by group id (a group that does not exist is left out)."""
    found: dict[int, int] = {}
    for start in range(0, len(group_ids), 500):
        chunk = group_ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        rows = db.execute(
            f"SELECT gr.id, {GROUP_TALLY} FROM groups gr WHERE gr.id IN ({marks})", chunk
        )
        found.update(dict(rows.fetchall()))
    return found


def group_tally(db: Database, group_id: int) -> int:
    return group_tallies(db, [group_id]).get(group_id, 0)


def dots_cast(db: Database, workshop_id: int) -> dict:
    """Every dot the workshop holds, by channel: ``phones`` (dots placed from phones),
    ``cards`` (dots a scribe recorded for a printed card's holder), ``paper_dots`` (physical
    sticky dots the facilitator counted), ``paper`` (cards + paper dots) and ``total``."""
    (phones, cards) = db.execute(
        f"""SELECT coalesce(sum(v.attendee_id NOT LIKE 'card:%'), 0),
                   coalesce(sum(v.attendee_id LIKE 'card:%'), 0)
            FROM votes v JOIN notes o ON o.id = v.note_id
            WHERE v.workshop_id = ? AND {COUNTED_NOTE}""",
        [workshop_id],
    ).fetchone()
    (paper_dots,) = db.execute(
        f"""SELECT coalesce(sum(o.paper_dots), 0) FROM notes o
            WHERE o.workshop_id = ? AND {COUNTED_NOTE}""",
        [workshop_id],
    ).fetchone()
    return {
        "total": phones + cards + paper_dots,
        "phones": phones,
        "cards": cards,
        "paper_dots": paper_dots,
        "paper": cards + paper_dots,
    }


def ranked(notes: list[dict], groups: list[dict], limit: int | None = None) -> list[dict]:
    """The ranked view's items, most dots first: each group as one item (``kind: group``,
    its tally, its notes) and each note in no group (``kind: note``); items without a dot or
    without a tally (hidden) are left out. ``notes`` and ``groups`` are as their JSON shows
    them (the notes a view may see)."""
    by_id = {note["id"]: note for note in notes}
    items = []
    for group in groups:
        members = [by_id[i] for i in group["note_ids"] if i in by_id]
        if members and group.get("votes"):
            items.append(
                {
                    "kind": "group",
                    "id": group["id"],
                    "votes": group["votes"],
                    "label": group["label"],
                    "notes": members,
                    "section_id": group["section_id"],
                }
            )
    for note in notes:
        if note.get("group_id") is None and note.get("votes") and "text" in note:
            items.append({"kind": "note", **note})
    items.sort(key=lambda item: (-item["votes"], item["kind"] != "note", item["id"]))
    return items if limit is None else items[:limit]
