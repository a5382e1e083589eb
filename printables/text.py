"""Wrapping and fitting text into boxes, so nothing a facilitator types overflows the paper."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from printables.fonts import printable_text

ELLIPSIS = "\u2026"
BREAK_AFTER = "/.-?&="


@dataclass(frozen=True)
class TextBlock:
    """Lines of text at one font size, ready to draw top-down."""

    font: str
    size: float
    lines: list[str]
    leading: float

    @property
    def height(self) -> float:
        return self.leading * len(self.lines)

    def draw(
        self, canvas: Canvas, x: float, top: float, align: str = "left", width: float = 0
    ) -> float:
        """Draw with the first line's cap height just under `top`; returns the bottom y."""
        canvas.setFont(self.font, self.size)
        baseline = top - self.size * 0.8
        for line in self.lines:
            if align == "centre":
                canvas.drawCentredString(x + width / 2, baseline, line)
            elif align == "right":
                canvas.drawRightString(x + width, baseline, line)
            else:
                canvas.drawString(x, baseline, line)
            baseline -= self.leading
        return top - self.height


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap; a word longer than the line (a URL, say) is broken between letters.

    Paragraph breaks in `text` are kept.
    """
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").split("\n"):
        line = ""
        for word in printable_text(paragraph, font).split():
            candidate = f"{line} {word}" if line else word
            if stringWidth(candidate, font, size) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            while stringWidth(word, font, size) > width:
                cut = _longest_prefix(word, font, size, width)
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        if line or not lines or paragraph.strip() == "":
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _longest_prefix(word: str, font: str, size: float, width: float) -> int:
    """Where to break a word too long for a line: after a URL's / . - ? & = if one is near."""
    cut = 1
    while cut < len(word) and stringWidth(word[: cut + 1], font, size) <= width:
        cut += 1
    soft = max(word.rfind(char, 0, cut) for char in BREAK_AFTER) + 1
    return soft if soft > cut // 2 else cut


def fit_block(
    text: str,
    font: str,
    width: float,
    height: float,
    max_size: float,
    min_size: float,
    max_lines: int | None = None,
    leading: float = 1.2,
) -> TextBlock:
    """The largest size from `max_size` down to `min_size` at which `text` fits the box.

    If it does not fit even at `min_size`, the last line that fits ends with an ellipsis: a
    prompt too long for its card should be shortened, but must not print over the QR code.
    """
    size = max_size
    while True:
        lines = wrap(text, font, size, width)
        line_limit = int((height + 0.01) // (size * leading)) if height else len(lines)
        if max_lines is not None:
            line_limit = min(line_limit, max_lines)
        if len(lines) <= line_limit or size <= min_size:
            break
        size = max(min_size, size - 0.5)
    if len(lines) > line_limit:
        lines = lines[: max(line_limit, 1)]
        lines[-1] = _with_ellipsis(lines[-1], font, size, width)
    return TextBlock(font=font, size=size, lines=lines, leading=size * leading)


def fit_one_or_two_lines(
    text: str, font: str, width: float, max_size: float, one_line_min: float, min_size: float
) -> TextBlock:
    """One line if it can stay at `one_line_min` or larger, else two lines, else cut short."""
    line = fit_line(text, font, width, max_size, one_line_min)
    if not line.lines[0].endswith(ELLIPSIS):
        return line
    return fit_block(text, font, width, 0, one_line_min, min_size, max_lines=2, leading=1.15)


def fit_line(text: str, font: str, width: float, max_size: float, min_size: float) -> TextBlock:
    """One line at the largest size that fits `width`, cut with an ellipsis below `min_size`."""
    line = printable_text(text, font).strip()
    natural = stringWidth(line, font, max_size)
    size = max_size if natural <= width else max(min_size, max_size * width / natural)
    if stringWidth(line, font, size) > width:
        line = _with_ellipsis(line, font, size, width)
    return TextBlock(font=font, size=size, lines=[line], leading=size * 1.2)


def _with_ellipsis(line: str, font: str, size: float, width: float) -> str:
    line = line.rstrip()
    while line and stringWidth(line + ELLIPSIS, font, size) > width:
        line = line[:-1].rstrip()
    return line + ELLIPSIS
