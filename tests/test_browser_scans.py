"""A stack of paper cards scanned and typed in, in real Chromium against a real server.

The facilitator prints a deck; a scribe opens the paper desk from the scribe link, uploads a
skewed JPEG scan of one page of it, and works through the queue with the keyboard alone:
Esc skips a card, typing and Enter saves it and brings the next. The board shows each
scanned card's photo whole until its text arrives, then the text. Every wait is bounded.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import scanmaker
from tests.pages import open_page, watch

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 900}
PROJECTOR = {"width": 1920, "height": 1080}
TEXTS = [
    "A crossing guard at Elm and 5th",
    "Lights on the river path",
    "Ask the bus drivers what they see",
    "Benches on the long hill",
]
SHOTS = "docs/screenshots"


@pytest.fixture
def workshop(live_server) -> dict:
    return live_server.create_workshop(title="Safer routes", prompts=[{"text": "What is missing?"}])


def scan_of_a_printed_page(live_server, code: str) -> dict:
    response = live_server.facilitator().get(
        f"{live_server.base_url}/api/workshops/{code}/cards.pdf", params={"count": 4}, timeout=30
    )
    response.raise_for_status()
    page = scanmaker.handwrite(scanmaker.render_pages(response.content, 200)[0], "letter", 200)
    image = scanmaker.jpeg(scanmaker.scanned(page, degrees=5, quality=60))
    return {"name": "feeder-page.jpg", "mimeType": "image/jpeg", "buffer": image}


def test_a_scribe_scans_a_stack_and_types_it_in_from_the_queue(live_server, workshop, contexts):
    code = workshop["code"]
    problems: list[str] = []
    scan = scan_of_a_printed_page(live_server, code)
    link = live_server.facilitator().post(
        f"{live_server.base_url}/api/workshops/{code}/scribe-links", timeout=30
    )
    board = open_page(contexts(live_server.base_url, PROJECTOR), f"/w/{code}/board", problems)
    scribe = watch(contexts(live_server.base_url, LAPTOP).new_page(), problems)
    scribe.goto(link.json()["url"])
    scribe.get_by_role(
        "link", name="A stack of cards? Scan them all at once on the paper desk."
    ).click()
    expect(scribe.get_by_role("heading", name="Scan paper cards")).to_be_visible()
    expect(scribe.get_by_text("No card is waiting for its text.")).to_be_visible()

    scribe.get_by_label("Scans or photos").set_input_files(scan)
    scribe.get_by_role("button", name="Scan", exact=True).click()
    expect(scribe.locator(".scan-summary")).to_have_text("4 cards found · 4 new")
    expect(scribe.locator("#scan-result li")).to_have_text("feeder-page.jpg, page 1: 4 cards")
    expect(scribe.locator("#queue-waiting")).to_have_text("4")
    expect(board.locator(".note.is-awaiting .note-photo img")).to_have_count(4)
    box = board.locator(".note.is-awaiting .note-photo img").first.bounding_box()
    assert box is not None and box["width"] > 150  # legible from the room, not a thumbnail

    text = scribe.get_by_label("What the card says")
    expect(text).to_be_focused()
    expect(scribe.locator("#queue-photo")).to_have_js_property("complete", True)
    scribe.screenshot(path=f"{SHOTS}/paper-desk.png")
    first = scribe.locator("#queue-caption").inner_text()
    text.press("Escape")  # skip the first card: it comes back last
    expect(scribe.locator("#queue-caption")).not_to_have_text(first)
    for number, words in enumerate(TEXTS, start=1):
        expect(text).to_be_focused()
        text.fill(words)
        text.press("Enter")
        expect(board.locator(".note").filter(has_text=words)).to_have_count(1)
        if number < 3:
            expect(scribe.locator("#queue-waiting")).to_have_text(str(4 - number))
        if number == 3:  # only the skipped card is left, and this screen skipped it
            expect(scribe.get_by_text("No card is waiting for its text.")).to_be_visible()
            scribe.reload()
            expect(scribe.locator("#queue-caption")).to_have_text(first)
            text = scribe.get_by_label("What the card says")
    expect(scribe.get_by_text("No card is waiting for its text.")).to_be_visible()
    expect(scribe.locator("#queue-waiting")).to_have_text("0")
    expect(board.locator(".note.is-awaiting")).to_have_count(0)
    expect(board.locator(".note .note-photo img")).to_have_count(4)
    board.screenshot(path=f"{SHOTS}/board-scanned-cards.png")
    assert [] == [p for p in problems if not re.search(r"favicon", p)]
