"""In Chromium: once the room has acted on a note, its author's phone says so and the server
refuses a stale edit or withdrawal with the reason (issue 13)."""

import pytest
from playwright.sync_api import Page, expect

from tests.pages import open_page

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DOTS = "This note has dots, so its words can no longer change."
CLOSED = "Writing is closed right now (now: Closed)."


def send_note(phone: Page, text: str) -> None:
    phone.locator("#note-text").fill(text)
    phone.get_by_role("button", name="Send note").click()
    expect(my_note(phone, text).locator(".status")).to_have_text("received ✓")


def my_note(phone: Page, text: str):
    return phone.locator("#my-notes .my-note").filter(has=phone.get_by_text(text, exact=True))


def set_phase(live_server, code: str, phase: str) -> None:
    with live_server.facilitator() as facilitator:
        url = f"{live_server.base_url}/api/workshops/{code}/phase"
        facilitator.put(url, json={"phase": phase}).raise_for_status()


def stale(phone: Page) -> None:
    """From now on the phone cannot refetch its notes: what it shows is what it last knew, as
    when the room acts a moment before the author taps."""
    phone.route("**/api/workshops/*/me", lambda route: route.abort())


def try_to_edit(phone: Page, text: str, new_text: str) -> None:
    note = my_note(phone, text)
    note.get_by_role("button", name=f"Edit note: {text}").click()
    note.locator("textarea").fill(new_text)
    note.get_by_role("button", name="Save").click()


def test_a_voted_note_cannot_be_edited_or_withdrawn_by_its_author(live_server, contexts):
    code = live_server.create_workshop(title="Record")["code"]
    author = open_page(contexts(live_server.base_url, PHONE), f"/j/{code}")
    author.on("dialog", lambda dialog: dialog.accept())
    send_note(author, "Teh bus stops")
    send_note(author, "Fewer parking spots")
    voter = open_page(contexts(live_server.base_url, PHONE), f"/j/{code}")
    # The room votes on the first note, then goes back to sorting (writing is open again).
    set_phase(live_server, code, "vote")
    voter.get_by_role("button", name="Put a dot on: Teh bus stops").click()
    expect(voter.get_by_text("2 dots left")).to_be_visible()
    set_phase(live_server, code, "sort")

    voted = my_note(author, "Teh bus stops")
    expect(voted.locator(".locked")).to_have_text(DOTS)
    expect(voted.get_by_role("button", name="Edit note: Teh bus stops")).to_be_hidden()
    expect(voted.get_by_role("button", name="Withdraw note: Teh bus stops")).to_be_hidden()
    fresh = my_note(author, "Fewer parking spots")
    expect(fresh.get_by_role("button", name="Edit note: Fewer parking spots")).to_be_visible()
    expect(fresh.locator(".locked")).to_be_hidden()

    # A dot lands while the author's phone still shows the buttons: the server says why not.
    stale(author)
    set_phase(live_server, code, "vote")
    voter.get_by_role("button", name="Put a dot on: Fewer parking spots").click()
    expect(voter.get_by_text("1 dot left")).to_be_visible()
    set_phase(live_server, code, "sort")
    try_to_edit(author, "Fewer parking spots", "More parking spots")
    expect(fresh.locator(".edit-error")).to_have_text(DOTS)
    fresh.get_by_role("button", name="Cancel").click()
    fresh.get_by_role("button", name="Withdraw note: Fewer parking spots").click()
    expect(fresh.locator(".locked")).to_have_text(DOTS)

    with live_server.facilitator() as facilitator:
        notes = facilitator.get(f"{live_server.base_url}/api/workshops/{code}/notes").json()
    assert [("Teh bus stops", False, False), ("Fewer parking spots", False, False)] == [
        (n["text"], n["edited"], n["withdrawn"]) for n in notes
    ]


def test_after_close_no_edit_button_works(live_server, contexts):
    code = live_server.create_workshop(title="Record")["code"]
    author = open_page(contexts(live_server.base_url, PHONE), f"/j/{code}")
    author.on("dialog", lambda dialog: dialog.accept())
    send_note(author, "Light the underpass")
    note = my_note(author, "Light the underpass")
    expect(note.get_by_role("button", name="Edit note: Light the underpass")).to_be_visible()

    stale(author)
    set_phase(live_server, code, "closed")
    # The phone has heard the room close (its next batch) before the author taps: a redraw
    # arriving mid-edit on a busy machine would otherwise replace the editor being used.
    expect(author.locator("#phase")).to_have_attribute("data-phase", "closed")
    try_to_edit(author, "Light the underpass", "Light the whole underpass")
    expect(note.locator(".edit-error")).to_have_text(CLOSED)
    note.get_by_role("button", name="Cancel").click()
    note.get_by_role("button", name="Withdraw note: Light the underpass").click()
    expect(note.locator(".locked")).to_have_text(CLOSED)

    author.unroute("**/api/workshops/*/me")
    author.reload()
    expect(author.locator("body")).to_have_attribute("data-live", "online")
    note = my_note(author, "Light the underpass")
    expect(note.locator(".locked")).to_have_text(CLOSED)
    expect(author.locator("#my-notes button:visible")).to_have_count(0)
    with live_server.facilitator() as facilitator:
        notes = facilitator.get(f"{live_server.base_url}/api/workshops/{code}/notes").json()
    assert [("Light the underpass", False)] == [(n["text"], n["withdrawn"]) for n in notes]


def test_boards_mark_edited_notes_and_keep_withdrawn_ones_for_the_facilitator_only(
    live_server, contexts
):
    from tests.test_browser_sorting import boards, card

    code = live_server.create_workshop(title="Record")["code"]
    own, public = boards(live_server, code, contexts)
    author = live_server.attendee(code)
    url = f"{live_server.base_url}/api"

    def post(text: str) -> int:
        response = author.post(
            f"{url}/workshops/{code}/notes", json={"text": text, "client_id": text}
        )
        return response.json()["id"]

    typo, second = post("Teh bus stops"), post("Never mind")
    expect(card(public, "Never mind")).to_have_count(1)
    author.patch(f"{url}/notes/{typo}", json={"text": "The bus stops"}).raise_for_status()
    author.delete(f"{url}/notes/{second}").raise_for_status()

    expect(card(public, "Never mind")).to_have_count(0)
    expect(card(public, "The bus stops").locator(".edited-mark")).to_have_text("edited")
    gone = card(own, "Never mind")
    expect(gone.locator(".withdrawn-flag")).to_have_text("withdrawn by its author")
    expect(own.locator("#count-notes")).to_have_text("1")
    card(own, "The bus stops").get_by_role("button", name="edited").click()
    history = own.locator(".history-list")
    expect(history).to_contain_text("Teh bus stops")
    expect(history).to_contain_text("changed by its author")
    own.reload()  # drawn from the fetched state, not the live events
    expect(own.locator("body")).to_have_attribute("data-sync", "done")
    expect(card(own, "Never mind").locator(".withdrawn-flag")).to_be_visible()
    public.reload()
    expect(public.locator("body")).to_have_attribute("data-sync", "done")
    expect(card(public, "Never mind")).to_have_count(0)
    expect(card(public, "The bus stops").locator(".edited-mark")).to_be_visible()
