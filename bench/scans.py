"""Scanning paper cards: how many are read, how fast, and what the live board feels meanwhile.

    .venv/bin/python bench/scans.py [--pages 25] [--walls 5] [--samples 60]

Accuracy: decks printed by printables, with handwriting-like strokes, scanned at 300 and
150 dpi, rotated up to ±8°, in perspective up to 15°, blurred, lit unevenly, JPEG quality
60 (tests/scanmaker.py makes them); and wall photos of 4 section signs with 20–40 cards.
Each is scanned twice: the second scan must add no note. Speed: one 25-page 300 dpi PDF
(100 cards) through the whole pipeline, against a bare loop that only renders and decodes
the same pages in-process. Board latency: a real `workshop serve`, a board connected by
Socket.IO, a phone posting a note every 0.2 s; note -> board with and without a 25-page scan
running. Talks only to a server it starts on 127.0.0.1 and stops at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402
import socketio  # noqa: E402
import zxingcpp  # noqa: E402

import printables  # noqa: E402
from tests import scanmaker  # noqa: E402
from tests.liveserver import LiveServer, running  # noqa: E402
from workshop.core import db as database  # noqa: E402
from workshop.paper import cards, printing, scans  # noqa: E402
from workshop.workshops import workshops  # noqa: E402

BASE = "http://192.168.1.20:5000"
CARDS_PER_PAGE = 4


def new_workshop(store):
    return workshops.create_workshop(
        store,
        title="Bench",
        sections=[{"title": t} for t in ("Timeline", "Roles", "Data", "Who sustains it")],
    )


def printed(store, code, count):
    issued = cards.issue_cards(store, code, count)
    data = printing.deck_data(store.db, code, issued, BASE, "letter")
    return [c["code"] for c in issued], printables.build_card_deck(data)


def feeder_pages(pdf, dpi, rng, tilt=0.0, radius=0.0, light=0.0):
    pages = []
    for number, page in enumerate(scanmaker.render_pages(pdf, dpi)):
        page = scanmaker.handwrite(page, "letter", dpi, seed=number)
        pages.append(
            scanmaker.scanned(
                page,
                degrees=rng.uniform(-8, 8),
                tilt=rng.uniform(0, tilt) if tilt else 0.0,
                quality=60,
                radius=radius,
                light=light,
            )
        )
    return pages


def scan_twice(store, code, files, folder):
    first = scans.scan_files(store, code, files, photos=folder / "photos", entered_by="scribe")
    before = store.db["notes"].count
    second = scans.scan_files(store, code, files, photos=folder / "photos", entered_by="scribe")
    return first, store.db["notes"].count - before, second


def found_codes(report):
    return [card["card_code"] for image in report.images for card in image.cards]


def accuracy_row(name, expected, report, duplicates, filed=None):
    read = found_codes(report)
    right = len(set(read) & set(expected))
    wrong = len(set(read) - set(expected))
    filed_text = "" if filed is None else f" {filed[0]}/{filed[1]}"
    return (
        f"| {name} | {len(expected)} | {right} | {100 * right / len(expected):.1f}% | {wrong} | "
        f"{duplicates} |{filed_text or ' –'} |"
    )


def feeder_condition(name, dpi, pages, rng, **damage):
    store = database.connect(None)
    workshop = new_workshop(store)
    codes, pdf = printed(store, workshop["code"], pages * CARDS_PER_PAGE)
    images = feeder_pages(pdf, dpi, rng, **damage)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "feeder.pdf"
        path.write_bytes(scanmaker.pdf_of(images, dpi, quality=60))
        report, duplicates, _ = scan_twice(store, workshop["code"], [("feeder.pdf", path)], folder)
    store.close()
    return accuracy_row(name, codes, report, duplicates)


def wall_condition(walls, rng):
    store = database.connect(None)
    workshop = new_workshop(store)
    sections = workshops.get_workshop(store.db, workshop["code"])["sections"]
    ppi = 90
    signs = scanmaker.render_pages(
        printables.build_section_signs(
            printing.signs_data(store.db, workshop["code"], base_url=BASE)
        ),
        ppi,
    )
    expected, truth, files = [], {}, []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for number in range(walls):
            count = rng.randint(20, 40)
            codes, pdf = printed(store, workshop["code"], count)
            images = scanmaker.deck_cards(pdf, "letter", ppi, seed=number)[:count]
            columns: list[list] = [[] for _ in signs]
            for index, image in enumerate(images):
                columns[index % len(signs)].append((codes[index], image))
            photo, _ = scanmaker.wall(signs, [[i for _, i in c] for c in columns], ppi, seed=number)
            for column, items in enumerate(columns):
                for code, _ in items:
                    truth[code] = sections[column]["id"]
            expected.extend(codes)
            path = folder / f"wall-{number}.jpg"
            damaged = scanmaker.scanned(
                photo,
                degrees=rng.uniform(-3, 3),
                tilt=rng.uniform(0, 10),
                quality=60,
                light=0.25,
                radius=0.6,
            )
            path.write_bytes(scanmaker.jpeg(damaged, 60))
            files.append((path.name, path))
        report, duplicates, _ = scan_twice(store, workshop["code"], files, folder)
    by_note = {
        card["note_id"]: card["card_code"] for image in report.images for card in image.cards
    }
    filed_right = sum(truth.get(by_note[n]) == s for n, s in report.placements.items())
    store.close()
    name = f"wall photos ({walls}, 20–40 cards each, 90 px/in, ±3°, ≤10° perspective)"
    return accuracy_row(name, expected, report, duplicates, (filed_right, len(expected)))


def speed(pages, rng):
    store = database.connect(None)
    workshop = new_workshop(store)
    codes, pdf = printed(store, workshop["code"], pages * CARDS_PER_PAGE)
    images = feeder_pages(pdf, 300, rng)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "feeder.pdf"
        scanned_pdf = scanmaker.pdf_of(images, 300, quality=60)
        path.write_bytes(scanned_pdf)
        started = time.perf_counter()
        document = pdfium.PdfDocument(scanned_pdf)
        bare = 0
        for page in document:
            image = page.render(scale=200 / 72).to_pil().convert("L")
            bare += len(zxingcpp.read_barcodes(image))
        document.close()
        bare_s = time.perf_counter() - started
        started = time.perf_counter()
        files = [("feeder.pdf", path)]
        report = scans.scan_files(
            store, workshop["code"], files, photos=folder / "p", entered_by="scribe"
        )
        full_s = time.perf_counter() - started
    rows.append(f"| bare: render + decode in-process | {pages} | {bare} | {bare_s:.1f} |")
    rows.append(
        f"| `scan_files`: worker, crops, notes | {pages} | {report.card_count} | {full_s:.1f} |"
    )
    store.close()
    return rows, scanned_pdf


def latency(pdf, samples):
    """Note -> board (ms) for ``samples`` notes, a note every 0.2 s, with a scan or not."""
    results = {}
    with (
        tempfile.TemporaryDirectory(prefix="bench-scans-") as tmp,
        running(LiveServer(Path(tmp) / "data")) as server,
    ):
        workshop = server.create_workshop(
            title="Bench", settings={"notes_per_minute": 600, "note_burst": 100}
        )
        code = workshop["code"]
        with server.facilitator() as session:
            session.get(
                f"{server.base_url}/api/workshops/{code}/cards.pdf", params={"count": 100}
            ).raise_for_status()
        seen: dict[str, float] = {}
        board = socketio.Client()
        board.on("note.created", lambda note: seen.setdefault(note["text"], time.perf_counter()))
        auth = {"code": code, "view": "board"}
        board.connect(server.base_url, auth=auth, transports=["websocket"])
        phone = server.attendee(code)
        try:
            for label, with_scan in (("no scan", False), ("during a 25-page scan", True)):
                scan_thread = None
                if with_scan:

                    def upload() -> None:
                        with server.facilitator() as session:
                            session.post(
                                f"{server.base_url}/api/workshops/{code}/scans",
                                files=[("file", ("feeder.pdf", pdf, "application/pdf"))],
                                headers={"X-Workshop-Upload": "1"},
                                timeout=600,
                            )

                    scan_thread = threading.Thread(target=upload)
                    scan_thread.start()
                    time.sleep(1.0)  # the worker has started
                times = []
                for number in range(samples):
                    if scan_thread is not None and not scan_thread.is_alive():
                        break  # only notes posted while the scan ran count
                    text = f"{label} {number}"
                    sent = time.perf_counter()
                    phone.post(
                        f"{server.base_url}/api/workshops/{code}/notes",
                        json={"text": text, "client_id": text},
                        timeout=30,
                    ).raise_for_status()
                    deadline = sent + 30
                    while text not in seen and time.perf_counter() < deadline:
                        time.sleep(0.001)
                    times.append((seen.get(text, deadline) - sent) * 1000)
                    time.sleep(max(0.0, 0.2 - (time.perf_counter() - sent)))
                busy = scan_thread is not None and scan_thread.is_alive()
                if scan_thread is not None:
                    scan_thread.join()
                results[label] = (times, busy)
        finally:
            board.disconnect()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=25)
    parser.add_argument("--walls", type=int, default=5)
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--parts", default="accuracy,speed,latency")
    args = parser.parse_args()
    rng = random.Random(15)
    parts = args.parts.split(",")
    if "accuracy" in parts:
        accuracy(args, rng)
    if "speed" in parts or "latency" in parts:
        rows, pdf = speed(args.pages, rng)
        print("| 300 dpi PDF | pages | codes / cards | seconds |")
        print("|---|---|---|---|")
        print("\n".join(rows))
        print()
    if "latency" in parts:
        print("| note -> board | samples | p50 ms | p95 ms | max ms |")
        print("|---|---|---|---|---|")
        for label, (times, busy) in latency(pdf, args.samples).items():
            ordered = sorted(times)
            p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
            note = " (the scan outlasted the samples)" if busy else ""
            print(
                f"| {label}{note} | {len(times)} | {statistics.median(times):.0f} | "
                f"{p95:.0f} | {max(times):.0f} |"
            )
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\nload average (1, 5, 15 min) at the end: {load} on {os.cpu_count()} cores")


def accuracy(args, rng) -> None:
    print("| scans | cards | read | % | wrong code | duplicates on rescan | filed right |")
    print("|---|---|---|---|---|---|---|")
    print(feeder_condition("300 dpi feeder, ±8°, JPEG 60", 300, args.pages, rng))
    print(feeder_condition("150 dpi feeder, ±8°, JPEG 60", 150, args.pages, rng))
    print(
        feeder_condition(
            "300 dpi, ±8°, ≤15° perspective, blur, uneven light, JPEG 60",
            300,
            args.pages,
            rng,
            tilt=15,
            radius=1.0,
            light=0.35,
        )
    )
    print(wall_condition(args.walls, rng))
    print()


if __name__ == "__main__":
    main()
