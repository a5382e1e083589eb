"""Screenshots of running the room, taken from the real app in Debian's Chromium.

Starts `workshop demo` on a free loopback port in a temporary data directory and saves:

- docs/screenshots/phone-vote.png: a phone (390 px wide) on the vote screen, two dots placed;
- docs/screenshots/board-sort-results.png: the facilitator's board showing a card sort's
  results (shares per section, agreement, the most disputed notes) after a dozen phones sorted.

Run it with `.venv/bin/python docs/make_room_screenshots.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import requests
from PIL import Image
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docs.shots import demo_and_chromium  # noqa: E402
from tests.liveserver import LiveServer  # noqa: E402 - needs the checkout on sys.path

CHROMIUM = "/usr/bin/chromium"
OUT = ROOT / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}
BOARD = {"width": 1440, "height": 810}  # the board's type follows the width: same layout as 1080p
PHONE_MAX_HEIGHT = 1250
TIMEOUT_MS = 10_000
VOTES = [5, 4, 4, 3, 2, 2, 1, 1]  # other attendees' dots on the first notes, for live tallies
# How twelve phones sorted six notes: for each note, the sections chosen, by plan position.
SORTS = [
    [3] * 11 + [4],
    [1] * 7 + [2] * 5,
    [5] * 12,
    [4] * 6 + [6] * 4 + [3] * 2,
    [2] * 9 + [1] * 3,
    [6] * 5 + [4] * 4 + [5] * 3,
]


def shrink(path: Path) -> Path:
    """256 colours are plenty for flat UI: the PNG is a third of the size."""
    image = Image.open(path).convert("RGB")
    image.quantize(256, Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, optimize=True
    )
    return path


def demo_code(server: LiveServer) -> str:
    response = server.facilitator().get(f"{server.base_url}/api/workshops", timeout=5)
    response.raise_for_status()
    return response.json()[0]["code"]


def api(session: requests.Session, server: LiveServer, method: str, path: str, body=None):
    response = session.request(method, f"{server.base_url}{path}", json=body or {}, timeout=5)
    response.raise_for_status()
    return response.json()


def phone_vote_screenshot(browser, server: LiveServer, code: str) -> Path:
    facilitator = server.facilitator()
    notes = api(facilitator, server, "GET", f"/api/workshops/{code}/notes")
    # Every phone of this script votes from one address (127.0.0.1): let it open that many
    # ballots, as a venue whose phones share one address would.
    api(
        facilitator,
        server,
        "PATCH",
        f"/api/workshops/{code}/settings",
        {"ballots_per_address_burst": 200},
    )
    api(facilitator, server, "PUT", f"/api/workshops/{code}/phase", {"phase": "vote"})
    api(
        facilitator,
        server,
        "POST",
        f"/api/workshops/{code}/timer",
        {"action": "start", "seconds": 300, "label": "Voting"},
    )
    for index, dots in enumerate(VOTES):
        for voter in range(dots):
            attendee = server.attendee(code, f"voter {index}-{voter}")
            api(attendee, server, "POST", f"/api/notes/{notes[index]['id']}/votes")
    context = browser.new_context(
        base_url=server.base_url, viewport=PHONE, has_touch=True, is_mobile=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    phone = context.new_page()
    phone.goto(f"/j/{code}")
    expect(phone.locator("#vote-screen")).to_be_visible()
    for text in (notes[1]["text"], notes[4]["text"]):
        item = phone.locator(".vote-note").filter(has=phone.get_by_text(text, exact=True))
        item.get_by_role("button", name="Put a dot on").click()
        expect(item.locator(".my-dots .dot")).to_have_count(1)
    expect(phone.locator("#dots-left")).to_contain_text("1 dot left")
    phone.evaluate("scrollTo(0, 0)")  # the sticky dots row back above the hint, where it rests
    phone.mouse.move(PHONE["width"] - 10, 10)
    height = min(phone.evaluate("document.documentElement.scrollHeight"), PHONE_MAX_HEIGHT)
    path = OUT / "phone-vote.png"
    phone.screenshot(path=path, full_page=True, clip={"x": 0, "y": 0, **PHONE, "height": height})
    context.close()
    return shrink(path)


def board_sort_screenshot(browser, server: LiveServer, code: str) -> Path:
    facilitator = server.facilitator()
    workshop = api(facilitator, server, "GET", f"/api/workshops/{code}")
    sections = [section["id"] for section in workshop["sections"]]
    notes = api(facilitator, server, "GET", f"/api/workshops/{code}/notes")
    chosen = [note["id"] for note in notes if note["section_id"] is None][: len(SORTS)]
    context = browser.new_context(base_url=server.base_url, viewport=BOARD, device_scale_factor=1)
    context.set_default_timeout(TIMEOUT_MS)
    context.new_page().goto(f"/facilitator?token={server.token}")
    board = context.new_page()
    board.goto(f"/w/{code}/board")
    expect(board.locator("body")).to_have_attribute("data-live", "online")
    api(facilitator, server, "PUT", f"/api/workshops/{code}/phase", {"phase": "sort"})
    api(facilitator, server, "POST", f"/api/workshops/{code}/timer", {"action": "stop"})
    sort = api(
        facilitator, server, "POST", f"/api/workshops/{code}/card-sorts", {"note_ids": chosen}
    )
    for person in range(len(SORTS[0])):
        attendee = server.attendee(code, f"sorter {person}")
        for note_id, picks in zip(chosen, SORTS, strict=True):
            section_id = sections[picks[person] - 1]
            body = {"note_id": note_id, "section_id": section_id}
            api(attendee, server, "POST", f"/api/card-sorts/{sort['id']}/placements", body)
    expect(board.locator("#card-sort-status")).to_contain_text("12 people sorting")
    expect(board.locator("#card-sort-results .cardsort-note")).to_have_count(len(chosen))
    board.wait_for_timeout(500)
    path = OUT / "board-sort-results.png"
    board.screenshot(path=path)
    context.close()
    return shrink(path)


def main() -> None:
    with demo_and_chromium() as (server, browser):
        code = demo_code(server)
        print(phone_vote_screenshot(browser, server, code))
        print(board_sort_screenshot(browser, server, code))


if __name__ == "__main__":
    main()
