"""The report's charts, drawn as vectors with reportlab.graphics so they print sharp at any size."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors

from printables.fonts import FontSet
from printables.report_doc import ACCENT, ALERT, INK, MUTED, RULE, WARM
from printables.text import fit_line
from printables.words import Words
from workshop.core.i18n import N_

LABEL_SIZE = 7.5
MAX_TIME_LABELS = 12
MAX_TIME_BARS = 48  # pairs of bars; a longer timeline is merged into wider intervals
CHART_ROWS = 24  # categories in one horizontal bar chart, so it fits a page
CATEGORY_LABEL_WIDTH = 150
BAR_ROW = 22  # points per category in a horizontal bar chart
PLAN_CHECK_COLOURS = {
    "workable": colors.Color(0.2, 0.55, 0.3),
    "needs-changes": WARM,
    "not-workable": ALERT,
}
EXTRA_COLOURS = (ACCENT, MUTED, colors.Color(0.45, 0.3, 0.6))
VERDICT_LABELS = {  # translated where printed
    "workable": N_("workable"),
    "needs-changes": N_("needs changes"),
    "not-workable": N_("not workable"),
}


def verdict_label(verdict: str, words: Words) -> str:
    """A plan check verdict as words: "needs changes"; an unknown one with its dashes gone."""
    if verdict in VERDICT_LABELS:
        return words.gettext(VERDICT_LABELS[verdict])
    return verdict.replace("-", " ")


def coarsen(
    timeline: Sequence[Mapping[str, Any]], most: int = MAX_TIME_BARS
) -> tuple[list[dict[str, Any]], int]:
    """The timeline in at most `most` intervals, and how many buckets each one merges: a
    workshop kept open for a week of online comments has thousands of five-minute buckets."""
    size = max(1, math.ceil(len(timeline) / most))
    merged = []
    for first in range(0, len(timeline), size):
        part = timeline[first : first + size]
        merged.append(
            {
                "time": part[0].get("time"),
                "notes": sum(int(bucket.get("notes") or 0) for bucket in part),
                "votes": sum(int(bucket.get("votes") or 0) for bucket in part),
            }
        )
    return merged, size


def chunked(items: Sequence[Any], size: int = CHART_ROWS) -> list[Sequence[Any]]:
    """Categories split into charts that each fit on a page."""
    return [items[first : first + size] for first in range(0, len(items), size)] or [items]


def participation_chart(
    timeline: Sequence[Mapping[str, Any]], width: float, font: FontSet, words: Words | None = None
) -> Drawing:
    """Notes posted and dots placed in each interval of the timeline, side by side."""
    height = 200
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 30
    chart.width, chart.height = width - chart.x - 6, height - chart.y - 34  # type: ignore[assignment]  # the stubs say int, reportlab takes floats
    notes = [int(bucket.get("notes") or 0) for bucket in timeline]
    votes = [int(bucket.get("votes") or 0) for bucket in timeline]
    chart.data = [notes, votes]
    every = math.ceil(len(timeline) / MAX_TIME_LABELS)
    chart.categoryAxis.categoryNames = [
        str(bucket.get("time") or "") if index % every == 0 else ""
        for index, bucket in enumerate(timeline)
    ]
    chart.bars[0].fillColor = ACCENT
    chart.bars[1].fillColor = WARM
    chart.bars.strokeColor = None
    chart.groupSpacing = 4 if len(timeline) < 30 else 1.5  # type: ignore[assignment]  # the stubs say int, reportlab takes floats
    _value_axis(chart.valueAxis, max(notes + votes, default=0), font)
    _category_labels(chart.categoryAxis, font)
    chart.categoryAxis.labels.dy = -3
    drawing.add(chart)
    words = words or Words()
    pairs = [(ACCENT, words.gettext("notes posted")), (WARM, words.gettext("dots placed"))]
    drawing.add(_legend(font, pairs, width, height))
    return drawing


def votes_by_section_chart(
    sections: Sequence[Mapping[str, Any]],
    width: float,
    font: FontSet,
    largest: float = 0,
    words: Words | None = None,
) -> Drawing:
    """One bar per plan section, longest bar the most dots, with the count at its end."""
    unsorted = (words or Words()).gettext("Unsorted")
    titles = [str(section.get("section") or unsorted) for section in sections]
    votes = [int(section.get("votes") or 0) for section in sections]
    chart, drawing = _horizontal(titles, width, font, legend=False)
    chart.data = [votes]
    chart.bars[0].fillColor = ACCENT
    chart.barLabelFormat = "%d"
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.barLabels.fontName = font.sans_bold
    chart.barLabels.fontSize = LABEL_SIZE
    chart.barLabels.fillColor = INK
    # Room at the bar's end for its label.
    _value_axis(chart.valueAxis, max(max(votes, default=0), largest) * 1.1, font)
    return drawing


def verdicts_of(sections: Sequence[Mapping[str, Any]]) -> list[str]:
    """The plan check's verdicts: the three usual ones first, then any others given."""
    verdicts = list(PLAN_CHECK_COLOURS)
    for section in sections:
        verdicts += [name for name in section.get("counts") or {} if name not in verdicts]
    return verdicts


