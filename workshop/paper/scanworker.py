"""The scan worker: ``python -m workshop.paper.scanworker``, one process per scan.

Reading QR codes and cutting cards out holds the interpreter's lock for up to ~150 ms at a
time (zxing-cpp's decode, Pillow's perspective transform), so in a thread it would stall
the live board; in its own process it only shares the CPU. It also caps its own memory, so
an image that decodes far larger than it claimed fails here, not in the server. The cap is
POSIX-only (``resource``, guarded below): on Windows the worker runs uncapped.

Protocol: one JSON object on stdin, ``{"files": [[name, path]], "layouts": {card_code:
layout}, "photos": dir}`` (the workshop's cards and the stock each was printed on), then JSON
lines on stdout: ``{"total": pages}``; one ``{"file", "page", "codes": [...]}`` or
``{"file", "page", "error": {"template", "params"}}`` per page; ``{"done": true}``. Each
code is ``{"text", "corners", "card_code"?, "crop"?, "sign"?, "paper"?}``: a card of the
workshop is cut out and stored in ``photos`` as ``crop``; ``paper`` is where the card or
sign lies in the page, for filing cards under signs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO

from workshop.core.errors import Invalid, WorkshopError
from workshop.core.images import save_image
from workshop.paper import scanimages
from workshop.paper.geometry import card_paper, placed_quad, sign_paper

# POSIX only: the worker's memory cap (Windows has no RLIMIT_AS; the worker runs uncapped there).
resource: ModuleType | None
try:
    import resource
except ImportError:
    resource = None

MEMORY_LIMIT = 2 * 1024**3  # bytes of address space: a 40 MP page needs ~0.3 GB


def _limit_memory() -> None:
    if resource is None:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = MEMORY_LIMIT if hard == resource.RLIM_INFINITY else min(MEMORY_LIMIT, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _error(error: WorkshopError) -> dict:
    return {"template": error.template, "params": error.params}


def scan_page(page: scanimages.Page, layouts: dict[str, str], photos: Path) -> list[dict]:
    """Decode one page; cut out and store every card of the workshop found on it."""
    image = page()
    found = []
    for code in scanimages.find_codes(image):
        item: dict[str, Any] = {"text": code.text[:200], "corners": code.corners}
        card_code, sign = code.card_code, code.sign
        if card_code is not None:
            item["card_code"] = card_code
            layout = layouts.get(card_code)
            if layout is not None:
                paper = card_paper(layout, code.text)
                try:
                    item["paper"] = placed_quad(paper, code.corners)
                except ValueError:  # corners in a line: a code too damaged to place
                    found.append(item)
                    continue
                crop = scanimages.cut_out(image, paper, code.corners)
                item["crop"] = save_image(photos, crop, card_code)
        elif sign is not None:
            item["sign"] = sign
            try:
                item["paper"] = placed_quad(sign_paper(code.text), code.corners)
            except ValueError:
                del item["sign"]
        found.append(item)
    return found


def run(job: dict, out: TextIO) -> None:
    def say(message: dict) -> None:
        out.write(json.dumps(message) + "\n")
        out.flush()

    photos = Path(job["photos"])
    layouts = job["layouts"]
    opened: list[tuple[str, int | None, scanimages.Page | WorkshopError]] = []
    for name, path in job["files"]:
        try:
            pages = scanimages.open_pages(name, Path(path).read_bytes())
            opened.extend((name, number, page) for number, page in enumerate(pages, start=1))
        except WorkshopError as error:  # the whole file: no page of it is read
            opened.append((name, None, error))
    say({"total": len(opened)})
    for name, number, page in opened:
        report: dict[str, Any] = {"file": name, "page": number}
        try:
            if isinstance(page, WorkshopError):
                raise page
            report["codes"] = scan_page(page, layouts, photos)
        except WorkshopError as error:
            report["error"] = _error(error)
        except MemoryError:
            report["error"] = _error(Invalid("page %(page)s is too large to scan", page=number))
        say(report)
    say({"done": True})


def main() -> None:
    _limit_memory()
    run(json.load(sys.stdin), sys.stdout)


if __name__ == "__main__":
    main()
