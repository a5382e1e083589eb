"""The report's note-heavy chapters: what we heard by section, every note's outcome, the appendix.

These are where a 1,000-note workshop spends its pages and its build time, so a note is one
paragraph (its dots as the bullet, its text, a provenance line) rather than a table row: a
paragraph splits across pages where a row cannot, and needs no column measuring.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from reportlab.platypus import CondPageBreak, Flowable, Paragraph

from printables.fonts import printable_text
from printables.paper import INCH
from printables.report_doc import ALERT, Heading, Styles, markup, markup_lines, table

Note = Mapping[str, Any]
OUTCOMES = {
    "answered": "Answered by a next step",
    "merged": "Merged into another note",
    "out-of-scope": "Out of scope",
    "noted": "Noted",
    "none": "No outcome yet",
}
OUTCOME_SHORT = {
    "answered": "answered",
    "merged": "merged",
    "out-of-scope": "out of scope",
    "noted": "noted",
    "none": "\u2013",
}
OUTCOME_COLUMNS = ("#", "Note", "Outcome", "Detail")
SOURCES = {"phone": "phone", "paper": "paper card", "facilitator": "facilitator"}
META_SIZE = 8
META_COLOUR = "#5f5f6b"


def visible(notes: Iterable[Note]) -> list[Note]:
    """The notes the room may see: hidden ones appear only in the appendix."""
    return [note for note in notes if not note.get("hidden")]


def source_label(note: Note) -> str:
    """Where a note came from, as a reader would say it: phone, paper card K7PQXM, online."""
    if note.get("online"):
        return "online"
    source = SOURCES.get(str(note.get("source") or ""), str(note.get("source") or "phone"))
    if note.get("source") == "paper" and note.get("card_code"):
        return f"{source} {note['card_code']}"
    return source


def dots(count: Any) -> str:
    count = int(count or 0)
    return f"{count} dot" if count == 1 else f"{count} dots"


def plural(items: Sequence[Any], noun: str) -> str:
    return f"{len(items)} {noun}" + ("" if len(items) == 1 else "s")


def when(timestamp: Any) -> str:
    """An ISO timestamp as date and time to the second, or as given if it is not one."""
    try:
        return datetime.fromisoformat(str(timestamp)).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return str(timestamp or "")


def note_paragraph(
    note: Note, styles: Styles, grouped: bool = False, with_section: bool = False
) -> Paragraph:
    """A note as the room saw it: dots as the bullet, its text, then source and author."""
    style = styles.grouped_note if grouped else styles.note
    meta = [source_label(note)]
    if with_section:
        meta.insert(0, note.get("section") or "unsorted")
    if note.get("author_label"):
        meta.append(f"by {note['author_label']}")
    if note.get("merged_into") is not None:
        meta.append(f"merged into #{note['merged_into']}")
    meta.append(f"#{note.get('id')}")
    dot = "\u25cf" if styles.font.unicode else "\u2022"  # the built-in fonts have only a bullet
    bullet = printable_text(f"{int(note.get('votes') or 0)} {dot}", style.bulletFontName)
    return Paragraph(
        f"{markup_lines(note.get('text'), style.fontName)}<br/>{_meta(meta, style.fontName)}",
        style,
        bulletText=bullet,
    )


def _meta(parts: Sequence[str], font: str) -> str:
    text = markup(" \u00b7 ".join(parts), font)
    return f'<font size="{META_SIZE}" color="{META_COLOUR}">{text}</font>'


def what_we_heard(
    sections: Sequence[Mapping[str, Any]], unsorted: Sequence[Note], styles: Styles
) -> list[Flowable]:
    """Chapter 3: each plan section's groups with their notes, then its ungrouped notes."""
    story: list[Flowable] = [
        styles.para(
            "The notes the room sorted into each section of the plan, as they were grouped on "
            "the board. Each note shows its dots (votes) on the left, then where it came from."
        )
    ]
    entries = [(section.get("title"), section) for section in sections]
    entries.append(("Unsorted", {"groups": [], "notes": unsorted}))
    for number, (title, section) in enumerate(entries, start=1):
        heading = f"3.{number} {title or 'Untitled section'}"
        story.append(Heading(heading, styles.section, 1, f"heard-{number}"))
        groups = [
            (group, visible(group.get("notes") or [])) for group in section.get("groups") or []
        ]
        groups = [(group, notes) for group, notes in groups if notes]
        loose = visible(section.get("notes") or [])
        every = [note for _, notes in groups for note in notes] + loose
        if not every:
            story.append(styles.para("No notes.", styles.small))
            continue
        total = sum(int(note.get("votes") or 0) for note in every)
        summary = f"{plural(every, 'note')}, {dots(total)}"
        if groups:
            summary += f", {plural(groups, 'group')}"
        story.append(styles.para(summary + ".", styles.small_lead))
        for group, notes in groups:
            votes = sum(int(note.get("votes") or 0) for note in notes)
            label = f"{group.get('label') or 'Group'} \u00b7 {plural(notes, 'note')}"
            label += f" \u00b7 {dots(votes)}"
            story.append(styles.para(label, styles.minor))
            story += [note_paragraph(note, styles, grouped=True) for note in notes]
        if groups and loose:
            story.append(styles.para("Not in a group", styles.minor))
        story += [note_paragraph(note, styles) for note in loose]
    return story