def plan_check_chart(
    sections: Sequence[Mapping[str, Any]],
    verdicts: Sequence[str],
    width: float,
    font: FontSet,
    largest: float = 0,
    words: Words | None = None,
) -> Drawing:
    """Each section's verdicts stacked in one bar."""
    words = words or Words()
    titles = [str(section.get("title") or "") for section in sections]
    chart, drawing = _horizontal(titles, width, font, legend=True)
    chart.categoryAxis.style = "stacked"
    chart.data = [
        [int((section.get("counts") or {}).get(verdict) or 0) for section in sections]
        for verdict in verdicts
    ]
    extra = iter(EXTRA_COLOURS * len(verdicts))
    pairs = []
    for index, verdict in enumerate(verdicts):
        colour = PLAN_CHECK_COLOURS.get(verdict) or next(extra)
        chart.bars[index].fillColor = colour
        pairs.append((colour, verdict_label(verdict, words)))
    chart.barLabelFormat = _nonzero
    chart.barLabels.boxTarget = "mid"
    chart.barLabels.fontName = font.sans_bold
    chart.barLabels.fontSize = LABEL_SIZE
    chart.barLabels.fillColor = colors.white
    totals = [sum(column) for column in zip(*chart.data, strict=True)] or [0]
    _value_axis(chart.valueAxis, max(max(totals), largest), font)
    drawing.add(_legend(font, pairs, width, drawing.height))
    return drawing


def _horizontal(
    titles: Sequence[str], width: float, font: FontSet, legend: bool
) -> tuple[HorizontalBarChart, Drawing]:
    top = 26 if legend else 6
    height = BAR_ROW * max(len(titles), 1) + 24 + top
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = CATEGORY_LABEL_WIDTH + 8, 20
    chart.width, chart.height = width - chart.x - 16, height - chart.y - top  # type: ignore[assignment]  # the stubs say int, reportlab takes floats
    chart.categoryAxis.categoryNames = [
        fit_line(title, font.sans, CATEGORY_LABEL_WIDTH, LABEL_SIZE + 1, LABEL_SIZE).lines[0]
        for title in titles
    ]
    chart.categoryAxis.reverseDirection = 1  # the plan's first section at the top
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -5
    _category_labels(chart.categoryAxis, font)
    chart.categoryAxis.labels.fontSize = LABEL_SIZE + 1
    chart.bars.strokeColor = None
    chart.barWidth = 12
    chart.groupSpacing = 8
    drawing.add(chart)
    return chart, drawing


def _value_axis(axis: Any, largest: float, font: FontSet) -> None:
    """Whole-number ticks from zero in steps of 1, 2 or 5 times ten to a power: about five of
    them, and an axis even when every value is zero."""
    rough = max(1.0, largest / 5)
    power = 10 ** math.floor(math.log10(rough))
    step = next(power * m for m in (1, 2, 5, 10) if power * m >= rough)
    axis.valueMin = 0
    axis.valueStep = step
    axis.valueMax = step * max(1, math.ceil(largest / step))
    axis.labelTextFormat = "%d"
    axis.labels.fontName = font.sans
    axis.labels.fontSize = LABEL_SIZE
    axis.labels.fillColor = MUTED
    axis.strokeColor = RULE
    axis.visibleGrid = 1
    axis.gridStrokeColor = RULE
    axis.gridStrokeWidth = 0.4


def _category_labels(axis: Any, font: FontSet) -> None:
    axis.labels.fontName = font.sans
    axis.labels.fontSize = LABEL_SIZE
    axis.labels.fillColor = INK
    axis.strokeColor = MUTED
    axis.visibleTicks = 0


def _legend(font: FontSet, pairs: list[tuple[Any, str]], width: float, height: float) -> Legend:
    legend = Legend()
    legend.colorNamePairs = pairs
    legend.fontName = font.sans
    legend.fontSize = LABEL_SIZE + 0.5
    legend.alignment = "right"
    legend.boxAnchor = "ne"
    legend.x, legend.y = width - 4, height - 2  # type: ignore[assignment]  # the stubs say int, reportlab takes floats
    legend.columnMaximum = 1
    legend.deltax = 95
    legend.dxTextSpace = 5
    legend.dx = legend.dy = 8
    legend.strokeColor = None
    return legend


def _nonzero(value: float) -> str:
    return f"{value:.0f}" if value else ""
