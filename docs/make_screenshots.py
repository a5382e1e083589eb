"""Screenshots for the README, taken from the real app in Debian's Chromium.

Starts `workshop demo` on a free loopback port in a temporary data directory, sends a note
from a phone-sized page, and saves:

- docs/screenshots/phone.png: the phone page (390 px wide) once the note shows "received ✓";
- docs/screenshots/board.png: the demo workshop's board at 1920×1080, with that note on it.

Run it with `make screenshots` (or `.venv/bin/python docs/make_screenshots.py`).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docs.shots import demo_and_chromium, open_board, phone_context  # noqa: E402
from tests.liveserver import LiveServer  # noqa: E402 - needs the checkout on sys.path

CHROMIUM = "/usr/bin/chromium"
OUT = ROOT / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}
PHONE_MAX_HEIGHT = 1400  # keep the README image short: the header, the form and "Your notes"
NOTE = "Snow: which sidewalks near the schools get cleared first?"
TIMEOUT_MS = 10_000


def demo_code(server: LiveServer) -> str:
    response = server.facilitator().get(f"{server.base_url}/api/workshops", timeout=5)
    response.raise_for_status()
    return response.json()[0]["code"]


def phone_screenshot(context, code: str) -> Path:
    phone = context.new_page()
    phone.goto(f"/j/{code}")
    expect(phone.locator("body")).to_have_attribute("data-live", "online")
    phone.get_by_text("Your name").click()
    phone.get_by_label("Shown with your notes").fill("Dana")
    phone.get_by_role("button", name="Save name").click()
    expect(phone.locator("#name-status")).to_have_text("Saved.")
    phone.get_by_text("Your name").click()  # fold it away again
    phone.get_by_role("radio", name="What is missing from this plan?").check()  # the question tiles
    phone.get_by_label("blue", exact=True).check()
    phone.locator("#note-text").fill(NOTE)
    phone.get_by_role("button", name="Send note").click()
    expect(phone.locator("#my-notes .status").first).to_have_text("received ✓")
    phone.locator("#note-text").blur()
    phone.mouse.move(PHONE["width"] - 10, 10)  # no hover look left on the Send button
    height = min(phone.evaluate("document.documentElement.scrollHeight"), PHONE_MAX_HEIGHT)
    path = OUT / "phone.png"
    phone.screenshot(path=path, full_page=True, clip={"x": 0, "y": 0, **PHONE, "height": height})
    return path


def board_screenshot(browser, server: LiveServer, code: str) -> Path:
    context, board = open_board(browser, server, code, NOTE, TIMEOUT_MS)
    board.wait_for_timeout(800)  # let the arrival animation finish
    path = OUT / "board.png"
    board.screenshot(path=path)
    context.close()
    return path


def main() -> None:
    with demo_and_chromium() as (server, browser):
        code = demo_code(server)
        phone = phone_context(browser, server, TIMEOUT_MS)
        # The phone stays open while the board is taken, so the board counts it.
        for path in (phone_screenshot(phone, code), board_screenshot(browser, server, code)):
            print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
