"""Pictures of the printed material for the README, made by the real command line.

Seeds the demo workshop into a temporary data directory, prints a deck of four Letter
cards, the join poster (with a Wi-Fi QR code) and the section signs with `workshop cards`,
`workshop poster` and `workshop signs`, and renders the first page of each with
`pdftoppm -r 50 -png` (Debian's poppler-utils) into:

- docs/screenshots/cards-letter.png
- docs/screenshots/poster.png
- docs/screenshots/sign.png
- docs/screenshots/report.png (a page of `workshop report`: what we heard, by section)

Run it with `.venv/bin/python docs/make_print_previews.py`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workshop.cli.demo import seed_demo  # noqa: E402
from workshop.core import db as database  # noqa: E402 - needs the checkout on sys.path

OUT = ROOT / "docs" / "screenshots"
PUBLIC_URL = "http://192.168.1.20:5000"  # a typical venue LAN address, for the QR codes
RESOLUTION = 50  # dots per inch: a Letter page becomes 425×550 px


def seed(data: Path) -> str:
    store = database.connect(data / "workshop.db")
    try:
        return seed_demo(store)
    finally:
        store.close()


def workshop_cli(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "workshop.cli", *args], check=True, cwd=ROOT)


def first_page_png(pdf: Path, target: Path, page: int = 1) -> Path:
    stem = pdf.with_suffix("")
    number = str(page)
    subprocess.run(
        ["pdftoppm", "-r", str(RESOLUTION), "-png", "-f", number, "-l", number, "-singlefile"]
        + [pdf, stem],
        check=True,
    )
    shutil.move(stem.with_suffix(".png"), target)
    return target


def main() -> None:
    if not shutil.which("pdftoppm"):
        sys.exit("pdftoppm is missing: install Debian's poppler-utils")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="workshop-print-") as tmp:
        data = Path(tmp) / "data"
        code = seed(data)
        common = ["--data", str(data), "--public-url", PUBLIC_URL]
        cards, poster, signs = (
            Path(tmp) / name for name in ("cards.pdf", "poster.pdf", "signs.pdf")
        )
        workshop_cli("cards", code, "--layout", "letter", "--count", "4", "-o", str(cards), *common)
        wifi = ["--wifi-ssid", "Library Guest", "--wifi-password", "reading-room"]
        workshop_cli("poster", code, "-o", str(poster), *wifi, *common)
        workshop_cli("signs", code, "-o", str(signs), *common)
        for pdf, name in ((cards, "cards-letter.png"), (poster, "poster.png"), (signs, "sign.png")):
            print(first_page_png(pdf, OUT / name).relative_to(ROOT))
        report = Path(tmp) / "report.pdf"
        place = ["--place", "Central Library", "--facilitator", "City open-data team"]
        workshop_cli("report", code, "-o", str(report), "--data", str(data), *place)
        print(first_page_png(report, OUT / "report.png", page=5).relative_to(ROOT))


if __name__ == "__main__":
    main()
