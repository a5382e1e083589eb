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
from printables.words import Words
from workshop.core.i18n import N_

Note = Mapping[str, Any]
# Fixed words are English here, marked for the catalogue, and translated where printed.
OUTCOMES = {
    "answered": N_("Answered by a next step"),
    "merged": N_("Merged into another note"),
    "out-of-scope": N_("Out of scope"),
    "noted": N_("Noted"),
    "none": N_("No outcome yet"),
}
OUTCOME_SHORT = {
    "answered": N_("answered"),
    "merged": N_("merged"),
    "out-of-scope": N_("out of scope"),
    "noted": N_("noted"),
    "none": "\u2013",
}
OUTCOME_COLUMNS = ("#", N_("Note"), N_("Outcome"), N_("Detail"))
SOURCES = {"phone": N_("phone"), "paper": N_("paper card"), "facilitator": N_("facilitator")}
ENTERED_BY = {"scribe": N_("entered by scribe"), "facilitator": N_("entered by facilitator")}
META_SIZE = 8
META_COLOUR = "#5f5f6b"


def visible(notes: Iterable[Note]) -> list[Note]:
    """The notes the room may see: hidden and withdrawn ones appear only in the appendix (and
    the Integrity chapter)."""
    return [note for note in notes if not (note.get("hidden") or note.get("withdrawn"))]


def source_label(note: Note, words: Words) -> str:
    """Where a note came from, as a reader would say it: phone, paper card K7PQXM, online."""
    if note.get("online"):
        return words.gettext("online")
    source = str(note.get("source") or "phone")
    label = words.gettext(SOURCES[source]) if source in SOURCES else source
    if source == "paper" and note.get("card_code"):
        return f"{label} {note['card_code']}"
    return label


def dots(count: Any, words: Words) -> str:
    count = int(count or 0)
    return words.ngettext("%(num)s dot", "%(num)s dots", count)


def plus_ones(count: Any, words: Words) -> str:
    """How many phones said "+1" ("me too") to a note instead of writing it again."""
    count = int(count or 0)
    return words.ngettext("%(num)s +1 (me too)", "%(num)s +1s (me too)", count)


def notes_count(count: int, words: Words) -> str:
    return words.ngettext("%(num)s note", "%(num)s notes", count)


def when(timestamp: Any) -> str:
    """An ISO timestamp as date and time to the second (the same in every language: a log's
    time stamp), or as given if it is not one."""
    try:
        return datetime.fromisoformat(str(timestamp)).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return str(timestamp or "")


def note_paragraph(
    note: Note, styles: Styles, grouped: bool = False, with_section: bool = False
) -> Paragraph:
    """A note as the room saw it: dots as the bullet, its text, then source and author."""
    style = styles.grouped_note if grouped else styles.note
    words = styles.words
    meta = [source_label(note, words)]
    if with_section:
        meta.insert(0, note.get("section") or words.gettext("unsorted"))
    if note.get("author_label"):
        meta.append(words.gettext("by %(name)s", name=note["author_label"]))
    if note.get("plus_ones"):
        meta.append(plus_ones(note["plus_ones"], words))
    if note.get("merged_into") is not None:
        meta.append(words.gettext("merged into #%(id)s", id=note["merged_into"]))
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
    words = styles.words
    story: list[Flowable] = [
        styles.para(
            words.gettext(
                "The notes the room sorted into each section of the plan, as they were grouped "
                "on the board. Each note shows its dots (votes) on the left, then where it came "
                "from."
            )
        )
    ]
    entries = [(section.get("title"), section) for section in sections]
    entries.append((words.gettext("Unsorted"), {"groups": [], "notes": unsorted}))
    for number, (title, section) in enumerate(entries, start=1):
        heading = f"3.{number} {title or words.gettext('Untitled section')}"
        story.append(Heading(heading, styles.section, 1, f"heard-{number}"))
        groups = [
            (group, visible(group.get("notes") or [])) for group in section.get("groups") or []
        ]
        groups = [(group, notes) for group, notes in groups if notes]
        loose = visible(section.get("notes") or [])
        every = [note for _, notes in groups for note in notes] + loose
        if not every:
            story.append(styles.para(words.gettext("No notes."), styles.small))
            continue
        total = sum(int(note.get("votes") or 0) for note in every)
        summary = [notes_count(len(every), words), dots(total, words)]
        if groups:
            summary.append(words.ngettext("%(num)s group", "%(num)s groups", len(groups)))
        story.append(styles.para(", ".join(summary) + ".", styles.small_lead))
        for group, notes in groups:
            votes = sum(int(note.get("votes") or 0) for note in notes)
            name = group.get("label") or words.gettext("Group")
            label = f"{name} \u00b7 {notes_count(len(notes), words)} \u00b7 {dots(votes, words)}"
            story.append(styles.para(label, styles.minor))
            story += [note_paragraph(note, styles, grouped=True) for note in notes]
        if groups and loose:
            story.append(styles.para(words.gettext("Not in a group"), styles.minor))
        story += [note_paragraph(note, styles) for note in loose]
    return story


