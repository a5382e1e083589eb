"""How long printing a card deck takes, against a bare reportlab loop in the same run.

    python bench/printables.py [--sizes 300,1000] [--layouts letter,sticky-3x3]
                               [--baselines widget,automask] [--repeat 1]

For each layout and deck size it times `printables.build_card_deck` and two bare loops that
put the same cards on the same number of pages, at the same positions and QR size, with only
the card code and prompt as one line of text each:

- `widget`: reportlab's own `reportlab.graphics.barcode.qr.QrCodeWidget` (error correction M),
  rendered through a `Drawing` - what a plain reportlab program would do;
- `automask`: the `qrcode` library's matrix with its automatic version and mask choice, drawn
  as one rectangle per dark module.

The ratio column is baseline seconds divided by `build_card_deck` seconds (above 1: ours is
faster). Prints a Markdown table, to paste into docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import qrcode  # noqa: E402
import reportlab  # noqa: E402
from reportlab.graphics import renderPDF  # noqa: E402
from reportlab.graphics.barcode.qr import QrCodeWidget  # noqa: E402
from reportlab.graphics.shapes import Drawing  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from printables import LAYOUTS, build_card_deck  # noqa: E402
from printables.cards import CardFace  # noqa: E402

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PROMPTS = [
    ("What is missing from the timeline?", "Timeline"),
    ("Who should house and sustain the project once the pilot ends?", "Roles"),
    ("What would make it easy for your neighbours to take part?", None),
]


def make_deck(layout: str, count: int) -> dict:
    cards = []
    for number in range(count):
        code = "".join(ALPHABET[(number * 7919 + 104729) // 31**i % 31] for i in range(6))
        prompt, section = PROMPTS[number % len(PROMPTS)]
        url = f"http://192.168.1.20:5000/c/{code}"
        cards.append({"code": code, "url": url, "prompt": prompt, "section": section})
    return {"title": "Riverside open data: draft plan review", "layout": layout, "cards": cards}


def bare_loop(deck: dict, draw_code: Callable[[Canvas, str, float, float, float], None]) -> bytes:
    """The same pages and QR codes as the deck, with nothing else the product adds."""
    layout = LAYOUTS[deck["layout"]]
    face = CardFace.for_card(layout.card_width, layout.card_height)
    cards = deck["cards"]
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=layout.page_size, pageCompression=1)
    for first in range(0, len(cards), layout.per_page):
        for slot, card in enumerate(cards[first : first + layout.per_page]):
            x, y = layout.card_origin(slot)
            draw_code(canvas, card["url"], x + face.qr_x, y + face.qr_y, face.qr_size)
            canvas.setFont("Helvetica-Bold", 11)
            canvas.drawString(x + face.pad, y + layout.card_height - 30, card["prompt"][:40])
            canvas.setFont("Courier-Bold", 16)
            canvas.drawString(x + face.qr_x, y + face.qr_y - 16, card["code"])
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def draw_widget(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(data, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def draw_automask(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()  # with the quiet zone
    module = size / len(matrix)
    for row_index, row in enumerate(matrix):
        for column_index, dark in enumerate(row):
            if dark:
                canvas.rect(
                    x + column_index * module,
                    y + size - (row_index + 1) * module,
                    module,
                    module,
                    stroke=0,
                    fill=1,
                )


BASELINES = {
    "widget": ("bare reportlab loop, QrCodeWidget", draw_widget),
    "automask": ("bare reportlab loop, qrcode auto mask", draw_automask),
}


def best_time(build: Callable[[], bytes], repeat: int) -> tuple[float, int]:
    best, size = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        pdf = build()
        best = min(best, time.perf_counter() - start)
        size = len(pdf)
    return best, size


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="300,1000")
    parser.add_argument("--layouts", default="letter,sticky-3x3")
    parser.add_argument("--baselines", default="widget,automask")
    parser.add_argument("--repeat", type=int, default=1, help="best of this many runs")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    layouts = args.layouts.split(",")
    baselines = args.baselines.split(",")

    print(
        f"Python {platform.python_version()}, reportlab {reportlab.Version}, "
        f"qrcode {_version('qrcode')}, {os.cpu_count()} CPUs, best of {args.repeat}\n"
    )
    print("| layout | cards | pages | builder | seconds | cards/s | PDF KB | ratio |")
    print("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |")
    build_card_deck(make_deck("letter", 4))  # fonts registered, imports warm
    for layout in layouts:
        for count in sizes:
            deck = make_deck(layout, count)
            pages = -(-count // LAYOUTS[layout].per_page)
            ours, size = best_time(lambda deck=deck: build_card_deck(deck), args.repeat)
            rows = [("build_card_deck (printables)", ours, size)]
            for name in baselines:
                label, draw = BASELINES[name]
                seconds, size = best_time(
                    lambda deck=deck, draw=draw: bare_loop(deck, draw), args.repeat
                )
                rows.append((label, seconds, size))
            for label, seconds, size in rows:
                ratio = f"{seconds / ours:.2f}"
                print(
                    f"| {layout} | {count} | {pages} | {label} | {seconds:.2f} | "
                    f"{count / seconds:.0f} | {size // 1024} | {ratio} |",
                    flush=True,
                )


def _version(distribution: str) -> str:
    from importlib.metadata import version

    return version(distribution)


if __name__ == "__main__":
    main()
