"""A screenshot of a sorted board, taken from the real app in Debian's Chromium.

Starts `workshop demo` on a free loopback port in a temporary data directory, sorts the demo
notes into the plan's sections through the API (three named groups, one merged duplicate),
then opens the facilitator's board at 1920×1080, picks up a note with the keyboard and sends
it to "Data needed" with the 6 key, and saves:

- docs/screenshots/board-sorted.png: the sorted board, the picked-up card and the spoken
  "Moved to Data needed, position 2".

Run it with `.venv/bin/python docs/make_sorting_screenshots.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docs.shots import demo_and_chromium  # noqa: E402
from tests.liveserver import LiveServer  # noqa: E402 - needs the checkout on sys.path

CHROMIUM = "/usr/bin/chromium"
OUT = ROOT / "docs" / "screenshots"
BOARD = {"width": 1920, "height": 1080}
TIMEOUT_MS = 10_000
# Where the demo's notes go (by the start of their text), in order within each section.
PLACES = {
    "Goal and use case": ["Near misses"],
    "Intended users": ["How will parents", "Seniors who walk", "Kids themselves", "Bus drivers"],
    "Roles": ["The crossing guards", "Police should"],
    "Timeline": ["Three sessions", "March is realistic", "Printed maps"],
    "Activities": ["Walking school buses"],
    "Data needed": ["Speed data", "Street lighting", "Winter: which"],
    "Who houses and sustains it": ["Two years is short"],
}
GROUPS = {
    "Who else to ask": ["Seniors who walk", "Kids themselves", "Bus drivers"],
    "Dates clash": ["Three sessions", "March is realistic"],
    "Data gaps": ["Speed data", "Street lighting", "Winter: which"],
}
MERGES = {"How will parents": ["Maps in Spanish"]}


def shrink(path: Path) -> Path:
    """256 colours are plenty for flat UI: the PNG is a third of the size."""
    image = Image.open(path).convert("RGB")
    image.quantize(256, Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, optimize=True
    )
    return path


def sort_demo(server: LiveServer) -> str:
    """Sort the demo workshop through the API, as the facilitator would by hand."""
    session = server.facilitator()
    base = f"{server.base_url}/api"

    def call(method: str, path: str, body: dict | None = None) -> dict:
        response = session.request(method, f"{base}{path}", json=body, timeout=5)
        response.raise_for_status()
        return response.json()

    code = call("GET", "/workshops")[0]["code"]
    state = call("GET", f"/workshops/{code}/state")
    sections = {s["title"]: s["id"] for s in state["workshop"]["sections"]}

    def note(start: str) -> int:
        return next(n["id"] for n in state["notes"] if n["text"].startswith(start))

    for target, duplicates in MERGES.items():
        call("POST", f"/notes/{note(target)}/merge", {"note_ids": [note(d) for d in duplicates]})
    for title, starts in PLACES.items():
        for start in starts:
            call("POST", f"/notes/{note(start)}/move", {"section_id": sections[title]})
    for label, starts in GROUPS.items():
        call(
            "POST",
            f"/workshops/{code}/groups",
            {"note_ids": [note(s) for s in starts], "label": label},
        )
    return code


def board_sorted_screenshot(browser, server: LiveServer, code: str) -> Path:
    context = browser.new_context(base_url=server.base_url, viewport=BOARD, device_scale_factor=1)
    context.set_default_timeout(TIMEOUT_MS)
    board = context.new_page()
    board.goto(f"/facilitator?token={server.token}")
    board.goto(f"/w/{code}/board")
    expect(board.locator("body")).to_have_attribute("data-live", "online")
    expect(board.locator(".group")).to_have_count(len(GROUPS))
    board.locator(".note", has_text="Wheelchair").focus()
    board.keyboard.press("Enter")
    board.keyboard.press("6")
    expect(board.locator("#sort-status")).to_have_text("Moved to Data needed, position 2")
    board.mouse.move(5, BOARD["height"] - 5)  # no hover look on any card
    board.wait_for_timeout(600)
    path = OUT / "board-sorted.png"
    board.screenshot(path=path)
    context.close()
    return shrink(path)


def main() -> None:
    with demo_and_chromium() as (server, browser):
        code = sort_demo(server)
        path = board_sorted_screenshot(browser, server, code)
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
