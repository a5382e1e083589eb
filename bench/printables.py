"""How long printing a card deck takes, against a bare reportlab loop in the same run.

    python bench/printables.py [--sizes 300,1000] [--layouts letter,sticky-3x3]
                               [--baselines widget,automask] [--repeat 1]
                               [--report-notes 1000] [--report-baselines helvetica,dejavu]

For each layout and deck size it times `printables.build_card_deck` and two bare loops that
put the same cards on the same number of pages, at the same positions and QR size, with only
the card code and prompt as one line of text each:

- `widget`: reportlab's own `reportlab.graphics.barcode.qr.QrCodeWidget` (error correction M),
  rendered through a `Drawing` - what a plain reportlab program would do;
- `automask`: the `qrcode` library's matrix with its automatic version and mask choice, drawn
  as one rectangle per dark module.

The ratio column is baseline seconds divided by `build_card_deck` seconds (above 1: ours is
faster). Prints a Markdown table, to paste into docs/performance.md.

Then, for each `--report-notes` size, it times `printables.build_report` on a workshop with that
many notes against a bare platypus `SimpleDocTemplate` of the same size: every note as a
paragraph twice (by section and in the appendix) and a one-row-per-note table of outcomes,
built in one pass with no contents, charts, headers or page furniture. `helvetica` is what a
plain reportlab program would write (reportlab's sample style, no Unicode font);
`dejavu` is the same document in the DejaVu Sans the report embeds.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import qrcode  # noqa: E402
import reportlab  # noqa: E402
from reportlab.graphics import renderPDF  # noqa: E402
from reportlab.graphics.barcode.qr import QrCodeWidget  # noqa: E402
from reportlab.graphics.shapes import Drawing  # noqa: E402
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table  # noqa: E402

from printables import LAYOUTS, build_card_deck, build_report  # noqa: E402
from printables.cards import CardFace  # noqa: E402
from printables.fonts import fonts  # noqa: E402
from printables.paper import page_size  # noqa: E402

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


REPORT_SECTIONS = [
    "Roles and responsibilities",
    "Timeline",
    "Activities",
    "Who houses the project",
    "Who sustains it after the pilot",
    "Data to publish first",
]
PHRASES = [
    "Publish the bus stop data",
    "before the first milestone",
    "with the neighbourhood association",
    "in Spanish and Vietnamese (tiếng Việt)",
    "so residents can check it themselves",
    "and keep it fresh after the pilot ends",
    "qualité de l'air à côté de l'école",
    "near the library & the <market>",
]
OUTCOME_CYCLE = ["answered", "merged", "out-of-scope", "noted", None]


def make_report(count: int) -> dict:
    """A workshop of `count` notes in the shape `build_report` takes, the same on every run."""
    notes = []
    for number in range(1, count + 1):
        text = " ".join(PHRASES[(number * k) % len(PHRASES)] for k in range(1, 3 + number % 5))
        section = None if number % 10 == 0 else REPORT_SECTIONS[number % len(REPORT_SECTIONS)]
        paper = number % 4 == 1
        notes.append(
            {
                "id": number,
                "text": f"{text} ({number})",
                "votes": number * 7 % 11,
                "source": "paper" if paper else "phone",
                "author_label": "Zoë" if number % 6 == 0 else None,
                "card_code": f"K7P{number:04d}" if paper else None,
                "entered_by": "scribe" if paper else None,
                "prompt": "What is missing from the plan?" if number % 2 else None,
                "section": section,
                "group": f"Group {number % 3}" if section and number % 3 else None,
                "hidden": number % 97 == 0,
                "merged_into": None,
                "created_at": f"2026-11-26T19:{number // 60 % 60:02d}:{number % 60:02d}+00:00",
                "outcome": OUTCOME_CYCLE[number % 5],
                "outcome_detail": "Next step: publish by March" if number % 5 == 0 else None,
                "online": False,
            }
        )
    sections = []
    for title in REPORT_SECTIONS:
        mine = [note for note in notes if note["section"] == title]
        groups = [
            {"label": label, "notes": [note for note in mine if note["group"] == label]}
            for label in ("Group 1", "Group 2")
        ]
        loose = [note for note in mine if note["group"] is None]
        body = f"What the city proposes for {title.lower()}. " * 6
        sections.append(
            {"title": title, "body": body, "revisions": [], "groups": groups, "notes": loose}
        )
    shown = [note for note in notes if not note["hidden"]]
    return {
        "workshop": {
            "title": "Riverside open data: draft plan review",
            "description": "Residents and local experts review the city's draft plan.",
            "code": "KX7P",
            "date": "26 November 2026",
            "place": "Central Library",
            "facilitator": "City open-data team",
            "generated_at": "2026-11-26 21:00",
        },
        "participation": {
            "phones": count // 3,
            "attendees_named": count // 10,
            "paper_cards": count // 4,
            "scribed_notes": count // 4,
            "facilitator_notes": 0,
            "online_notes": 0,
            "notes": count,
            "votes": sum(note["votes"] for note in notes),
            "timeline": [
                {"time": f"{19 + m // 60}:{m % 60:02d}", "notes": m % 7, "votes": m % 13}
                for m in range(0, 150, 5)
            ],
        },
        "sections": sections,
        "unsorted": [note for note in notes if note["section"] is None],
        "top_notes": sorted(shown, key=lambda note: -note["votes"])[:10],
        "next_steps": [
            {
                "text": f"Next step {number}: {PHRASES[number % len(PHRASES)]}",
                "owner": "Transport data office",
                "due": "2027-03-01",
                "status": "planned",
                "reason": "",
                "notes": shown[number * 5 : number * 5 + 5],
            }
            for number in range(20)
        ],
        "outcomes": {"answered": count // 5, "noted": count // 5, "none": count // 5},
        "moderation": [
            {
                "action": "hide",
                "summary": f"Hid note #{note['id']}",
                "created_at": "",
                "undone": False,
            }
            for note in notes
            if note["hidden"]
        ],
        "votes_by_section": [
            {"section": title, "votes": sum(n["votes"] for n in shown if n["section"] == title)}
            for title in REPORT_SECTIONS
        ],
        "plan_check": {
            "participants": 14,
            "sections": [
                {"title": title, "counts": {"workable": 5, "needs-changes": 7, "not-workable": 2}}
                for title in REPORT_SECTIONS
            ],
        },
        "photos": [],
        "notes": notes,
    }


def bare_report(report: dict, font: str) -> bytes:
    """The same notes in a plain platypus document: a paragraph per note with its source, a
    one-row-per-note table, and every note again with its provenance; one pass, no page
    furniture."""
    normal = getSampleStyleSheet()["Normal"]
    if font != "helvetica":
        normal = ParagraphStyle("dejavu", parent=normal, fontName=fonts().sans)
    cell = ParagraphStyle("cell", parent=normal, fontSize=8.5, leading=10.5)
    notes = report["notes"]
    story = [
        Paragraph(f"{escape(note['text'])}<br/>{note['source']} · #{note['id']}", normal)
        for note in notes
        if not note["hidden"]
    ]
    rows = [
        [
            str(note["id"]),
            Paragraph(escape(note["text"]), cell),
            note["outcome"] or "",
            Paragraph(escape(note["outcome_detail"] or ""), cell),
        ]
        for note in notes
    ]
    story.append(Table(rows, colWidths=[40, 240, 70, 130], repeatRows=0))
    story += [
        Paragraph(f"#{note['id']} {_facts(note)}<br/>{escape(note['text'])}", normal)
        for note in notes
    ]
    buffer = BytesIO()
    SimpleDocTemplate(buffer, pagesize=page_size("letter")).build(story)
    return buffer.getvalue()


def _facts(note: dict) -> str:
    keys = ("created_at", "source", "card_code", "entered_by", "prompt", "section", "group")
    return escape(" · ".join(str(note[key]) for key in keys if note[key]))


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page[^s]", pdf))


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
    parser.add_argument("--report-notes", default="1000", help="report sizes; empty: none")
    parser.add_argument("--report-baselines", default="helvetica,dejavu")
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
    report_sizes = [int(size) for size in args.report_notes.split(",") if size.strip()]
    if report_sizes:
        report_table(report_sizes, args.report_baselines.split(","), args.repeat)


def report_table(sizes: list[int], baselines: list[str], repeat: int) -> None:
    print("\n| paper | notes | pages | builder | seconds | notes/s | PDF KB | ratio |")
    print("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |")
    build_report(make_report(10))  # fonts registered, imports warm
    for count in sizes:
        report = make_report(count)
        builders = [("build_report (printables)", lambda report=report: build_report(report))]
        for font in baselines:
            label = f"bare SimpleDocTemplate, {font}"
            builders.append((label, lambda r=report, font=font: bare_report(r, font)))
        ours = None
        for label, build in builders:
            seconds, pdf = float("inf"), b""
            for _ in range(repeat):
                start = time.perf_counter()
                pdf = build()
                seconds = min(seconds, time.perf_counter() - start)
            ours = ours or seconds
            print(
                f"| letter | {count} | {page_count(pdf)} | {label} | {seconds:.2f} | "
                f"{count / seconds:.0f} | {len(pdf) // 1024} | {seconds / ours:.2f} |",
                flush=True,
            )


def _version(distribution: str) -> str:
    from importlib.metadata import version

    return version(distribution)


if __name__ == "__main__":
    main()
