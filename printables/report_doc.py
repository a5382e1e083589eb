"""The report's page furniture and type: page templates, headings that feed the contents, styles.

Everything here is made per call of `build_report` (styles, the document, its flowables), so
two reports can be built side by side in threads; the only shared state is reportlab's font
registry, which `fonts()` fills once under a lock.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any, cast
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle, PropertySet
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    IndexingFlowable,
    LongTable,
    PageTemplate,
    Paragraph,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from printables.fonts import FontSet, printable_text
from printables.paper import CREATOR, INCH
from printables.text import fit_line
from printables.words import Words

INK = colors.Color(0.1, 0.1, 0.12)
MUTED = colors.Color(0.38, 0.38, 0.42)
ACCENT = colors.Color(0.05, 0.36, 0.42)
WARM = colors.Color(0.85, 0.55, 0.12)
ALERT = colors.Color(0.7, 0.16, 0.12)
RULE = colors.Color(0.8, 0.8, 0.83)
SHADE = colors.Color(0.94, 0.95, 0.96)
MARGIN = 0.8 * INCH
HEADER_GAP = 0.35 * INCH
HEADING_LIMIT = 160  # characters: a heading never splits, so it must fit on a page


def markup(text: Any, font: str) -> str:
    """Attendee text as Paragraph markup: drawable in `font`, and never read as tags."""
    return escape(printable_text(str(text if text is not None else ""), font))


def markup_lines(text: Any, font: str) -> str:
    """Like `markup`, keeping the line breaks the author typed."""
    lines = str(text if text is not None else "").replace("\r\n", "\n").split("\n")
    return "<br/>".join(markup(line, font) for line in lines)


def shorten(text: Any, limit: int) -> str:
    """At most `limit` characters, cut at a word with an ellipsis: for table cells, which
    cannot break across pages (the full text is printed elsewhere in the report)."""
    text = " ".join(str(text or "").split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip() + "\u2026"


def plain(text: Any) -> str:
    """Text for the PDF's outline (bookmarks), which the viewer draws in its own font."""
    text = " ".join(str(text or "").split())
    return "".join(char for char in text if unicodedata.category(char) not in ("Cc", "Cf"))


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of one report; `font` says which fonts they draw with."""

    font: FontSet
    title: ParagraphStyle
    subtitle: ParagraphStyle
    chapter: ParagraphStyle
    section: ParagraphStyle
    minor: ParagraphStyle
    body: ParagraphStyle
    lead: ParagraphStyle
    small: ParagraphStyle
    small_lead: ParagraphStyle
    note: ParagraphStyle
    grouped_note: ParagraphStyle
    revision: ParagraphStyle
    cell_text: ParagraphStyle
    cell_head: ParagraphStyle
    caption: ParagraphStyle
    toc: list[ParagraphStyle]
    words: Words  # the report's language: its fixed words, dates and numbers

    def para(self, text: Any, style: ParagraphStyle | None = None) -> Paragraph:
        """A paragraph of attendee or facilitator text, escaped and made drawable."""
        style = style or self.body
        return Paragraph(markup_lines(text, style.fontName), style)

    def cell(self, text: Any, limit: int = 0, style: ParagraphStyle | None = None) -> Paragraph:
        """A table cell that wraps; cut to `limit` characters when given."""
        text = shorten(text, limit) if limit else text
        return self.para(text, style or self.cell_text)

    def bold(self, text: Any) -> str:
        return f'<font name="{self.font.sans_bold}">{markup(text, self.font.sans_bold)}</font>'


def report_styles(font: FontSet, words: Words | None = None) -> Styles:
    def style(name: str, **values: Any) -> ParagraphStyle:
        if "parent" not in values:
            values = {"fontName": font.sans, "textColor": INK, **values}
            values = {"allowWidows": 0, "allowOrphans": 0, **values}
        return ParagraphStyle(name, **values)

    body = style("body", fontSize=10, leading=13.5, spaceAfter=5)
    small = style("small", parent=body, fontSize=8.5, leading=11, textColor=MUTED)
    # The dot count is the bullet, right-aligned so counts of 1 and 10 line up.
    note = style("note", parent=body, leftIndent=34, bulletIndent=24, spaceAfter=6)
    note.bulletFontName = font.sans_bold
    note.bulletColor = ACCENT
    note.bulletAnchor = "end"
    return Styles(
        font=font,
        title=style("title", fontName=font.sans_bold, fontSize=28, leading=34, spaceAfter=14),
        subtitle=style("subtitle", fontSize=13, leading=18, textColor=MUTED, spaceAfter=18),
        chapter=style(
            "chapter",
            fontName=font.sans_bold,
            fontSize=17,
            leading=22,
            textColor=ACCENT,
            spaceBefore=6,
            spaceAfter=10,
            keepWithNext=1,
        ),
        section=style(
            "section",
            fontName=font.sans_bold,
            fontSize=12.5,
            leading=16,
            spaceBefore=12,
            spaceAfter=5,
            keepWithNext=1,
        ),
        minor=style(
            "minor",
            fontName=font.sans_bold,
            fontSize=10,
            leading=13,
            textColor=ACCENT,
            spaceBefore=7,
            spaceAfter=4,
            keepWithNext=1,
        ),
        body=body,
        lead=style("lead", parent=body, keepWithNext=1),  # a sentence introducing what follows
        small=small,
        small_lead=style("small_lead", parent=small, keepWithNext=1),
        note=note,
        grouped_note=style("grouped_note", parent=note, leftIndent=48, bulletIndent=38),
        revision=style(
            "revision", parent=body, fontSize=9, leading=12, leftIndent=14, textColor=MUTED
        ),
        cell_text=style("cell_text", fontSize=8.5, leading=10.5),
        cell_head=style("cell_head", fontName=font.sans_bold, fontSize=8.5, leading=10.5),
        caption=style("caption", parent=body, fontSize=9, textColor=MUTED, alignment=1),
        toc=[
            style("toc0", fontName=font.sans_bold, fontSize=11, leading=15, spaceBefore=5),
            style("toc1", fontSize=9.5, leading=12.5, leftIndent=18, textColor=MUTED),
        ],
        words=words or Words(),
    )


def table(
    rows: Sequence[list[Any] | tuple[Any, ...]],
    widths: Sequence[float],
    styles: Styles,
    header: bool = True,
) -> LongTable:
    """A ruled table whose header row repeats on each page; cells should be Paragraphs."""
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), styles.font.sans),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("LINEBELOW", (0, 0), (-1, 0), 1, MUTED),
        ]
    return LongTable(
        list(rows),
        colWidths=list(widths),
        repeatRows=1 if header else 0,
        style=TableStyle(commands),
        hAlign="LEFT",
        spaceBefore=4,
        spaceAfter=10,
    )


class Heading(Paragraph):
    """A chapter or section heading: a contents entry and a PDF bookmark where it lands.

    It never splits, so its entry cannot be lost to a page break inside the title.
    """

    def __init__(self, text: str, style: ParagraphStyle, level: int, key: str) -> None:
        text = shorten(text, HEADING_LIMIT)
        super().__init__(markup(text, style.fontName), style)
        self.toc_text = text
        self.toc_level = level
        self.toc_key = key

    def split(self, availWidth: float, availHeight: float) -> list:  # noqa: N803
        return []


class PageTotal(IndexingFlowable):
    """Takes no room; keeps multiBuild going until the total printed in footers is right."""

    def __init__(self) -> None:
        super().__init__()
        self.printed = 0
        self.counted = 0

    def beforeBuild(self) -> None:  # noqa: N802
        self.printed, self.counted = self.counted, 0

    def notify(self, kind: str, stuff: Any) -> None:
        if kind == "page":
            self.counted = max(self.counted, stuff)

    def isSatisfied(self) -> bool:  # noqa: N802
        return self.printed == self.counted

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        pass


def contents(styles: Styles) -> TableOfContents:
    # The stubs want list[PropertySet], which list[ParagraphStyle] is not (lists are invariant).
    level_styles = cast(list[PropertySet], styles.toc)
    return TableOfContents(levelStyles=level_styles, dotsMinLevel=0, rightColumnWidth=40)


class ReportDocument(BaseDocTemplate):
    """A cover page, then pages with the workshop's title above and the page number below."""

    def __init__(
        self,
        buffer: BytesIO,
        size: tuple[float, float],
        workshop_title: str,
        styles: Styles,
        total: PageTotal,
    ) -> None:
        super().__init__(
            buffer,
            pagesize=size,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=plain(
                styles.words.gettext("Post-session report: %(title)s", title=workshop_title)
            ),
            author=CREATOR,
            creator=CREATOR,
            invariant=0,
            pageCompression=1,
        )
        self.workshop_title = workshop_title
        self.styles = styles
        self.total = total
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates(
            [
                PageTemplate("cover", [frame], onPage=self._cover_page),
                PageTemplate("body", [frame], onPage=self._body_page),
            ]
        )

    def afterFlowable(self, flowable: Any) -> None:  # noqa: N802
        level = getattr(flowable, "toc_level", None)
        if level is None:
            return
        key = flowable.toc_key
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(plain(flowable.toc_text), key, level=level, closed=level == 0)
        entry = markup(flowable.toc_text, self.styles.toc[level].fontName)
        self.notify("TOCEntry", (level, entry, self.page, key))

    def afterPage(self) -> None:  # noqa: N802
        self.notify("page", self.page)

    def _cover_page(self, canvas: Any, doc: Any) -> None:
        width, height = self.pagesize
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.rect(0, height - 0.45 * INCH, width, 0.45 * INCH, stroke=0, fill=1)
        canvas.restoreState()

    def _body_page(self, canvas: Any, doc: Any) -> None:
        width, height = self.pagesize
        font = self.styles.font
        inner = width - self.leftMargin - self.rightMargin
        top = height - self.topMargin + HEADER_GAP
        canvas.saveState()
        canvas.setFillColor(MUTED)
        title = fit_line(self.workshop_title, font.sans, inner * 0.7, 8.5, 7)
        title.draw(canvas, self.leftMargin, top + 10)
        canvas.setFont(font.sans, 8.5)
        right = width - self.rightMargin
        words = self.styles.words
        canvas.drawRightString(right, top + 10 - 8.5 * 0.8, words.gettext("Post-session report"))
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(self.leftMargin, top - 2, right, top - 2)
        if self.total.printed:
            number = words.gettext(
                "Page %(page)s of %(total)s",
                page=words.number(doc.page),
                total=words.number(self.total.printed),
            )
        else:
            number = words.gettext("Page %(page)s", page=words.number(doc.page))
        canvas.drawRightString(right, self.bottomMargin - HEADER_GAP, number)
        canvas.restoreState()