def outcomes_chapter(
    counts: Mapping[str, Any], notes: Sequence[Note], styles: Styles, width: float
) -> list[Flowable]:
    """Chapter 8: how many notes had each outcome, then every visible note's outcome."""
    total = sum(int(value or 0) for value in counts.values())
    head = [styles.cell(text, style=styles.cell_head) for text in ("Outcome", "Notes", "Share")]
    rows: list[list[Any]] = [head]
    for name in list(OUTCOMES) + [name for name in counts if name not in OUTCOMES]:
        number = int(counts.get(name) or 0)
        share = f"{100 * number / total:.0f}%" if total else "-"
        label = OUTCOMES.get(name, name)
        rows.append([styles.cell(label), styles.cell(number), styles.cell(share)])
    story: list[Flowable] = [table(rows, [width * 0.5, width * 0.15, width * 0.15], styles)]
    shown = sorted(visible(notes), key=lambda note: _id_order(note.get("id")))
    hidden = len(notes) - len(shown)
    lead = "Every note and what became of it, by note number."
    if hidden:
        lead += f" {hidden} hidden note{'s are' if hidden != 1 else ' is'} listed in the appendix."
    # Not kept with the table: a table longer than a page would be pushed whole to the next
    # one, leaving a gap. A conditional break keeps the sentence off the foot of a page instead.
    story += [CondPageBreak(1.5 * INCH), styles.para(lead)]
    if not shown:
        return story
    rows = [[styles.cell(text, style=styles.cell_head) for text in OUTCOME_COLUMNS]]
    font = styles.font.sans
    for note in shown:
        # One row per note in a big workshop: the short cells are plain strings, which a
        # table draws several times faster than paragraphs.
        outcome = str(note.get("outcome") or "none")
        detail = note.get("outcome_detail")
        rows.append(
            [
                printable_text(str(note.get("id")), font),
                styles.cell(note.get("text"), limit=100),
                printable_text(OUTCOME_SHORT.get(outcome, outcome)[:24], font),
                styles.cell(detail, limit=160) if detail else "",
            ]
        )
    story.append(table(rows, [width * 0.08, width * 0.5, width * 0.14, width * 0.28], styles))
    return story


def appendix(notes: Sequence[Note], styles: Styles) -> list[Flowable]:
    """Every note, hidden ones too (marked), with everything known about where it came from."""
    hidden = sum(1 for note in notes if note.get("hidden"))
    story: list[Flowable] = [
        styles.para(
            f"All {len(notes)} notes by note number, with where each came from. "
            + (f"{hidden} were hidden by the facilitator and are marked HIDDEN. " if hidden else "")
            + "Times are as recorded by the server."
        )
    ]
    style = styles.body
    bold = styles.font.sans_bold
    for note in sorted(notes, key=lambda note: _id_order(note.get("id"))):
        facts = [when(note.get("created_at")), source_label(note)]
        if note.get("card_code") and note.get("source") != "paper":
            facts.append(f"card {note['card_code']}")
        if note.get("entered_by"):
            facts.append(f"entered by {note['entered_by']}")
        if note.get("author_label"):
            facts.append(f"by {note['author_label']}")
        if note.get("prompt"):
            facts.append(f"prompt \u201c{note['prompt']}\u201d")
        place = note.get("section") or "unsorted"
        if note.get("group"):
            place += f" \u203a {note['group']}"
        facts += [place, dots(note.get("votes"))]
        if note.get("merged_into") is not None:
            facts.append(f"merged into #{note['merged_into']}")
        flag = ""
        if note.get("hidden"):
            flag = f' <font name="{bold}" color="#{ALERT.hexval()[2:]}">HIDDEN</font>'
        head = f'<font name="{bold}">#{markup(note.get("id"), bold)}</font>{flag}'
        story.append(
            Paragraph(
                f"{head} {_meta(facts, style.fontName)}<br/>"
                f"{markup_lines(note.get('text'), style.fontName)}",
                style,
            )
        )
    return story


def _id_order(value: Any) -> tuple[int, Any]:
    return (0, value) if isinstance(value, int) else (1, str(value))
