"""The "you said, we did" poster: one page for the next meeting, each change the sessions
brought about beside the words that prompted it, and a QR code to the public plan page."""

from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any

from printables.fonts import fonts
from printables.paper import INCH, new_canvas, page_size
from printables.plan import STATUSES, session_label
from printables.qr import draw_qr, qr_matrix
from printables.text import fit_block, fit_line
from printables.words import Words

INK = (0.1, 0.1, 0.12)
MUTED = (0.35, 0.35, 0.4)
ACCENT = (0.05, 0.36, 0.42)
SHADE = (0.94, 0.95, 0.96)
MARGIN = 0.5 * INCH
QR_SIZE = 1.9 * INCH
MAX_ITEMS = 4
GAP = 10


def poster_items(plan: Mapping[str, Any]) -> list[dict]:
    """What the poster shows: the newest revisions that cite notes, then the commitments
    that answer notes, at most MAX_ITEMS; each ``{said: note, did: text, where}``."""
    items = []
    changes = [
        (change, section)
        for section in plan.get("sections") or []
        for change in section.get("changes") or []
        if change.get("notes")
    ]
    changes.sort(key=lambda pair: str(pair[0].get("revised_at") or ""), reverse=True)
    for change, section in changes:
        items.append(
            {
                "said": change["notes"][0],
                "more": len(change["notes"]) - 1,
                "did": f"{section.get('title')}: {change.get('reason') or ''}",
            }
        )
    for step in plan.get("steps") or []:
        if step.get("notes") and step.get("status") != "declined":
            items.append(
                {
                    "said": step["notes"][0],
                    "more": len(step["notes"]) - 1,
                    "did": str(step.get("text") or ""),
                    "status": step.get("status"),
                }
            )
    return items[:MAX_ITEMS]


def build_plan_poster(plan: Mapping[str, Any]) -> bytes:
    """A one-page poster from the same data as :func:`printables.plan.build_plan`."""
    words = Words(plan.get("language"))
    font = fonts()
    width, height = page_size("letter")
    buffer = BytesIO()
    title = str(plan.get("title") or "")
    canvas = new_canvas(
        buffer, (width, height), words.gettext("You said, we did: %(title)s", title=title)
    )
    inner = width - 2 * MARGIN
    top = height - MARGIN
    canvas.setFillColorRGB(*ACCENT)
    top = fit_line(words.gettext("You said, we did"), font.sans_bold, inner, 40, 24).draw(
        canvas, MARGIN, top, align="centre", width=inner
    )
    canvas.setFillColorRGB(*INK)
    block = fit_block(title, font.sans, inner, 0, 18, 12, max_lines=2)
    top = block.draw(canvas, MARGIN, top - 8, align="centre", width=inner) - 18

    bottom = MARGIN + QR_SIZE + GAP
    items = poster_items(plan)
    room = (top - bottom) / max(len(items), 1) - GAP
    size = 20 if len(items) <= 2 else 14  # few items: read from the back of the room
    for item in items:
        top = _item(canvas, font, words, item, MARGIN, top, inner, room, size) - GAP
    if not items:
        canvas.setFillColorRGB(*MUTED)
        fit_line(words.gettext("The plan has not changed yet."), font.sans, inner, 16, 10).draw(
            canvas, MARGIN, top, align="centre", width=inner
        )

    url = str(plan.get("public_url") or "")
    if url:
        draw_qr(canvas, qr_matrix(url), width - MARGIN - QR_SIZE, MARGIN, QR_SIZE)
        text_width = inner - QR_SIZE - GAP
        canvas.setFillColorRGB(*INK)
        lead = words.gettext("The whole plan, what changed and why, and what happens next:")
        y = MARGIN + QR_SIZE - 20
        y = fit_block(lead, font.sans_bold, text_width, 0, 14, 10, max_lines=3).draw(
            canvas, MARGIN, y
        )
        fit_block(url, font.mono, text_width, 0, 12, 8, max_lines=2).draw(canvas, MARGIN, y - 6)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _item(
    canvas: Any,
    font: Any,
    words: Words,
    item: Mapping[str, Any],
    left: float,
    top: float,
    width: float,
    room: float,
    size: float,
) -> float:
    """One "you said" / "we did" pair in a shaded box at most ``room`` high; its bottom."""
    pad = 10
    half = (width - 3 * pad) / 2
    said = words.gettext("“%(text)s”", text=item["said"].get("text") or "")
    if item.get("more"):
        said += " " + words.ngettext("(and %(num)s more)", "(and %(num)s more)", item["more"])
    heading = 13
    text_room = room - 2 * pad - heading * 1.6 - 12
    said_block = fit_block(said, font.sans, half, text_room, size, 8)
    did_text = str(item.get("did") or "")
    if item.get("status") in STATUSES:
        did_text += f" ({words.gettext(STATUSES[item['status']])})"
    did_block = fit_block(did_text, font.sans_bold, half, text_room, size, 8)
    where = fit_line(session_label(words, item["said"]), font.sans, half, 9, 7)
    box = max(said_block.height + where.height + 4, did_block.height) + 2 * pad + heading * 1.6
    canvas.setFillColorRGB(*SHADE)
    canvas.rect(left, top - box, width, box, stroke=0, fill=1)
    y = top - pad
    canvas.setFillColorRGB(*ACCENT)
    fit_line(words.gettext("You said"), font.sans_bold, half, heading, 9).draw(
        canvas, left + pad, y
    )
    fit_line(words.gettext("We did"), font.sans_bold, half, heading, 9).draw(
        canvas, left + 2 * pad + half, y
    )
    y -= heading * 1.6
    canvas.setFillColorRGB(*INK)
    below = said_block.draw(canvas, left + pad, y)
    canvas.setFillColorRGB(*MUTED)
    where.draw(canvas, left + pad, below - 4)
    canvas.setFillColorRGB(*INK)
    did_block.draw(canvas, left + 2 * pad + half, y)
    return top - box
