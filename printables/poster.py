"""The join poster: a QR code to scan from across the room, and how to join without one."""

from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from printables.fonts import FontSet, fonts
from printables.paper import INCH, new_canvas, page_size
from printables.qr import draw_qr, qr_matrix, wifi_payload
from printables.text import TextBlock, fit_block, fit_line, fit_one_or_two_lines
from printables.words import Words
from workshop.core.i18n import N_

INK = (0.1, 0.1, 0.12)
MUTED = (0.35, 0.35, 0.4)
ACCENT = (0.05, 0.36, 0.42)
MARGIN = 0.4 * INCH
JOIN_QR_MAX = 7 * INCH
WIFI_QR_SIZE = 1.2 * INCH
WIFI_COLUMN = 2 * INCH
INSTRUCTIONS = (
    N_("Point your phone's camera at the big code."),
    N_("Tap the link, or type the address above."),
    N_("Post your ideas as notes: no app, no account."),
)


def build_poster(poster: Mapping[str, Any], *, language: str | None = None) -> bytes:
    """A one-page join poster.

    `poster` is `{"title": str, "join_url": str, "join_code": str, "page_size": "letter" |
    "a4" (default letter), "wifi": {"ssid": str, "password": str, "security": str} | None,
    "language": str (default "en")}`; its words print in `language` (else the poster's).
    """
    words = Words(language or poster.get("language"))
    join_url = str(poster.get("join_url") or "")
    join_code = str(poster.get("join_code") or "")
    if not join_url or not join_code:
        raise ValueError("a join poster needs the join URL and the join code")
    wifi = poster.get("wifi") or None
    wifi_text = None
    if wifi:
        security = wifi.get("security") or ("WPA" if wifi.get("password") else "nopass")
        wifi_text = wifi_payload(
            str(wifi.get("ssid") or ""),
            str(wifi.get("password") or ""),
            security,
            bool(wifi.get("hidden", False)),
        )
    title = str(poster.get("title") or "")
    width, height = page_size(poster.get("page_size") or "letter")
    font = fonts()
    buffer = BytesIO()
    name = words.gettext("Join: %(title)s", title=title) if title else words.gettext("Join")
    canvas = new_canvas(buffer, (width, height), name)
    inner = width - 2 * MARGIN

    # Top down: heading and title. Bottom up: the join code with the steps (and the Wi-Fi
    # code to their right), then the address. The join QR code takes the height between.
    top = height - MARGIN
    canvas.setFillColorRGB(*ACCENT)
    heading = fit_line(words.gettext("Join the workshop"), font.sans_bold, inner, 32, 24)
    top = heading.draw(canvas, MARGIN, top, align="centre", width=inner)
    if title:
        canvas.setFillColorRGB(*INK)
        block = fit_block(title, font.sans, inner, 0, 18, 12, max_lines=2)
        top = block.draw(canvas, MARGIN, top - 8, align="centre", width=inner)

    bottom = MARGIN + _draw_code_and_steps(canvas, font, words, join_code, wifi, wifi_text, inner)
    bottom += 12
    # A long address wraps rather than being cut: people type it from here.
    url = fit_one_or_two_lines(join_url, font.sans_bold, inner, 30, 18, 12)
    canvas.setFillColorRGB(*INK)
    url.draw(canvas, MARGIN, bottom + url.height - url.size * 0.35, align="centre", width=inner)
    bottom += url.height - url.size * 0.35 + 7
    hint_text = words.gettext("or open this address in your browser")
    hint = fit_line(hint_text, font.sans, inner, 12, 10)
    canvas.setFillColorRGB(*MUTED)
    hint.draw(canvas, MARGIN, bottom + hint.size * 0.8, align="centre", width=inner)
    bottom += hint.size * 0.8

    # The quiet zone is blank, so the QR box may run right up to the text around it.
    size = min(top - bottom, inner, JOIN_QR_MAX)
    draw_qr(
        canvas, qr_matrix(join_url), (width - size) / 2, bottom + (top - bottom - size) / 2, size
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_code_and_steps(
    canvas: Canvas,
    font: FontSet,
    words: Words,
    join_code: str,
    wifi: Mapping[str, Any] | None,
    wifi_text: str | None,
    inner: float,
) -> float:
    """The join code over the numbered steps, the Wi-Fi code to their right; their height."""
    area = inner - (WIFI_COLUMN + 0.25 * INCH if wifi_text else 0)
    label = fit_line(words.gettext("join code"), font.sans, area / 3, 16, 10)
    code = fit_line(join_code, font.mono_bold, area - _width(label) - 12, 60, 24)
    steps = [
        fit_block(f"{number}. {words.gettext(step)}", font.sans, area, 0, 14, 9, max_lines=2)
        for number, step in enumerate(INSTRUCTIONS, start=1)
    ]
    code_row = _width(label) + 12 + _width(code)
    block_width = max(code_row, *(_width(step) for step in steps))
    steps_height = sum(step.height + 5 for step in steps)
    own_height = code.size * 0.95 + 10 + steps_height
    wifi_height = 0.0
    if wifi and wifi_text:
        wifi_height = _draw_wifi(canvas, font, words, wifi, wifi_text, MARGIN + inner, MARGIN)
    height = max(own_height, wifi_height)
    left = MARGIN + (area - block_width) / 2
    top = MARGIN + (height + own_height) / 2
    baseline = top - code.size * 0.75
    canvas.setFillColorRGB(*MUTED)
    canvas.setFont(label.font, label.size)
    canvas.drawString(left, baseline, label.lines[0])
    canvas.setFillColorRGB(*INK)
    canvas.setFont(code.font, code.size)
    canvas.drawString(left + _width(label) + 12, baseline, code.lines[0])
    top -= code.size * 0.95 + 10
    for step in steps:
        top = step.draw(canvas, left, top) - 5
    return height


def _width(block: TextBlock) -> float:
    return max(stringWidth(line, block.font, block.size) for line in block.lines)


def _draw_wifi(
    canvas: Canvas,
    font: FontSet,
    words: Words,
    wifi: Mapping[str, Any],
    payload: str,
    right: float,
    bottom: float,
) -> float:
    """The Wi-Fi QR code over its network name and password, bottom-right; their height.

    Long names wrap to a second line rather than being cut: people type them from here.
    """
    left = right - WIFI_COLUMN
    password = wifi.get("password")
    if password and "nopass" not in payload:
        text = words.gettext("Password: %(password)s", password=password)
        secret = fit_block(text, font.mono, WIFI_COLUMN, 0, 10, 7, 2)
    else:
        text = words.gettext("open network, no password")
        secret = fit_block(text, font.sans, WIFI_COLUMN, 0, 10, 7, 2)
    text = words.gettext("Wi-Fi: %(network)s", network=wifi.get("ssid"))
    network = fit_block(text, font.sans_bold, WIFI_COLUMN, 0, 11, 8, 2)
    y = bottom
    canvas.setFillColorRGB(*INK)
    for block in (secret, network):
        y += block.height
        block.draw(canvas, left, y, align="centre", width=WIFI_COLUMN)
        y += 2
    draw_qr(canvas, payload, left + (WIFI_COLUMN - WIFI_QR_SIZE) / 2, y, WIFI_QR_SIZE)
    return y + WIFI_QR_SIZE - bottom
