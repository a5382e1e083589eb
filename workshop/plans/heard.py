"""What the programme heard: every session's notes by plan section, side by side, with
counts by session and channel, and the points raised in more than one session.

The notes counted are the ones each board shows (not hidden, not merged into another, not
withdrawn): the same definition as every other screen (docs/numbers.md). A merged duplicate
travels with the note it was merged into.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from sqlite_utils import Database

from workshop.core.errors import Invalid
from workshop.notes.notes import list_notes
from workshop.plans.plans import CHANNELS, channel_of, get_plan, plan_row

# Two notes from different sessions make the same point when most of their longer words are
# shared: Jaccard similarity of their word sets (words of four letters or more).
SAME_POINT = 0.5
MIN_SHARED_WORDS = 2
MAX_THEMES = 8
_WORD = re.compile(r"\w{4,}")
# Words too common to make a theme (English and Spanish, four letters or more).
_COMMON = frozenset(
    """that this with from have there their they them then than what when where which would
    should could about into more most some such very also just only over your were been being
    does will para como pero esta este estos estas porque cuando donde tiene tienen hay muy
    más mas sobre todo todos todas desde hasta entre nuestra nuestro también tambien""".split()  # noqa: SIM905
)


def words_of(text: str) -> set[str]:
    return {word for word in _WORD.findall(text.casefold()) if word not in _COMMON}


def plan_heard(db: Database, code: Any, session: Any = None, channel: Any = None) -> dict:
    """The plan page's data; ``session`` (a join code) and ``channel`` filter the notes
    shown by section (the counts always cover every session and channel)."""
    plan = get_plan(db, code)
    row = plan_row(db, code)
    sessions = plan["sessions"]
    codes = [s["code"] for s in sessions]
    if session not in (None, "") and session not in codes:
        raise Invalid("session must be the join code of one of the plan's sessions")
    if channel not in (None, "") and channel not in CHANNELS:
        raise Invalid("channel must be one of: %(choices)s", choices=", ".join(CHANNELS))
    links = _section_links(db, row["id"])
    heard = []  # every note the boards show, with its session, channel and plan section
    for item in sessions:
        for note in list_notes(db, item["code"], include_hidden=True):
            if note["hidden"] or note["withdrawn"]:
                continue
            heard.append(
                {
                    "id": note["id"],
                    "text": note["text"],
                    "session": item["code"],
                    "channel": channel_of(note, item["kind"]),
                    "votes": note["votes"],
                    "merged": len(note["merged"]),
                    "author_label": note["author_label"],
                    "plan_section_id": links.get(note["section_id"]),
                    "outcome": note["outcome"],
                    "outcome_reason": note["outcome_reason"],
                }
            )
    counts = {s: dict.fromkeys(CHANNELS, 0) for s in codes}
    for note in heard:
        counts[note["session"]][note["channel"]] += 1
    shown = [
        n
        for n in heard
        if (not session or n["session"] == session) and (not channel or n["channel"] == channel)
    ]
    columns = [s for s in sessions if not session or s["code"] == session]
    sections = [
        _section(section, columns, [n for n in shown if n["plan_section_id"] == section["id"]])
        for section in plan["sections"]
    ]
    outside = _section(
        {"id": None, "title": "", "body": "", "version": None},
        columns,
        [n for n in shown if n["plan_section_id"] is None],
    )
    return {
        "plan": plan,
        "filters": {"session": session or "", "channel": channel or ""},
        "channels": list(CHANNELS),
        "sessions": [
            {**s, "counts": counts[s["code"]], "total": sum(counts[s["code"]].values())}
            for s in sessions
        ],
        "by_channel": {c: sum(counts[s][c] for s in codes) for c in CHANNELS},
        "total": len(heard),
        "shown": len(shown),
        "sections": sections,
        "outside": outside,
        "points": shared_points(heard),
        "themes": themes(heard),
    }


def _section_links(db: Database, plan_id: int) -> dict[int, int]:
    """Each session section's plan section (sections added on a session's board have none)."""
    return dict(
        db.execute(
            """SELECT l.section_id, l.plan_section_id FROM plan_session_sections l
               JOIN plan_sessions s ON s.workshop_id = l.workshop_id WHERE s.plan_id = ?""",
            [plan_id],
        ).fetchall()
    )


def _section(section: dict, sessions: list[dict], notes: list[dict]) -> dict:
    return {
        "id": section["id"],
        "title": section["title"],
        "body": section["body"],
        "version": section["version"],
        "total": len(notes),
        "columns": [
            {"session": s["code"], "notes": [n for n in notes if n["session"] == s["code"]]}
            for s in sessions
        ],
    }


def shared_points(heard: list[dict]) -> list[dict]:
    """Points raised in more than one session: notes whose words mostly agree, linked across
    sessions (and through each other), each group with the sessions that raised it."""
    sets = [words_of(n["text"]) for n in heard]
    parent = list(range(len(heard)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(heard)):
        for j in range(i + 1, len(heard)):
            if heard[i]["session"] == heard[j]["session"]:
                continue
            shared = len(sets[i] & sets[j])
            union = len(sets[i] | sets[j])
            if shared >= MIN_SHARED_WORDS and shared / union >= SAME_POINT:
                parent[root(j)] = root(i)
    groups: dict[int, list[dict]] = {}
    for index, note in enumerate(heard):
        groups.setdefault(root(index), []).append(note)
    points = []
    for members in groups.values():
        raised_in = list(dict.fromkeys(n["session"] for n in members))
        if len(raised_in) > 1:
            points.append(
                {
                    "note_ids": [n["id"] for n in members],
                    "notes": members,
                    "sessions": raised_in,
                }
            )
    points.sort(key=lambda p: (-len(p["sessions"]), -len(p["notes"]), p["note_ids"][0]))
    return points


def themes(heard: list[dict]) -> list[dict]:
    """Words that came up in more than one session, by how many notes use them."""
    notes_with: Counter[str] = Counter()
    sessions_with: dict[str, set[str]] = {}
    for note in heard:
        for word in words_of(note["text"]):
            notes_with[word] += 1
            sessions_with.setdefault(word, set()).add(note["session"])
    ranked = [
        {"word": word, "notes": count, "sessions": len(sessions_with[word])}
        for word, count in notes_with.most_common()
        if len(sessions_with[word]) > 1
    ]
    return ranked[:MAX_THEMES]
