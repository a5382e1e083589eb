"""What we heard and what we will do: the data behind the summary page, the Markdown export
and the report. Public by design: no hidden notes, and names only where people gave one."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from sqlite_utils import Database

from workshop.board import sorting
from workshop.core.i18n import N_, translations
from workshop.followup import nextsteps, roomphotos
from workshop.notes import notes
from workshop.paper.cards import card_note
from workshop.voting import tally
from workshop.workshops.workshops import get_workshop, workshop_row

TOP = 10


def _same(message: str) -> str:
    return message


def summary(
    db: Database,
    code: Any,
    attendee_id: str | None = None,
    translate: Callable[[str], str] = _same,
) -> dict:
    """Sections with their groups and notes, the top-voted notes, the next steps with the
    notes they answer, the room's photos, and which notes are this attendee's; the words it
    adds (a heading, outcomes) in the language of ``translate`` (a catalogue's gettext)."""
    workshop = get_workshop(db, code)
    row = workshop_row(db, code)
    public = [n for n in notes.list_notes(db, code) if "text" in n]  # blind or hidden: left out
    for note in public:
        note["outcome"], note["outcome_detail"] = nextsteps.outcome_of(db, note, translate)
    mine = set()
    if attendee_id:
        mine = {n["id"] for n in notes.notes_by_attendee(db, code, attendee_id)}
    by_id = {note["id"]: note for note in public}
    groups = {g["id"]: g for g in sorting.list_groups(db, row["id"], public=row)}
    sections = []
    unsorted = {"id": None, "title": translate(N_("Not sorted yet")), "body": ""}
    for section in [*workshop["sections"], unsorted]:
        in_section = [n for n in public if n["section_id"] == section["id"]]
        section_groups = groups_of_section(groups.values(), section["id"], by_id)
        loose = [n for n in in_section if n["group_id"] is None]
        if section["id"] is None and not in_section:
            continue
        sections.append(
            {**section, "groups": [g for g in section_groups if g["notes"]], "notes": loose}
        )
    tallies_shown = not notes.tallies_hidden(row)
    top = [top_entry(item) for item in tally.ranked(public, list(groups.values()), TOP)]
    steps = []
    for step in nextsteps.list_next_steps(db, code):
        steps.append({**step, "notes": [by_id[i] for i in step["note_ids"] if i in by_id]})
    return {
        "workshop": workshop,
        "sections": sections,
        "top_notes": top if tallies_shown else [],
        "next_steps": steps,
        "photos": roomphotos.list_photos(db, code),
        "mine": sorted(mine & set(by_id)),
        "notes_by_id": by_id,
        "counts": {"notes": len(public), "next_steps": len(steps)},
    }


def top_entry(item: dict) -> dict:
    """A ranked item as a list of notes shows it: a note as itself; a group as one entry
    with its label (or its notes' texts), its tally and its first note's other fields."""
    if item["kind"] == "note":
        return item
    first = item["notes"][0]
    text = item["label"] or " / ".join(note["text"] for note in item["notes"])
    return {**first, "kind": "group", "group_id": item["id"], "text": text, "votes": item["votes"]}


def card_outcome(
    db: Database, card_code: str, translate: Callable[[str], str] = _same
) -> dict | None:
    """What became of a printed card's note, for a paper participant who types its code."""
    note = card_note(db, card_code)
    if note is None or note["hidden"] or note["withdrawn"]:
        return None
    outcome, detail = nextsteps.outcome_of(db, note, translate)
    return {**note, "outcome": outcome, "outcome_detail": detail}


def groups_of_section(groups: Iterable[dict], section_id: int | None, shown: dict) -> list[dict]:
    """A section's groups with their tallies and the notes of each that are ``shown`` (by
    id): the summary's and the report's view of a group."""
    return [
        {
            "id": g["id"],
            "label": g["label"],
            "votes": g["votes"],
            "notes": [shown[i] for i in g["note_ids"] if i in shown],
        }
        for g in groups
        if g["section_id"] == section_id
    ]


def markdown(db: Database, code: Any) -> str:
    """The summary as Markdown, to paste into a blog post or an email, in the workshop's
    language."""
    workshop_language = workshop_row(db, code)["settings"]["language"]
    words = translations(workshop_language)
    _ = words.gettext
    data = summary(db, code, translate=_)
    workshop = data["workshop"]

    def votes(note: dict) -> str:
        count = note.get("votes")
        if not count:
            return ""
        return " " + words.ngettext("(%(num)s vote)", "(%(num)s votes)", count) % {"num": count}

    lines = [f"# {_md(workshop['title'])}", ""]
    if workshop["description"]:
        lines += [_md(workshop["description"]), ""]
    lines += [f"## {_('What we will do')}", ""]
    for step in data["next_steps"] or []:
        due = step["due"] and _("by %(due)s") % {"due": step["due"]}
        meta = ", ".join(_md(x) for x in (step["owner"], due, step["status"]) if x)
        lines.append(f"- **{_md(step['text'])}** ({meta})")
        if step["status"] == "declined" and step["reason"]:
            lines.append("  - " + _("Why not: %(reason)s") % {"reason": _md(step["reason"])})
        for note in step["notes"]:
            lines.append("  - " + _("answers: “%(text)s”") % {"text": _md(note["text"])})
    if not data["next_steps"]:
        lines.append(_("No next steps recorded yet."))
    lines += ["", f"## {_('What we heard')}", ""]
    for section in data["sections"]:
        lines += [f"### {_md(section['title'])}", ""]
        for group in section["groups"]:
            lines.append(f"- **{_md(group['label'] or _('Group'))}**")
            lines += [f"  - {_md(n['text'])}{votes(n)}" for n in group["notes"]]
        lines += [f"- {_md(n['text'])}{votes(n)}" for n in section["notes"]]
        if not section["groups"] and not section["notes"]:
            lines.append(_("No notes."))
        lines.append("")
    if data["top_notes"]:
        lines += [f"## {_('Most votes')}", ""]
        lines += [f"{i}. {_md(n['text'])}{votes(n)}" for i, n in enumerate(data["top_notes"], 1)]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# Characters that format or link wherever they stand, and the constructs that only count at
# the start of a line (headings, lists, quotes, setext underlines) or as an entity.
_INLINE = set("\\`*_[]<>~|")
_LINE_START = re.compile(r"^([#+\-=>])|^(\d+)([.)])")
_ENTITY = re.compile(r"&(?=#?\w+;)")


def _md(text: str) -> str:
    """Text as Markdown shows it literally — no links, HTML, emphasis or headings smuggled
    in — escaping only those characters, so "bike-lane (draft 2)." reads as typed."""
    escaped = "".join(f"\\{char}" if char in _INLINE else char for char in text)
    escaped = escaped.replace("\\](", "\\]\\(")  # no "](" left that a reader could take for a link
    escaped = _ENTITY.sub(r"\\&", " ".join(escaped.split()))
    return _LINE_START.sub(
        lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", escaped
    )
