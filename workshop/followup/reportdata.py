"""Gather the post-session report's data (printables.build_report draws it)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from workshop.activities import cardsort, plancheck
from workshop.board import moderation, sections, sorting
from workshop.core.i18n import translations
from workshop.followup import nextsteps, participation, roomphotos, summary
from workshop.notes import notes
from workshop.voting import ballots, tally
from workshop.workshops.workshops import get_workshop, workshop_row

BUCKET_MINUTES = 5


def report_data(
    db: Database, code: Any, photos_dir: Path | None, place: str = "", facilitator: str = ""
) -> dict:
    """Everything the report prints, with the workshop's ``language`` (printables write its
    words, the ISO ``date`` and ``generated_at`` in it)."""
    workshop = get_workshop(db, code)
    row = workshop_row(db, code)
    language = workshop["settings"]["language"]
    translate = translations(language).gettext
    everything = notes.list_notes(db, code, include_hidden=True)
    merged = [notes.get_note_json(db, m["id"]) for n in everything for m in n["merged"]]
    prompts = {p["id"]: p["text"] for p in workshop["prompts"]}
    section_titles = {s["id"]: s["title"] for s in workshop["sections"]}
    groups = {g["id"]: g for g in sorting.list_groups(db, row["id"])}

    def entry(note: dict) -> dict:
        outcome, detail = nextsteps.outcome_of(db, note, translate)
        return {
            "id": note["id"],
            "text": note["text"],
            "votes": note["votes"],
            "plus_ones": note["plus_ones"],
            "source": note["source"],
            "author_label": note["author_label"],
            "card_code": note["card_code"],
            "entered_by": note["entered_by"],
            "prompt": prompts.get(note["prompt_id"]),
            "section": section_titles.get(note["section_id"]),
            "group": (groups.get(note["group_id"]) or {}).get("label") or None,
            "hidden": note["hidden"],
            "withdrawn": note["withdrawn"],
            "edited": note["edited"],
            "merged_into": note["merged_into"],
            "created_at": note["created_at"],
            "outcome": outcome,
            "outcome_detail": detail,
            "online": note["online"],
        }

    entries = {n["id"]: entry(n) for n in everything + merged}
    # What the room saw: not hidden, not withdrawn (both only in the appendix and Integrity).
    shown = [entries[n["id"]] for n in everything if not (n["hidden"] or n["withdrawn"])]
    on_board = {e["id"] for e in shown}
    report_sections = []
    board = {i: entries[i] for i in on_board}
    for section in workshop["sections"]:
        in_section = [e for e in shown if e["section"] == section["title"]]
        report_sections.append(
            {
                "title": section["title"],
                "body": section["body"],
                "revisions": sections.section_revisions(db, section["id"]),
                "groups": summary.groups_of_section(groups.values(), section["id"], board),
                "notes": [e for e in in_section if e["group"] is None],
            }
        )
    outcome_counts = Counter(
        e["outcome"] or "none" for e in entries.values() if not (e["hidden"] or e["withdrawn"])
    )
    check = plancheck.check_results(db, code)
    return {
        "language": language,
        "workshop": {
            "title": workshop["title"],
            "description": workshop["description"],
            "code": workshop["code"],
            "date": _date(workshop["created_at"]),
            "place": place,
            "facilitator": facilitator,
            "generated_at": datetime.now().strftime("%Y-%m-%d %H:%M"),
        },
        "participation": {
            **participation.participation(db, row["id"]),
            "timeline": _timeline(db, row["id"], list(entries.values())),
        },
        "ballots": ballots.ballot_report(db, code),
        "sections": report_sections,
        "unsorted": [e for e in shown if e["section"] is None and e["group"] is None],
        "top_notes": [
            summary.top_entry(item)
            for item in tally.ranked(shown, [_shown_group(g, entries) for g in groups.values()], 10)
        ],
        "next_steps": [
            {
                **{k: s[k] for k in ("text", "owner", "due", "status", "reason")},
                "notes": [entries[i] for i in s["note_ids"] if i in entries],
            }
            for s in nextsteps.list_next_steps(db, code)
        ],
        "outcomes": {
            k: outcome_counts.get(k, 0)
            for k in ("answered", "merged", "out-of-scope", "noted", "none")
        },
        "moderation": [
            {k: e[k] for k in ("action", "summary", "created_at", "undone")}
            for e in moderation.moderation_log(db, code, language)
        ],
        "votes_by_section": [
            {
                "section": s["title"],
                "votes": sum(e["votes"] or 0 for e in shown if e["section"] == s["title"]),
            }
            for s in workshop["sections"]
        ],
        "card_sorts": _card_sorts(db, code, section_titles),
        "plan_check": None
        if check is None
        else {
            "participants": check["participants"],
            "sections": [{"title": s["title"], "counts": s["counts"]} for s in check["sections"]],
        },
        "photos": [
            {
                "path": str(photos_dir / p["file"]) if photos_dir else p["file"],
                "caption": p["caption"],
            }
            for p in roomphotos.list_photos(db, code)
        ],
        "notes": sorted(entries.values(), key=lambda e: e["id"]),
        "integrity": integrity(db, code),
    }


def integrity(db: Database, code: Any) -> dict:
    """How the record changed after notes were posted, so a reader can trust the tallies:
    notes whose text changed (each earlier text, who changed it and when), notes their
    authors withdrew, notes merged into others, and how many were hidden (with the reason
    the facilitator gave, where there is one). The report and the JSON export carry it."""
    workshop = workshop_row(db, code)
    rows = [
        dict(row)
        for row in db.query(
            """SELECT id, text, author_label, hidden, merged_into, withdrawn_at, outcome_reason
               FROM notes WHERE workshop_id = ? ORDER BY id""",
            [workshop["id"]],
        )
    ]
    revisions: dict[int, list[dict]] = {}
    for revision in db.query(
        """SELECT r.note_id, r.text, r.revised_by, r.revised_at FROM note_revisions r
           JOIN notes n ON n.id = r.note_id WHERE n.workshop_id = ? ORDER BY r.id""",
        [workshop["id"]],
    ):
        note_id = revision.pop("note_id")
        revisions.setdefault(note_id, []).append(revision)
    hidden = [
        {"id": row["id"], "reason": row["outcome_reason"] or None}
        for row in rows
        if row["hidden"] and row["withdrawn_at"] is None
    ]
    return {
        "edited": [
            {"id": row["id"], "text": row["text"], "revisions": revisions[row["id"]]}
            for row in rows
            if row["id"] in revisions
        ],
        "withdrawn": [
            {k: row[k] for k in ("id", "text", "author_label", "withdrawn_at")}
            for row in rows
            if row["withdrawn_at"] is not None
        ],
        "merged": [
            {k: row[k] for k in ("id", "text", "merged_into")}
            for row in rows
            if row["merged_into"] is not None
        ],
        "hidden": {"count": len(hidden), "notes": hidden},
    }


def _card_sorts(db: Database, code: Any, section_titles: dict[int, str]) -> list[dict]:
    """Each card sort, oldest first: where people put each note, agreement, similarity."""
    sorts = []
    for sort in reversed(cardsort.list_sorts(db, code)):
        outcome = cardsort.results(db, sort["id"])
        texts = {n["note_id"]: notes.get_note(db, n["note_id"])["text"] for n in outcome["notes"]}
        sorts.append(
            {
                "started_at": sort["started_at"],
                "participants": outcome["participants"],
                "notes": [
                    {
                        "id": n["note_id"],
                        "text": texts[n["note_id"]],
                        "shares": {
                            section_titles.get(int(s), "?"): share
                            for s, share in n["shares"].items()
                        },
                        "agreement": n["agreement"],
                    }
                    for n in outcome["notes"]
                ],
                "most_disputed": outcome["most_disputed"],
                "similarity": outcome["similarity"],
            }
        )
    return sorts


def _date(stamp: str) -> str:
    """The day a timestamp falls on, as an ISO date (the report writes it out)."""
    return datetime.fromisoformat(stamp).date().isoformat()


def _shown_group(group: dict, entries: dict[int, dict]) -> dict:
    """A group as the report ranks it: its notes as the report shows them."""
    return {**group, "note_ids": [i for i in group["note_ids"] if i in entries]}


def _timeline(db: Database, workshop_id: int, entries: list[dict]) -> list[dict]:
    """Notes and dots in five-minute buckets (every note received, as it came in)."""
    buckets: Counter = Counter()
    vote_buckets: Counter = Counter()
    for e in entries:
        buckets[_bucket(e["created_at"])] += 1
    for (stamp,) in db.execute("SELECT created_at FROM votes WHERE workshop_id = ?", [workshop_id]):
        if stamp:
            vote_buckets[_bucket(stamp)] += 1
    times = sorted(set(buckets) | set(vote_buckets))
    return [{"time": t, "notes": buckets[t], "votes": vote_buckets[t]} for t in times]


def _bucket(stamp: str) -> str:
    moment = datetime.fromisoformat(stamp)
    minute = moment.minute - moment.minute % BUCKET_MINUTES
    return moment.replace(minute=minute).strftime("%H:%M")
