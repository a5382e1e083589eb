"""Section signs: one landscape page per plan section, to put on the wall where cards go.

A sign whose section has a ``url`` carries it as a QR code in its top-right corner: in a
photo of the wall, the cards under the sign are filed into its section (the URL opens that
section on the board when a phone scans it).
"""

from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any

from printables.fonts import fonts
from printables.paper import INCH, new_canvas, page_size
from printables.qr import draw_qr
from printables.text import ELLIPSIS, TextBlock, fit_block, fit_line
from printables.words import Words

INK = (0.1, 0.1, 0.12)
MUTED = (0.38, 0.38, 0.42)
ACCENT = (0.05, 0.36, 0.42)
MARGIN = 0.6 * INCH
NUMBER_SIZE = 150
TITLE_MAX = 96  # one line as large as this, shrinking to...
TITLE_ONE_LINE_MIN = 60  # ...this, then two lines from TITLE_TWO_LINES_MAX down
TITLE_TWO_LINES_MAX = 80
TITLE_TWO_LINES_MIN = 40  # below that, three lines rather than cutting the title short
TITLE_MIN = 30
SIGN_QR_SIZE = 1.4 * INCH  # quiet zone included; clear of a three-line title below it


def sign_qr_box(width: float, height: float) -> tuple[float, float, float]:
    """(x, y, size) of a sign's QR code box on a page of that size, lower-left origin."""
    return (width - MARGIN - SIGN_QR_SIZE, height - MARGIN - SIGN_QR_SIZE, SIGN_QR_SIZE)


def build_section_signs(signs: Mapping[str, Any], *, language: str | None = None) -> bytes:
    """A PDF with one landscape sign per section.

    `signs` is `{"title": str, "page_size": "letter" | "a4" (default letter), "sections":
    [{"title": str, "number": int | str | None, "url": str (optional)}], "language": str
    (default "en")}`; the
    document's name is in `language` (else the signs'), the rest is the plan's own words.
    """
    words = Words(language or signs.get("language"))
    sections = list(signs.get("sections") or [])
    if not sections:
        raise ValueError("section signs need at least one section")
    workshop_title = str(signs.get("title") or "")
    width, height = page_size(signs.get("page_size") or "letter", landscape=True)
    font = fonts()
    inner = width - 2 * MARGIN
    buffer = BytesIO()
    name = words.gettext("Section signs: %(title)s", title=workshop_title)
    canvas = new_canvas(buffer, (width, height), name)
    for section in sections:
        number = section.get("number")
        title = fit_title(str(section.get("title") or ""), font.sans_bold, inner)
        number_size = NUMBER_SIZE if number not in (None, "") else 0
        gap = 0.5 * INCH if number_size else 0
        stack = number_size * 0.75 + gap + title.height
        # The number and title sit together, a little above the page's middle.
        top = (height + stack) / 2 + 0.2 * INCH
        if number_size:
            canvas.setFillColorRGB(*ACCENT)
            canvas.setFont(font.sans_bold, number_size)
            canvas.drawCentredString(width / 2, top - number_size * 0.73, str(number))
            top -= number_size * 0.75 + gap
        canvas.setFillColorRGB(*INK)
        title.draw(canvas, MARGIN, top + title.size * 0.05, align="centre", width=inner)
        if section.get("url"):
            draw_qr(canvas, str(section["url"]), *sign_qr_box(width, height))
        if workshop_title:
            footer = fit_line(workshop_title, font.sans, inner, 16, 9)
            canvas.setFillColorRGB(*MUTED)
            footer.draw(canvas, MARGIN, MARGIN + footer.size, align="centre", width=inner)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def fit_title(title: str, font: str, width: float) -> TextBlock:
    """A section title as large as fits: one line if it can stay big, else two lines."""
    one_line = fit_line(title, font, width, TITLE_MAX, TITLE_ONE_LINE_MIN)
    if not _cut_short(one_line):
        return one_line
    two_lines = fit_block(
        title, font, width, 0, TITLE_TWO_LINES_MAX, TITLE_TWO_LINES_MIN, 2, leading=1.1
    )
    if not _cut_short(two_lines):
        return two_lines
    return fit_block(title, font, width, 0, TITLE_TWO_LINES_MIN, TITLE_MIN, 3, leading=1.1)


def _cut_short(block: TextBlock) -> bool:
    return bool(block.lines) and block.lines[-1].endswith(ELLIPSIS)
