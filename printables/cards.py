"""Printed note cards: each with its prompt, room to write, a QR code and a code to type.

A card is laid out from its own width and height, so every stock gets the same card: the
header (workshop title, section, prompt) top-left, the QR code with the card code under it on
the right, and ruled lines for handwriting filling the rest. On a wide card (5×3 in) the QR
column runs beside the header; on a square sticky note the header spans the top and the QR
code sits in the bottom-right corner.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from reportlab.pdfgen.canvas import Canvas

from printables.fonts import FontSet, fonts
from printables.layouts import LAYOUTS, CardLayout, calibration_page, draw_sheet_guides, get_layout
from printables.paper import INCH, new_canvas
from printables.qr import QUIET_ZONE_MODULES, draw_qr, qr_matrix
from printables.text import fit_block, fit_line
from printables.words import Words

__all__ = ["LAYOUTS", "CardLayout", "build_card_deck", "calibration_page", "group_code"]

INK = (0.1, 0.1, 0.12)
MUTED = (0.38, 0.38, 0.42)
ACCENT = (0.05, 0.36, 0.42)
RULE_GREY = 0.78


@dataclass(frozen=True)
class CardFace:
    """Where things go on one card, in points from its lower-left corner."""

    width: float
    height: float
    pad: float
    qr_size: float
    qr_x: float
    qr_y: float
    header_width: float  # title, section and prompt
    prompt_max: float
    prompt_min: float
    prompt_lines: int
    code_size: float
    hint_size: float
    rule_pitch: float

    @property
    def code_bottom(self) -> float:
        """Bottom of the card code and hint printed under the QR code."""
        return self.qr_y - 1 - self.code_size * 1.05 - self.hint_size * 1.1

    @classmethod
    def for_card(cls, width: float, height: float) -> CardFace:
        """The face for a card of this size: wide cards and square notes differ."""
        pad = min(width, height) * 0.067  # 0.2 in on a 3 in card
        if width >= height * 1.3:
            qr_size = height * 0.45  # 1.35 in box, ~1.06 in of code on a 5×3 in card
            qr_x = width - qr_size - pad * 0.4
            return cls(
                width=width,
                height=height,
                pad=pad,
                qr_size=qr_size,
                qr_x=qr_x,
                qr_y=height - qr_size - pad * 0.4,  # top right, beside the prompt
                header_width=qr_x - pad - 3,  # stops short of the QR code's quiet zone
                prompt_max=12.5,
                prompt_min=8.5,
                prompt_lines=4,
                code_size=18,
                hint_size=6.5,
                rule_pitch=0.28 * INCH,
            )
        qr_size = min(width, height) * 0.34  # ~1 in box on a 3×3 in note
        return cls(
            width=width,
            height=height,
            pad=pad,
            qr_size=qr_size,
            qr_x=width - qr_size - pad * 0.4,
            qr_y=pad + 19,  # bottom right, room for the code under it
            header_width=width - 2 * pad,  # the prompt spans the note above the QR code
            prompt_max=10.5,
            prompt_min=7.5,
            prompt_lines=6,
            code_size=12,
            hint_size=5.5,
            rule_pitch=0.26 * INCH,
        )


def group_code(code: str) -> str:
    """A card code split into groups of three (or four) for reading aloud: K7PQXM → K7P QXM."""
    size = 4 if len(code) % 4 == 0 and len(code) % 3 else 3
    return " ".join(code[i : i + size] for i in range(0, len(code), size))


def build_card_deck(deck: Mapping[str, Any], *, language: str | None = None) -> bytes:
    """A PDF of note cards laid out for `deck["layout"]`.

    `deck` is `{"title": str, "layout": str (default "letter"), "language": str (default
    "en"), "cards": [{"code": str, "url": str, "prompt": str, "section": str | None}]}`; the
    fixed words print in `language` (else the deck's). Raises ValueError for an unknown
    layout (the message lists the valid ones), an empty deck, or a card without code or url.
    """
    layout = get_layout(deck.get("layout") or "letter")
    cards = _checked_cards(deck.get("cards") or [])
    title = str(deck.get("title") or "")
    words = Words(language or deck.get("language"))
    font = fonts()
    face = CardFace.for_card(layout.card_width, layout.card_height)
    buffer = BytesIO()
    name = words.gettext("Note cards: %(title)s", title=title) if title else None
    canvas = new_canvas(buffer, layout.page_size, name or words.gettext("Note cards"))
    for first in range(0, len(cards), layout.per_page):
        page_cards = cards[first : first + layout.per_page]
        draw_sheet_guides(canvas, layout)
        _draw_page_footer(canvas, layout, font, words, title, first, len(page_cards), len(cards))
        for slot, card in enumerate(page_cards):
            x, y = layout.card_origin(slot)
            canvas.saveState()
            canvas.translate(x, y)
            _draw_card(canvas, face, font, words, title, card)
            canvas.restoreState()
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _checked_cards(cards: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    if not cards:
        raise ValueError("a card deck needs at least one card")
    for number, card in enumerate(cards, start=1):
        for field in ("code", "url"):
            if not card.get(field):
                raise ValueError(f"card {number} has no {field}")
    return list(cards)


def _draw_card(
    canvas: Canvas,
    face: CardFace,
    font: FontSet,
    words: Words,
    title: str,
    card: Mapping[str, Any],
) -> None:
    code = str(card["code"])
    matrix = qr_matrix(str(card["url"]))
    draw_qr(canvas, matrix, face.qr_x, face.qr_y, face.qr_size)
    module = face.qr_size / (len(matrix) + 2 * QUIET_ZONE_MODULES)
    quiet = module * QUIET_ZONE_MODULES
    # Nothing may print in the quiet zone, so the code goes under the whole QR box.
    big = fit_line(group_code(code), font.mono_bold, face.qr_size - quiet, face.code_size, 8)
    code_top = face.qr_y - 1
    canvas.setFillColorRGB(*INK)
    big.draw(canvas, face.qr_x, code_top, align="centre", width=face.qr_size)
    hint_text = words.gettext("scan, or type %(code)s", code=code)
    hint = fit_line(hint_text, font.sans, face.qr_size, face.hint_size, 4)
    canvas.setFillColorRGB(*MUTED)
    hint.draw(canvas, face.qr_x, code_top - big.size * 1.05, align="centre", width=face.qr_size)

    top = face.height - face.pad
    if title:
        canvas.setFillColorRGB(*MUTED)
        line = fit_line(title, font.sans, face.header_width, 7.5, 6)
        top = line.draw(canvas, face.pad, top) - 3
    section = card.get("section")
    if section:
        canvas.setFillColorRGB(*ACCENT)
        line = fit_line(str(section), font.sans_bold, face.header_width, 8.5, 6.5)
        top = line.draw(canvas, face.pad, top) - 2
    prompt = str(card.get("prompt") or "")
    if prompt:
        canvas.setFillColorRGB(*INK)
        block = fit_block(
            prompt,
            font.sans_bold,
            face.header_width,
            0,
            face.prompt_max,
            face.prompt_min,
            max_lines=face.prompt_lines,
            leading=1.18,
        )
        top = block.draw(canvas, face.pad, top)
    _draw_rules(canvas, face, top - face.rule_pitch * 0.35)


def _draw_rules(canvas: Canvas, face: CardFace, below: float) -> None:
    """Handwriting lines from under the prompt to the bottom, stopping short of the QR code."""
    canvas.saveState()
    canvas.setStrokeGray(RULE_GREY)
    canvas.setLineWidth(0.5)
    left = face.pad
    beside_qr = (face.code_bottom - 3, face.qr_y + face.qr_size + 2)
    y = below - face.rule_pitch
    while y >= face.pad:
        right = face.width - face.pad
        if beside_qr[0] <= y <= beside_qr[1]:
            right = face.qr_x - 2
        canvas.line(left, y, right, y)
        y -= face.rule_pitch
    canvas.restoreState()


def _draw_page_footer(
    canvas: Canvas,
    layout: CardLayout,
    font: FontSet,
    words: Words,
    title: str,
    first: int,
    count: int,
    total: int,
) -> None:
    """A line in the bottom margin: which cards these are, and how to print them."""
    margin = layout.page_height - layout.top - (layout.rows - 1) * layout.pitch_y
    margin -= layout.card_height
    if margin < 0.3 * INCH:
        return
    if count == 1:
        numbers = words.gettext("card %(number)s of %(total)s", number=first + 1, total=total)
    else:
        numbers = words.gettext(
            "cards %(first)s–%(last)s of %(total)s",
            first=first + 1,
            last=first + count,
            total=total,
        )
    if layout.cut_marks and layout.note_outlines:
        how = words.gettext(
            "print at actual size (100%), cut on the marks; "
            "stick a 3×3 in note inside each dashed outline"
        )
    elif layout.cut_marks:
        how = words.gettext("print at actual size (100%), cut on the marks")
    elif layout.note_outlines:
        how = words.gettext(
            "print at actual size (100%); stick a 3×3 in note inside each dashed outline"
        )
    else:
        how = words.gettext("print at actual size (100%)")
    text = " · ".join(part for part in (title, numbers, how) if part)
    canvas.saveState()
    canvas.setFillColorRGB(*MUTED)
    line = fit_line(text, font.sans, layout.page_width - 1 * INCH, 7, 5)
    canvas.setFont(line.font, line.size)
    canvas.drawCentredString(layout.page_width / 2, margin * 0.4, line.lines[0])
    canvas.restoreState()