def outcomes_chapter(
    counts: Mapping[str, Any], notes: Sequence[Note], styles: Styles, width: float
) -> list[Flowable]:
    """Chapter 8: how many notes had each outcome, then every visible note's outcome."""
    words = styles.words
    total = sum(int(value or 0) for value in counts.values())
    heads = (words.gettext("Outcome"), words.gettext("Notes"), words.gettext("Share"))
    head = [styles.cell(text, style=styles.cell_head) for text in heads]
    rows: list[list[Any]] = [head]
    for name in list(OUTCOMES) + [name for name in counts if name not in OUTCOMES]:
        number = int(counts.get(name) or 0)
        share = words.percent(number / total) if total else "-"
        label = words.gettext(OUTCOMES[name]) if name in OUTCOMES else name
        rows.append([styles.cell(label), styles.cell(words.number(number)), styles.cell(share)])
    story: list[Flowable] = [table(rows, [width * 0.5, width * 0.15, width * 0.15], styles)]
    shown = sorted(visible(notes), key=lambda note: _id_order(note.get("id")))
    hidden = sum(1 for note in notes if note.get("hidden") and not note.get("withdrawn"))
    withdrawn = sum(1 for note in notes if note.get("withdrawn"))
    lead = words.gettext("Every note and what became of it, by note number.")
    if hidden:
        lead += " " + words.ngettext(
            "%(num)s hidden note is listed in the appendix.",
            "%(num)s hidden notes are listed in the appendix.",
            hidden,
        )
    if withdrawn:
        lead += " " + words.ngettext(
            "%(num)s note its author withdrew is listed in the appendix.",
            "%(num)s notes their authors withdrew are listed in the appendix.",
            withdrawn,
        )
    # Not kept with the table: a table longer than a page would be pushed whole to the next
    # one, leaving a gap. A conditional break keeps the sentence off the foot of a page instead.
    story += [CondPageBreak(1.5 * INCH), styles.para(lead)]
    if not shown:
        return story
    rows = [[styles.cell(words.gettext(text), style=styles.cell_head) for text in OUTCOME_COLUMNS]]
    font = styles.font.sans
    short = {name: words.gettext(text) for name, text in OUTCOME_SHORT.items()}
    for note in shown:
        # One row per note in a big workshop: the short cells are plain strings, which a
        # table draws several times faster than paragraphs.
        outcome = str(note.get("outcome") or "none")
        detail = note.get("outcome_detail")
        rows.append(
            [
                printable_text(str(note.get("id")), font),
                styles.cell(note.get("text"), limit=100),
                printable_text(short.get(outcome, outcome)[:24], font),
                styles.cell(detail, limit=160) if detail else "",
            ]
        )
    story.append(table(rows, [width * 0.08, width * 0.5, width * 0.14, width * 0.28], styles))
    return story


def appendix(notes: Sequence[Note], styles: Styles) -> list[Flowable]:
    """Every note, hidden ones too (marked), with everything known about where it came from."""
    words = styles.words
    hidden = sum(1 for note in notes if note.get("hidden"))
    marker = words.gettext("HIDDEN")
    gone = words.gettext("WITHDRAWN")
    withdrawn = sum(1 for note in notes if note.get("withdrawn"))
    lead = [
        words.ngettext(
            "All %(num)s note by note number, with where it came from.",
            "All %(num)s notes by note number, with where each came from.",
            len(notes),
        )
    ]
    if hidden:
        lead.append(
            words.ngettext(
                "%(num)s was hidden by the facilitator and is marked %(marker)s.",
                "%(num)s were hidden by the facilitator and are marked %(marker)s.",
                hidden,
                marker=marker,
            )
        )
    if withdrawn:
        lead.append(
            words.ngettext(
                "%(num)s was withdrawn by its author and is marked %(marker)s.",
                "%(num)s were withdrawn by their authors and are marked %(marker)s.",
                withdrawn,
                marker=gone,
            )
        )
    lead.append(words.gettext("Times are as recorded by the server."))
    story: list[Flowable] = [styles.para(" ".join(lead))]
    style = styles.body
    bold = styles.font.sans_bold
    for note in sorted(notes, key=lambda note: _id_order(note.get("id"))):
        facts = [when(note.get("created_at")), source_label(note, words)]
        if note.get("card_code") and note.get("source") != "paper":
            facts.append(words.gettext("card %(code)s", code=note["card_code"]))
        entered_by = note.get("entered_by")
        if entered_by:
            facts.append(
                words.gettext(ENTERED_BY[entered_by])
                if entered_by in ENTERED_BY
                else words.gettext("entered by %(who)s", who=entered_by)
            )
        if note.get("author_label"):
            facts.append(words.gettext("by %(name)s", name=note["author_label"]))
        if note.get("prompt"):
            facts.append(words.gettext("prompt \u201c%(prompt)s\u201d", prompt=note["prompt"]))
        place = note.get("section") or words.gettext("unsorted")
        if note.get("group"):
            place += f" \u203a {note['group']}"
        facts += [place, dots(note.get("votes"), words)]
        if note.get("plus_ones"):
            facts.append(plus_ones(note["plus_ones"], words))
        if note.get("merged_into") is not None:
            facts.append(words.gettext("merged into #%(id)s", id=note["merged_into"]))
        if note.get("edited"):
            facts.append(words.gettext("edited after posting"))
        flag = ""
        alert = f"#{ALERT.hexval()[2:]}"
        for shown, label in ((note.get("hidden"), marker), (note.get("withdrawn"), gone)):
            if shown:
                flag += f' <font name="{bold}" color="{alert}">{markup(label, bold)}</font>'
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
