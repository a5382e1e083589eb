"""The report's card-sorting chapter: where the room put each note, how much it agreed, and
the note-by-note similarity matrix card-sorting tools report."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reportlab.platypus import Flowable, Spacer

from printables.report_doc import Styles, table
from printables.report_notes import when

Report = Mapping[str, Any]
MATRIX_LIMIT = 12  # a wider matrix does not fit a page; the placements table has every note


def card_sorting(report: Report, styles: Styles, width: float) -> list[Flowable]:
    words = styles.words
    sorts = report.get("card_sorts") or []
    if not sorts:
        return [styles.para(words.gettext("No card sort was held in this session."))]
    story: list[Flowable] = []
    for number, sort in enumerate(sorts, start=1):
        notes = sort.get("notes") or []
        story.append(
            styles.para(
                words.gettext(
                    "Sort %(number)s (%(when)s): %(people)s people placed %(count)s notes into "
                    "the plan's sections.",
                    number=number,
                    when=when(sort.get("started_at")),
                    people=words.number(sort.get("participants", 0)),
                    count=words.number(len(notes)),
                ),
                styles.lead,
            )
        )
        head = [
            "#",
            words.gettext("Note"),
            words.gettext("Where people put it"),
            words.gettext("Agreement"),
        ]
        rows = [[styles.cell(text, style=styles.cell_head) for text in head]]
        for note in notes:
            shares = note.get("shares") or {}
            placed = " · ".join(
                f"{title} {words.percent(share)}"
                for title, share in sorted(shares.items(), key=lambda item: -item[1])
            )
            agreement = note.get("agreement")
            rows.append(
                [
                    styles.cell(f"#{note.get('id')}"),
                    styles.cell(note.get("text"), limit=200),
                    styles.cell(placed or words.gettext("not placed")),
                    styles.cell("–" if agreement is None else words.percent(agreement)),
                ]
            )
        shares = (0.06, 0.44, 0.36, 0.14)
        story.append(table(rows, [width * share for share in shares], styles))
        disputed = sort.get("most_disputed") or []
        if disputed:
            ids = {note.get("id") for note in notes}
            numbers = ", ".join(f"#{i}" for i in disputed if i in ids)
            disagreed = words.gettext("The room disagreed most on: %(notes)s.", notes=numbers)
            story.append(styles.para(disagreed, styles.small))
        matrix = sort.get("similarity") or []
        if matrix and len(matrix) <= MATRIX_LIMIT:
            story.append(
                styles.para(
                    words.gettext(
                        "Similarity: the share of people who put both notes in the same section."
                    ),
                    styles.small,
                )
            )
            size = len(matrix)
            # Rows and columns in the order of the notes above, named by note number (#id),
            # as every other table in the report names notes.
            names = [f"#{note.get('id')}" for note in notes][:size]
            names += [f"#{i}" for i in range(len(names) + 1, size + 1)]
            matrix_head = [styles.cell("", style=styles.cell_head)] + [
                styles.cell(name, style=styles.cell_head) for name in names
            ]
            grid = [matrix_head]
            for name, row in zip(names, matrix, strict=True):
                grid.append(
                    [styles.cell(name, style=styles.cell_head)]
                    + [styles.cell("–" if v is None else words.percent(v)) for v in row]
                )
            column = min(width / (size + 1), 48)
            story.append(table(grid, [column] * (size + 1), styles))
        story.append(Spacer(1, 12))
    return story
