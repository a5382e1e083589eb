"""The report's ballots chapter: where the dots came from (phones, printed cards, physical
dots), how many ballots each address held, and a warning when one address held several.

Its data is the server's ballot report (workshop.voting.ballots.ballot_report), the same
numbers as the facilitator's page and the JSON export's ``ballots``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reportlab.platypus import Flowable

from printables.report_doc import Styles, table
from printables.report_notes import dots

Report = Mapping[str, Any]


def ballots_chapter(report: Report, styles: Styles, width: float) -> list[Flowable]:
    words = styles.words
    data = report.get("ballots") or {}
    counted = data.get("dots") or {}
    total = int(counted.get("total") or 0)
    if not total:
        return [styles.para(words.gettext("No dots were placed."))]
    story: list[Flowable] = [
        styles.para(
            words.gettext(
                "%(dots)s: %(phones)s from phones, %(paper)s on paper.",
                dots=dots(total, words),
                phones=words.number(int(counted.get("phones") or 0)),
                paper=words.number(int(counted.get("paper") or 0)),
            ),
            styles.lead,
        )
    ]
    ballots = data.get("ballots") or {}
    figures = [
        (words.gettext("Ballots from phones"), ballots.get("phones")),
        (words.gettext("Ballots from printed cards (recorded by a scribe)"), ballots.get("cards")),
        (words.gettext("Dots placed from phones"), counted.get("phones")),
        (words.gettext("Dots recorded for printed cards"), counted.get("cards")),
        (words.gettext("Physical dots counted by the facilitator"), counted.get("paper_dots")),
    ]
    rows = [
        [styles.cell(label), styles.cell(words.number(int(value or 0)))] for label, value in figures
    ]
    story.append(table(rows, [width * 0.55, width * 0.15], styles, header=False))
    shared = int(data.get("shared") or 0)
    if shared:
        warning = words.ngettext(
            "Warning: one address held several phone ballots (at most %(most)s). One device "
            "may have voted as several phones, or the room's phones shared one address.",
            "Warning: %(num)s addresses held several phone ballots (at most %(most)s from one). "
            "One device may have voted as several phones, or the room's phones shared one "
            "address.",
            shared,
            most=words.number(int(data.get("most_from_one_address") or 0)),
        )
    else:
        warning = words.gettext("No address held more than one phone ballot.")
    story.append(styles.para(warning))
    return story
