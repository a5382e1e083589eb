"""Similar notes while typing, in real Chromium against a real server: a phone typing a
near-duplicate sees the note already on the board and gives it a "+1" (a dot in the vote),
which the board shows; a hidden note is never offered; a scribe typing a card is told it may
be a duplicate; the facilitator's board hints where an unsorted note goes and places it.
Screenshots go to /tmp/similar-*.png for a person to look at."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.liveserver import LiveServer, running
from tests.pages import LIVE_MS, PHONE_MS, STEP_TIMEOUT_MS, open_page, sign_in, watch
from tests.test_browser_paper_votes import print_card

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PHONE_OPTIONS = {"has_touch": True, "is_mobile": True}
SHOWN = "Maps in Spanish and Vietnamese, please."
HIDDEN = "Maps in Spanish and Vietnamese please!"
TYPED = "maps in spanish pls"
SUGGEST_MS = max(STEP_TIMEOUT_MS, 120_000)  # the first suggestions import scikit-learn: seconds


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running(LiveServer(tmp_path_factory.mktemp("similar") / "data")) as server:
        yield server


def api(server, method, path, **options):
    response = server.facilitator().request(
        method, f"{server.base_url}{path}", timeout=30, **options
    )
    response.raise_for_status()
    return response.json()


def room_with_a_note(server) -> tuple[str, int, int]:
    """A workshop whose board shows SHOWN (another phone's) and hides HIDDEN."""
    code = server.create_workshop(title="Routes", prompts=[{"text": "What is missing?"}])["code"]
    other = server.attendee(code)
    response = other.post(
        f"{server.base_url}/api/workshops/{code}/notes",
        json={"text": SHOWN, "client_id": "other-1"},
        timeout=30,
    )
    response.raise_for_status()
    hidden = api(
        server, "POST", f"/api/workshops/{code}/notes", json={"text": HIDDEN, "client_id": "h"}
    )
    api(server, "PATCH", f"/api/notes/{hidden['id']}", json={"hidden": True})
    return code, response.json()["id"], hidden["id"]


def stored(server, code, note_id):
    [note] = [n for n in api(server, "GET", f"/api/workshops/{code}/notes") if n["id"] == note_id]
    return note


def phone(server, contexts, code, problems):
    context = contexts(server.base_url, viewport=PHONE, **PHONE_OPTIONS)
    return open_page(context, f"/j/{code}", problems)


def test_a_phone_gives_the_note_already_on_the_board_a_plus_one_and_the_board_shows_it(
    server, contexts
):
    problems: list[str] = []
    code, shown, hidden = room_with_a_note(server)
    board = open_page(contexts(server.base_url), f"/w/{code}/board", problems)
    on_board = board.locator(".note", has_text=SHOWN)
    expect(on_board).to_be_visible()
    page = phone(server, contexts, code, problems)

    page.get_by_label("Your note", exact=True).fill(TYPED)
    offered = page.locator("#similar .similar-note")
    expect(offered).to_have_count(1)
    expect(offered).to_contain_text(SHOWN)
    expect(page.locator("#similar")).not_to_contain_text(HIDDEN)  # never a hidden note
    page.screenshot(path="/tmp/similar-phone.png", full_page=True)

    offered.get_by_role("button", name=re.compile(r"^\+1 this instead\?")).click()
    expect(offered.locator(".similar-done")).to_have_text(
        "+1 given ✓ — you can still send your own note."
    )
    expect(on_board.locator(".plus-ones")).to_have_text("+1", timeout=LIVE_MS)
    assert 1 == stored(server, code, shown)["plus_ones"]
    assert TYPED == page.get_by_label("Your note", exact=True).input_value()  # the draft stays
    page.screenshot(path="/tmp/similar-phone-given.png", full_page=True)
    board.screenshot(path="/tmp/similar-board.png")

    # Taken back: the board follows.
    offered.get_by_role("button", name=re.compile(r"^Take back")).click()
    expect(offered.get_by_role("button", name=re.compile(r"^\+1 this instead\?"))).to_be_visible()
    expect(on_board.locator(".plus-ones")).to_have_count(0, timeout=LIVE_MS)
    assert 0 == stored(server, code, shown)["plus_ones"]

    # Once the facilitator hides it, the phone is offered nothing for the same words.
    api(server, "PATCH", f"/api/notes/{shown}", json={"hidden": True})
    page.get_by_label("Your note", exact=True).fill(f"{TYPED} and vietnamese")
    expect(page.locator("#similar")).to_be_hidden(timeout=PHONE_MS)
    assert hidden not in [n["id"] for n in stored_similar(server, code, TYPED)]
    assert [] == problems


def stored_similar(server, code, text):
    phone = server.attendee(code)
    response = phone.get(f"{server.base_url}/api/workshops/{code}/similar", params={"text": text})
    response.raise_for_status()
    return response.json()["notes"]


def test_in_the_vote_the_plus_one_is_a_dot(server, contexts):
    problems: list[str] = []
    code, shown, _ = room_with_a_note(server)
    api(server, "PATCH", f"/api/workshops/{code}/settings", json={"writing_phases": "gather,vote"})
    api(server, "PUT", f"/api/workshops/{code}/phase", json={"phase": "vote"})
    page = phone(server, contexts, code, problems)
    expect(page.locator("#dots-left")).to_contain_text("3 dots left")

    page.get_by_label("Your note", exact=True).fill(TYPED)
    offered = page.locator("#similar .similar-note")
    expect(offered).to_contain_text(SHOWN)
    offered.get_by_role(
        "button", name=re.compile(r"^\+1 this instead\? \(puts a dot on it\)")
    ).click()
    expect(offered.locator(".similar-done")).to_have_text("Dot placed ✓")
    expect(page.locator("#dots-left")).to_contain_text("2 dots left", timeout=PHONE_MS)
    assert (1, 0) == (
        stored(server, code, shown)["votes"],
        stored(server, code, shown)["plus_ones"],
    )
    assert [] == problems


def test_a_scribe_typing_a_card_is_told_it_may_be_a_duplicate(server, contexts):
    problems: list[str] = []
    code, shown, _ = room_with_a_note(server)
    card = print_card(server, code)
    link = api(server, "POST", f"/api/workshops/{code}/scribe-links", json={})["url"]
    scribe = watch(contexts(server.base_url, PHONE, **PHONE_OPTIONS).new_page(), problems)
    scribe.goto(link)
    scribe.goto(f"/c/{card}")

    scribe.get_by_label("What is written on the card").fill("Maps in spanish, and in vietnamese")
    hint = scribe.locator("#similar .similar-link")
    expect(hint).to_have_text(f"This may be a duplicate of “{SHOWN}”")
    expect(hint).to_have_attribute("href", f"/w/{code}/board#note-{shown}")
    expect(scribe.locator("#similar")).not_to_contain_text(HIDDEN)
    expect(scribe.locator("#similar button")).to_have_count(0)  # no +1 for a scribe
    scribe.screenshot(path="/tmp/similar-scribe.png", full_page=True)

    # The card is entered all the same; the link opens the board at that note.
    scribe.get_by_role("button", name="Add to the board").click()
    expect(scribe.get_by_role("heading", name="Added to the board ✓")).to_be_visible()
    scribe.goto(f"/w/{code}/board#note-{shown}")
    expect(scribe.locator(f".note.is-pointed[data-note-id='{shown}']")).to_be_visible()
    assert [] == problems


def test_the_board_hints_where_an_unsorted_note_goes_and_places_it(server, contexts, tmp_path):
    problems: list[str] = []
    workshop = server.create_workshop(title="Routes", prompts=[{"text": "What is missing?"}])
    code = workshop["code"]
    timeline = next(s["id"] for s in workshop["sections"] if s["title"] == "Timeline")
    for number, text in enumerate(
        [
            "The April sessions collide with spring break",
            "Move the launch after the school holidays",
        ]
    ):
        note = api(
            server,
            "POST",
            f"/api/workshops/{code}/notes",
            json={"text": text, "client_id": f"s{number}"},
        )
        api(server, "POST", f"/api/notes/{note['id']}/move", json={"section_id": timeline})
    loose = api(
        server,
        "POST",
        f"/api/workshops/{code}/notes",
        json={"text": "Sessions in April clash with the spring break week", "client_id": "u"},
    )
    api(
        server,
        "POST",
        f"/api/workshops/{code}/notes",
        json={"text": "Thanks for the coffee", "client_id": "v"},
    )

    facilitator = contexts(server.base_url)
    sign_in(facilitator, server)
    board = open_page(facilitator, f"/w/{code}/board", problems)
    unsorted = board.locator(".column[data-column='unsorted']")
    card = unsorted.locator(f".note[data-note-id='{loose['id']}']")
    expect(card.locator(".note-hint-label")).to_have_text("Goes in: Timeline?", timeout=SUGGEST_MS)
    expect(unsorted.locator(".note-hint")).to_have_count(1)  # the coffee fits nowhere
    board.screenshot(path="/tmp/similar-board-hint.png")

    place = card.get_by_role("button", name=f"Place note {loose['id']} in Timeline")
    expect(place).to_have_text("Place suggested")
    place.click()
    placed = board.locator(f".column[data-column='{timeline}'] .note[data-note-id='{loose['id']}']")
    expect(placed).to_be_visible()
    expect(placed.locator(".note-hint")).to_have_count(0)
    assert timeline == stored(server, code, loose["id"])["section_id"]
    log = api(server, "GET", f"/api/workshops/{code}/moderation")
    assert ("move", [loose["id"]]) == (log[-1]["action"], log[-1]["note_ids"])  # logged

    board.get_by_role("button", name="Undo", exact=True).click()
    expect(unsorted.locator(f".note[data-note-id='{loose['id']}']")).to_be_visible()
    assert None is stored(server, code, loose["id"])["section_id"]
    assert [] == problems
