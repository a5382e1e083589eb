"""Paper participants vote, in real Chromium against a real server.

The facilitator types the number of physical sticky dots on each note on the manage page; a
scribe records the dots of a printed card's holder on the card's page, within the holder's
budget. The tallies are checked through the API. Every wait is bounded.
"""

from __future__ import annotations

import re
import sqlite3

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.pages import watch

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PHONE_OPTIONS = {"has_touch": True, "is_mobile": True}
LAPTOP = {"width": 1280, "height": 900}
BENCHES = "Benches on the long hill"
MAP_STAND = "A map stand at the school gate"


@pytest.fixture
def workshop(live_server) -> dict:
    return live_server.create_workshop(title="Safer routes")


def facilitator_context(contexts, live_server) -> BrowserContext:
    context = contexts(live_server.base_url, LAPTOP)
    page = context.new_page()
    page.goto(f"/facilitator?token={live_server.token}")
    expect(page.get_by_role("heading", name="New workshop")).to_be_visible()
    page.close()
    return context


def post_notes(live_server, code: str, texts: list[str]) -> None:
    attendee = live_server.attendee(code)
    for text in texts:
        response = attendee.post(
            f"{live_server.base_url}/api/workshops/{code}/notes",
            json={"text": text, "client_id": f"paper-votes-{text}"},
            timeout=30,
        )
        response.raise_for_status()


def set_phase(live_server, code: str, phase: str) -> None:
    response = live_server.facilitator().put(
        f"{live_server.base_url}/api/workshops/{code}/phase", json={"phase": phase}, timeout=30
    )
    response.raise_for_status()


def tallies(live_server, code: str) -> dict[str, int]:
    response = live_server.facilitator().get(
        f"{live_server.base_url}/api/workshops/{code}/notes", timeout=30
    )
    response.raise_for_status()
    return {note["text"]: note["votes"] for note in response.json()}


def print_card(live_server, code: str) -> str:
    """Print one card through the API, then read its code from the server's database."""
    response = live_server.facilitator().get(
        f"{live_server.base_url}/api/workshops/{code}/cards.pdf",
        params={"count": 1},
        timeout=30,
    )
    response.raise_for_status()
    database = sqlite3.connect(f"file:{live_server.data_dir / 'workshop.db'}?mode=ro", uri=True)
    try:
        (card,) = database.execute(
            """SELECT c.code FROM cards c JOIN workshops w ON w.id = c.workshop_id
               WHERE w.code = ?""",
            [code],
        ).fetchone()
    finally:
        database.close()
    return card


def test_the_facilitator_enters_physical_dots_on_the_manage_page(live_server, workshop, contexts):
    code = workshop["code"]
    problems: list[str] = []
    post_notes(live_server, code, [BENCHES, MAP_STAND])

    manage = watch(facilitator_context(contexts, live_server).new_page(), problems)
    manage.goto(f"/w/{code}/manage")
    expect(manage.locator("body")).to_have_attribute("data-live", "online")
    section = manage.locator("#dots")
    expect(section.get_by_text("Opens when the room votes.")).to_be_visible()

    set_phase(live_server, code, "vote")
    benches = section.get_by_label(BENCHES)
    expect(benches).to_be_visible()
    expect(section.locator(".dots-row").filter(has_text=BENCHES)).to_contain_text("0 votes in all")
    benches.fill("7")
    benches.press("Tab")
    expect(section.locator(".dots-row").filter(has_text=BENCHES)).to_contain_text("7 votes in all")
    maps = section.get_by_label(MAP_STAND)
    maps.fill("2")
    maps.press("Tab")
    expect(section.locator(".dots-row").filter(has_text=MAP_STAND)).to_contain_text(
        "2 votes in all"
    )
    assert tallies(live_server, code) == {BENCHES: 7, MAP_STAND: 2}

    # A corrected count replaces the old one; a nonsense count is refused on the page.
    benches.fill("5")
    benches.press("Tab")
    expect(section.locator(".dots-row").filter(has_text=BENCHES)).to_contain_text("5 votes in all")
    maps.fill("-3")
    maps.press("Tab")
    expect(section.locator("#dots-error")).to_contain_text("whole number")
    assert tallies(live_server, code) == {BENCHES: 5, MAP_STAND: 2}

    # After voting the counts can still be entered.
    set_phase(live_server, code, "next-steps")
    expect(manage.locator("#phase-name")).to_have_text("Next steps")  # the server's label
    maps.fill("4")
    maps.press("Tab")
    expect(section.locator(".dots-row").filter(has_text=MAP_STAND)).to_contain_text(
        "4 votes in all"
    )
    assert tallies(live_server, code) == {BENCHES: 5, MAP_STAND: 4}
    assert problems == []


def test_a_scribe_records_a_card_holders_dots(live_server, workshop, contexts):
    code = workshop["code"]
    problems: list[str] = []
    post_notes(live_server, code, [BENCHES, MAP_STAND])
    card = print_card(live_server, code)

    response = live_server.facilitator().post(
        f"{live_server.base_url}/api/workshops/{code}/scribe-links", json={}, timeout=30
    )
    response.raise_for_status()
    scribe = watch(contexts(live_server.base_url, PHONE, **PHONE_OPTIONS).new_page(), problems)
    scribe.goto(response.json()["url"])
    expect(scribe.get_by_text(f"Scribe · workshop {code}")).to_be_visible()

    # Outside the vote phase the card page offers no dots.
    scribe.goto(f"/c/{card}")
    expect(scribe.get_by_label("What is written on the card")).to_be_visible()
    expect(scribe.locator("#card-votes")).to_be_hidden()

    set_phase(live_server, code, "vote")
    scribe.reload()
    section = scribe.locator("#card-votes")
    expect(section.get_by_role("heading", name="Record this card holder's dots")).to_be_visible()
    expect(section.locator("#card-votes-left")).to_have_text("The card holder has 3 dots in all.")

    section.get_by_role("button", name=f"+ dot: {BENCHES}").click()
    expect(section.locator("#card-votes-left")).to_have_text("2 dots left for this card.")
    section.get_by_role("button", name=f"+ dot: {MAP_STAND}").click()
    expect(section.locator("#card-votes-left")).to_have_text("1 dot left for this card.")
    expect(section.locator(".card-vote").filter(has_text=BENCHES)).to_contain_text(
        "this card: 1 dot"
    )

    # One dot per note unless the facilitator allows more: the server's message is shown.
    section.get_by_role("button", name=f"+ dot: {BENCHES}").click()
    expect(section.locator("#card-votes-error")).to_have_text(re.compile("one dot per note"))
    assert tallies(live_server, code) == {BENCHES: 1, MAP_STAND: 1}

    # A dot taken back is free again.
    section.get_by_role("button", name=f"− dot: {MAP_STAND}").click()
    expect(section.locator("#card-votes-left")).to_have_text("2 dots left for this card.")
    expect(section.locator("#card-votes-error")).to_be_hidden()
    assert tallies(live_server, code) == {BENCHES: 1, MAP_STAND: 0}
    # The refused dot's 409 is the only thing the browser logged.
    assert [p for p in problems if "status of 409" not in p] == []
