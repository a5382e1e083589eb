"""Card stock geometry: where each card sits on a printed sheet, and a page to check a printer.

Dimensions are the stock's published ones (from the gLabels template database; see
docs/measurements.md).
All lengths are PDF points (1/72 in), measured from the page's top-left corner like a label
sheet's data sheet; `CardLayout.card_origin` turns them into reportlab's bottom-left origin.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from reportlab.pdfgen.canvas import Canvas

from printables.fonts import fonts
from printables.paper import INCH, MM, new_canvas, page_size
from printables.words import Words
from workshop.core.i18n import N_

CUT_MARK_LENGTH = 0.25 * INCH
CUT_MARK_OFFSET = 0.08 * INCH  # gap between a card's corner and its mark
NOTE_OUTLINE_OFFSET = 3.0  # sticky-note outlines sit just outside the note, on the carrier


@dataclass(frozen=True)
class CardLayout:
    """One way of putting cards on paper."""

    name: str
    description: str  # English, marked for the catalogue: translate where shown
    page_width: float
    page_height: float
    card_width: float
    card_height: float
    columns: int
    rows: int
    left: float  # first card's left edge, from the page's left edge
    top: float  # first card's top edge, from the page's top edge
    pitch_x: float  # from one card's left edge to the next one's
    pitch_y: float
    cut_marks: bool  # plain paper: marks to cut along
    note_outlines: bool = False  # a carrier sheet: outlines where to stick the notes

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def page_size(self) -> tuple[float, float]:
        return (self.page_width, self.page_height)

    def card_origin(self, slot: int) -> tuple[float, float]:
        """Lower-left corner, in reportlab coordinates, of the card in `slot` (row by row)."""
        row, column = divmod(slot, self.columns)
        x = self.left + column * self.pitch_x
        y = self.page_height - self.top - row * self.pitch_y - self.card_height
        return (x, y)


def _centred_grid(
    name: str,
    description: str,
    page: tuple[float, float],
    card: tuple[float, float],
    grid: tuple[int, int],
    gap: tuple[float, float] = (0.0, 0.0),
    **flags: bool,
) -> CardLayout:
    """A `grid` (columns, rows) of cards centred on the page, `gap` apart."""
    (width, height), (columns, rows) = page, grid
    pitch_x, pitch_y = card[0] + gap[0], card[1] + gap[1]
    return CardLayout(
        name=name,
        description=description,
        page_width=width,
        page_height=height,
        card_width=card[0],
        card_height=card[1],
        columns=columns,
        rows=rows,
        left=(width - (columns - 1) * pitch_x - card[0]) / 2,
        top=(height - (rows - 1) * pitch_y - card[1]) / 2,
        pitch_x=pitch_x,
        pitch_y=pitch_y,
        **flags,
    )


INDEX_CARD = (5 * INCH, 3 * INCH)
STICKY_NOTE = (3 * INCH, 3 * INCH)
LETTER, A4 = page_size("letter"), page_size("a4")
LETTER_LANDSCAPE, A4_LANDSCAPE = page_size("letter", True), page_size("a4", True)

# Two 5 in cards side by side need 10 in, so the plain-paper sheets are landscape.
LAYOUTS: dict[str, CardLayout] = {
    layout.name: layout
    for layout in (
        _centred_grid(
            "letter",
            N_("US Letter paper, four 5×3 in cards a sheet, cut on the marks"),
            LETTER_LANDSCAPE,
            INDEX_CARD,
            grid=(2, 2),
            cut_marks=True,
        ),
        _centred_grid(
            "a4",
            N_("A4 paper, four 5×3 in cards a sheet, cut on the marks"),
            A4_LANDSCAPE,
            INDEX_CARD,
            grid=(2, 2),
            cut_marks=True,
        ),
        _centred_grid(
            "index-3x5",
            N_("5×3 in index cards fed one at a time"),
            INDEX_CARD,
            INDEX_CARD,
            grid=(1, 1),
            cut_marks=False,
        ),
        CardLayout(
            name="avery-5388",
            description=N_("Avery 5388 index card sheets (Letter, three 5×3 in cards)"),
            page_width=LETTER[0],
            page_height=LETTER[1],
            card_width=INDEX_CARD[0],
            card_height=INDEX_CARD[1],
            columns=1,
            rows=3,
            left=1.75 * INCH,
            top=1 * INCH,
            pitch_x=INDEX_CARD[0],
            pitch_y=INDEX_CARD[1],
            cut_marks=False,
        ),
        _centred_grid(
            "sticky-3x3",
            N_("3×3 in sticky notes stuck on a Letter sheet, six a sheet"),
            LETTER,
            STICKY_NOTE,
            grid=(2, 3),
            gap=(0.5 * INCH, 0.375 * INCH),
            cut_marks=False,
            note_outlines=True,
        ),
    )
}


def get_layout(name: str) -> CardLayout:
    """The layout called `name`; ValueError listing the valid names otherwise."""
    try:
        return LAYOUTS[name]
    except (KeyError, TypeError):
        valid = ", ".join(LAYOUTS)
        raise ValueError(f"unknown card layout {name!r}: use one of {valid}") from None


def draw_sheet_guides(canvas: Canvas, layout: CardLayout) -> None:
    """Cut marks around the card grid, or outlines where sticky notes go, as the stock needs."""
    if not (layout.cut_marks or layout.note_outlines):
        return
    canvas.saveState()
    if layout.cut_marks:
        canvas.setLineWidth(0.5)
        canvas.setStrokeGray(0.2)
        _draw_cut_marks(canvas, layout)
    if layout.note_outlines:
        canvas.setLineWidth(0.6)
        canvas.setStrokeGray(0.72)
        canvas.setDash(4, 3)
        for slot in range(layout.per_page):
            x, y = layout.card_origin(slot)
            off = NOTE_OUTLINE_OFFSET
            canvas.rect(x - off, y - off, layout.card_width + 2 * off, layout.card_height + 2 * off)
    canvas.restoreState()


def _draw_cut_marks(canvas: Canvas, layout: CardLayout) -> None:
    # Marks go in the margin, in line with every card edge, so none prints on a card.
    xs = sorted(
        {layout.card_origin(s)[0] for s in range(layout.per_page)}
        | {layout.card_origin(s)[0] + layout.card_width for s in range(layout.per_page)}
    )
    ys = sorted(
        {layout.card_origin(s)[1] for s in range(layout.per_page)}
        | {layout.card_origin(s)[1] + layout.card_height for s in range(layout.per_page)}
    )
    left, right, bottom, top = xs[0], xs[-1], ys[0], ys[-1]
    gap, length = CUT_MARK_OFFSET, CUT_MARK_LENGTH
    for x in xs:
        canvas.line(x, top + gap, x, top + gap + length)
        canvas.line(x, bottom - gap, x, bottom - gap - length)
    for y in ys:
        canvas.line(left - gap, y, left - gap - length, y)
        canvas.line(right + gap, y, right + gap + length, y)


def calibration_page(layout: str, *, language: str | None = None) -> bytes:
    """One page outlining every card position of `layout`, with its measurements.

    Print it on plain paper at 100% and hold it over the stock (or stick the notes in the
    outlines) to see whether the printer shifts or scales the page.
    """
    geometry = get_layout(layout)
    words = Words(language)
    font = fonts()
    buffer = BytesIO()
    title = words.gettext("Calibration: %(layout)s", layout=geometry.name)
    canvas = new_canvas(buffer, geometry.page_size, title)
    draw_sheet_guides(canvas, geometry)
    canvas.setLineWidth(0.75)
    for slot in range(geometry.per_page):
        x, y = geometry.card_origin(slot)
        w, h = geometry.card_width, geometry.card_height
        canvas.rect(x, y, w, h)
        canvas.setLineWidth(0.3)
        canvas.line(x + w / 2 - 9, y + h / 2, x + w / 2 + 9, y + h / 2)
        canvas.line(x + w / 2, y + h / 2 - 9, x + w / 2, y + h / 2 + 9)
        canvas.setLineWidth(0.75)
        from_left, from_top = x, geometry.page_height - (y + h)
        size = words.gettext(
            "%(width)s × %(height)s in (%(width_mm)s × %(height_mm)s mm)",
            width=_inches(w, words),
            height=_inches(h, words),
            width_mm=words.number(w / MM, 1),
            height_mm=words.number(h / MM, 1),
        )
        left = words.gettext(
            "left edge %(inches)s in (%(mm)s mm) from page",
            inches=_inches(from_left, words),
            mm=words.number(from_left / MM, 1),
        )
        top = words.gettext(
            "top edge %(inches)s in (%(mm)s mm) from page",
            inches=_inches(from_top, words),
            mm=words.number(from_top / MM, 1),
        )
        card = words.gettext("%(layout)s · card %(number)s", layout=geometry.name, number=slot + 1)
        lines = [(font.sans_bold, 9, card), (font.sans, 8, size), (font.sans, 8, left)]
        lines.append((font.sans, 8, top))
        baseline = y + h - 16
        for name, points, text in lines:
            canvas.setFont(name, points)
            canvas.drawString(x + 8, baseline, text)
            baseline -= points + 3
        if slot == 0:
            _draw_scale_bar(canvas, words, x + 8, y + 14, min(w - 16, 4 * INCH))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_scale_bar(canvas: Canvas, words: Words, x: float, y: float, max_length: float) -> None:
    inches = int(max_length // INCH)
    length = inches * INCH
    canvas.line(x, y, x + length, y)
    for tick in range(inches * 4 + 1):
        tall = 6 if tick % 4 == 0 else 3
        canvas.line(x + tick * INCH / 4, y, x + tick * INCH / 4, y + tall)
    canvas.setFont(fonts().sans, 7)
    text = words.gettext("At 100%% this bar measures exactly %(inches)s in.", inches=inches)
    canvas.drawString(x, y + 9, text)


def _inches(points: float, words: Words) -> str:
    """Inches to three decimals at most (5, 0.375), as the language writes decimals."""
    if not points:
        return "0"
    text = f"{points / INCH:.3f}".rstrip("0").rstrip(".")
    return words.number(float(text), len(text.partition(".")[2]))
