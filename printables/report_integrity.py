"""The report's Integrity chapter: how the record changed after notes were posted.

A reader weighing the tallies needs to know which words changed after the room saw them,
which notes their authors took back, which were merged into others and how many the
facilitator hid. The data is ``report["integrity"]`` (workshop/followup/reportdata.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reportlab.platypus import Flowable, Paragraph

from printables.report_doc import Styles, markup_lines, shorten, table
from printables.report_notes import when
from workshop.core.i18n import N_

Report = Mapping[str, Any]
REVISERS = {  # who changed a note's text, translated where printed
    "author": N_("changed by its author"),
    "facilitator": N_("changed by the facilitator"),
    "scribe": N_("changed by a scribe"),
}


def integrity(report: Report, styles: Styles, width: float) -> list[Flowable]:
    facts = report.get("integrity") or {}
    edited = facts.get("edited") or []
    withdrawn = facts.get("withdrawn") or []
    merged = facts.get("merged") or []
    hidden = facts.get("hidden") or {}
    words = styles.words
    if not (edited or withdrawn or merged or hidden.get("count")):
        return [
            styles.para(
                words.gettext(
                    "No note was edited, withdrawn, merged or hidden after it was posted."
                )
            )
        ]
    story: list[Flowable] = [
        styles.para(
            words.gettext(
                "What changed in the record after notes were posted: texts corrected, notes "
                "their authors withdrew, duplicates merged and notes hidden. Dots and outcomes "
                "elsewhere in this report count the notes as they stand now."
            ),
            styles.lead,
        )
    ]
    story += _edited(edited, styles)
    story += _withdrawn(withdrawn, styles, width)
    story += _merged(merged, styles, width)
    story += _hidden(hidden, styles, width)
    return story


def _edited(edited: list, styles: Styles) -> list[Flowable]:
    if not edited:
        return []
    words = styles.words
    title = words.ngettext(
        "%(num)s note edited after it was posted",
        "%(num)s notes edited after they were posted",
        len(edited),
    )
    story: list[Flowable] = [styles.para(title, styles.section)]
    for note in edited:
        now = words.gettext("#%(id)s now reads:", id=note.get("id"))
        story.append(styles.para(now, styles.minor))
        story.append(styles.para(note.get("text")))
        for revision in note.get("revisions") or []:
            who = str(revision.get("revised_by") or "")
            changed = words.gettext(REVISERS[who]) if who in REVISERS else who
            line = words.gettext(
                "Until %(when)s (%(who)s):", when=when(revision.get("revised_at")), who=changed
            )
            story.append(styles.para(line, styles.small_lead))
            text = markup_lines(revision.get("text"), styles.revision.fontName)
            story.append(Paragraph(text, styles.revision))
    return story


def _withdrawn(withdrawn: list, styles: Styles, width: float) -> list[Flowable]:
    if not withdrawn:
        return []
    words = styles.words
    title = words.ngettext(
        "%(num)s note withdrawn by its author",
        "%(num)s notes withdrawn by their authors",
        len(withdrawn),
    )
    lead = words.gettext(
        "Taken back before anyone sorted, voted on or answered them; kept here, left out of "
        "the chapters above."
    )
    heads = (words.gettext("Note"), words.gettext("Withdrawn"), words.gettext("Text"))
    rows = [[styles.cell(text, style=styles.cell_head) for text in heads]]
    for note in withdrawn:
        rows.append(
            [
                styles.cell(f"#{note.get('id')}"),
                styles.cell(when(note.get("withdrawn_at"))),
                styles.cell(note.get("text"), limit=300),
            ]
        )
    widths = [width * 0.1, width * 0.25, width * 0.65]
    return [
        styles.para(title, styles.section),
        styles.para(lead, styles.small),
        table(rows, widths, styles),
    ]


def _merged(merged: list, styles: Styles, width: float) -> list[Flowable]:
    if not merged:
        return []
    words = styles.words
    title = words.ngettext(
        "%(num)s note merged into another", "%(num)s notes merged into others", len(merged)
    )
    heads = (words.gettext("Note"), words.gettext("Merged into"), words.gettext("Text"))
    rows = [[styles.cell(text, style=styles.cell_head) for text in heads]]
    for note in merged:
        rows.append(
            [
                styles.cell(f"#{note.get('id')}"),
                styles.cell(f"#{note.get('merged_into')}"),
                styles.cell(shorten(note.get("text"), 200)),
            ]
        )
    widths = [width * 0.1, width * 0.2, width * 0.7]
    return [styles.para(title, styles.section), table(rows, widths, styles)]


def _hidden(hidden: Mapping[str, Any], styles: Styles, width: float) -> list[Flowable]:
    count = int(hidden.get("count") or 0)
    if not count:
        return []
    words = styles.words
    title = words.ngettext(
        "%(num)s note hidden by the facilitator", "%(num)s notes hidden by the facilitator", count
    )
    story: list[Flowable] = [
        styles.para(title, styles.section),
        styles.para(
            words.gettext(
                "Their texts are in the appendix, marked %(marker)s.",
                marker=words.gettext("HIDDEN"),
            ),
            styles.small,
        ),
    ]
    reasons = [note for note in hidden.get("notes") or [] if note.get("reason")]
    if reasons:
        heads = (words.gettext("Note"), words.gettext("Reason given"))
        rows = [[styles.cell(text, style=styles.cell_head) for text in heads]]
        rows += [
            [styles.cell(f"#{note.get('id')}"), styles.cell(note.get("reason"), limit=300)]
            for note in reasons
        ]
        story.append(table(rows, [width * 0.1, width * 0.9], styles))
    return story
