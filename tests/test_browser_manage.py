"""Paper cards, scribes and the facilitator's console in real Chromium against a real server.

A scribe link made on the manage page lets a volunteer's phone type a handwritten card in;
an attendee holding another card posts it from their phone; the board shows where each note
came from; the facilitator links both notes to a next step, which the summary page shows,
and the attendee sees what became of their note. Every wait is bounded.
"""

from __future__ import annotations

import io
import re
import sqlite3

import pytest
import requests
from PIL import Image, ImageDraw
from playwright.sync_api import BrowserContext, Page, expect

from tests.pages import open_page, sign_in, watch
from tests.pdfcheck import decode_qr_codes

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PHONE_OPTIONS = {"has_touch": True, "is_mobile": True}
LAPTOP = {"width": 1280, "height": 900}
PROJECTOR = {"width": 1920, "height": 1080}
PROMPTS = ["What is missing from the plan?", "Who should run it?"]
HANDWRITTEN = "Benches on the long hill, for grandparents who walk the kids"
CORRECTED = "Benches on the long hill, for the grandparents who walk the kids"
PHONE_NOTE = "The parents' association could run the map stand"
STEP = "Ask the parks department for two benches and a map stand"


@pytest.fixture
def workshop(live_server) -> dict:
    return live_server.create_workshop(
        title="Safer routes", prompts=[{"text": text} for text in PROMPTS]
    )


def facilitator_context(contexts, live_server) -> BrowserContext:
    context = contexts(live_server.base_url, LAPTOP)
    sign_in(context, live_server)
    return context


def print_cards(live_server, code: str, count: int) -> list[tuple[str, str]]:
    """Print a deck through the API, then read the new cards (code, prompt) from the
    server's database, opened read-only."""
    response = live_server.facilitator().get(
        f"{live_server.base_url}/api/workshops/{code}/cards.pdf",
        params={"count": count},
        timeout=30,
    )
    response.raise_for_status()
    database = sqlite3.connect(f"file:{live_server.data_dir / 'workshop.db'}?mode=ro", uri=True)
    try:
        return database.execute(
            """SELECT c.code, p.text FROM cards c JOIN prompts p ON p.id = c.prompt_id
               JOIN workshops w ON w.id = c.workshop_id WHERE w.code = ? ORDER BY c.rowid""",
            [code],
        ).fetchall()
    finally:
        database.close()


def photo_of_a_card() -> dict:
    """A small JPEG, as a phone camera would hand it to the file input."""
    image = Image.new("RGB", (640, 400), (250, 248, 240))
    ImageDraw.Draw(image).text((40, 180), HANDWRITTEN, fill=(20, 40, 140))
    data = io.BytesIO()
    image.save(data, "JPEG", quality=80)
    return {"name": "card.jpg", "mimeType": "image/jpeg", "buffer": data.getvalue()}


def stored_notes(live_server, code: str) -> dict[str, dict]:
    response = live_server.facilitator().get(
        f"{live_server.base_url}/api/workshops/{code}/notes", timeout=30
    )
    response.raise_for_status()
    return {note["text"]: note for note in response.json()}


def board_note(board: Page, text: str):
    return board.locator(".note").filter(has=board.get_by_text(text, exact=True))


def test_a_scribe_and_a_phone_enter_cards_and_a_next_step_answers_both(
    live_server, workshop, contexts
):
    code = workshop["code"]
    problems: list[str] = []
    (paper_card, paper_prompt), (phone_card, phone_prompt) = print_cards(live_server, code, 2)
    assert PROMPTS == [paper_prompt, phone_prompt]  # the deck is dealt across the prompts

    facilitator = facilitator_context(contexts, live_server)
    manage = open_page(facilitator, f"/w/{code}/manage", problems)
    board = open_page(contexts(live_server.base_url, PROJECTOR), f"/w/{code}/board", problems)

    # The facilitator makes a scribe link; a volunteer's phone opens it.
    manage.get_by_role("button", name="Make a scribe link").click()
    scribe_url = manage.locator("#scribe-url")
    expect(scribe_url).to_have_text(re.compile(r"/scribe\?token=\S+$"))
    scribe = watch(contexts(live_server.base_url, PHONE, **PHONE_OPTIONS).new_page(), problems)
    scribe.goto(scribe_url.inner_text())
    expect(scribe.get_by_text(f"Scribe · workshop {code}")).to_be_visible()

    # The scribe types the card's code as printed (lower case, a space) and transcribes it.
    scribe.get_by_label("Card code").fill(f"{paper_card[:3]} {paper_card[3:]}".lower())
    scribe.get_by_role("button", name="Open card").click()
    expect(scribe).to_have_url(re.compile(f"/c/{paper_card}$"))
    expect(scribe.get_by_role("heading", name=paper_prompt)).to_be_visible()
    scribe.get_by_label("What is written on the card").fill(HANDWRITTEN)
    scribe.locator("#card-photo").set_input_files(photo_of_a_card())
    expect(scribe.locator("#card-photo-preview img")).to_be_visible()
    scribe.get_by_role("button", name="Add to the board").click()
    expect(scribe.get_by_role("heading", name="Added to the board ✓")).to_be_visible()
    expect(scribe.get_by_role("link", name="Next card")).to_be_focused()

    # The board shows it as a paper note with the card's photo, and counts it by channel.
    paper_note = board_note(board, HANDWRITTEN)
    expect(paper_note.locator(".source")).to_have_text("paper card")
    expect(paper_note.locator(".note-photo img")).to_be_visible()
    expect(board.locator("#count-channels")).to_have_text("1 note on a paper card")
    # ...and the manage page lists it with its card code, live.
    expect(manage.locator("#paper-list")).to_contain_text(paper_card)
    expect(manage.locator("#paper-list")).to_contain_text(HANDWRITTEN)

    # A used card offers its note for correction instead of taking a second one.
    scribe.goto(f"/c/{paper_card}")
    expect(scribe.get_by_role("heading", name="This card was already entered")).to_be_visible()
    expect(scribe.locator("#card-form")).to_be_hidden()
    scribe.get_by_label("Correct the typed text").fill(CORRECTED)
    scribe.get_by_role("button", name="Save correction").click()
    expect(scribe.locator("#fix-status")).to_have_text("Saved.")
    expect(board_note(board, CORRECTED)).to_have_count(1)

    # An attendee holding the other card posts it from their own phone.
    attendee = contexts(live_server.base_url, PHONE, **PHONE_OPTIONS)
    phone = watch(attendee.new_page(), problems)
    phone.goto(f"/c/{phone_card}")
    expect(phone.get_by_role("heading", name=phone_prompt)).to_be_visible()
    expect(phone.locator("#card-photo")).to_have_count(0)  # photos are for scribes
    phone.get_by_label("Your note").fill(PHONE_NOTE)
    phone.get_by_role("button", name="Send note").click()
    expect(phone.get_by_role("heading", name="Sent ✓ It is on the board.")).to_be_visible()
    expect(board_note(board, PHONE_NOTE).locator(".source")).to_have_text("phone")
    expect(board.locator("#count-channels")).to_have_text("1 note by phone\n1 note on a paper card")

    stored = stored_notes(live_server, code)
    assert ("paper", "scribe", paper_card) == tuple(
        stored[CORRECTED][key] for key in ("source", "entered_by", "card_code")
    )
    prompt_ids = {prompt["text"]: prompt["id"] for prompt in workshop["prompts"]}
    assert ("phone", phone_card, prompt_ids[phone_prompt]) == tuple(
        stored[PHONE_NOTE][key] for key in ("source", "card_code", "prompt_id")
    )

    # The facilitator links both notes to a next step on the manage page.
    expect(manage.locator("#missing-count")).to_have_text("2 notes still need an outcome")
    adder = manage.locator("#step-new")
    adder.get_by_label("What will be done").fill(STEP)
    adder.get_by_label("Who (optional)", exact=True).fill("Parks department")
    adder.get_by_label("By (optional)", exact=True).fill("2027-04-30")
    adder.get_by_label("Status").select_option("considering")
    adder.get_by_label("Search the notes").fill("bench")
    adder.get_by_label(CORRECTED).check()
    adder.get_by_label("Search the notes").fill("parents")
    adder.get_by_label(PHONE_NOTE).check()
    expect(adder.locator("[data-picked]")).to_have_text("2")
    adder.get_by_role("button", name="Add next step").click()

    step = manage.locator("#steps-list .step").filter(has_text=STEP)
    expect(step.locator(".linked-notes li")).to_have_count(2)
    expect(step.locator(".step-meta")).to_contain_text("Parks department")
    expect(manage.locator("#missing-count")).to_have_text("Every note has an outcome ✓")
    expect(adder.get_by_label("What will be done")).to_have_value("")  # ready for the next
    steps = requests.get(f"{live_server.base_url}/api/workshops/{code}/next-steps", timeout=30)
    assert [sorted([stored[CORRECTED]["id"], stored[PHONE_NOTE]["id"]])] == [
        sorted(s["note_ids"]) for s in steps.json()
    ]

    # The summary page shows the step with the notes it answers.
    summary = watch(facilitator.new_page(), problems)
    summary.goto(f"/w/{code}/summary")
    listed = summary.locator(".next-step").filter(has_text=STEP)
    expect(listed.locator(".step-meta")).to_have_text(
        "considering · Parks department · by Apr 30, 2027"
    )
    listed.get_by_text("Answers 2 notes").click()
    for text in (CORRECTED, PHONE_NOTE):
        expect(listed.locator(".summary-note").filter(has_text=text)).to_be_visible()

    # On their phone, the attendee sees what became of their note.
    phone.goto(f"/w/{code}/summary")
    mine = phone.locator(".mine-panel .summary-note")
    expect(mine).to_have_count(1)
    expect(mine.locator(".note-text")).to_have_text(PHONE_NOTE)
    expect(mine.locator(".outcome")).to_have_text(f"Answered: {STEP} (considering)")

    # ...but cannot open the facilitator's console.
    response = phone.goto(f"/w/{code}/manage")
    assert 403 == response.status
    expect(phone.get_by_role("heading", name="Sorry")).to_be_visible()
    expect(phone.get_by_text("Only the facilitator can manage this workshop")).to_be_visible()

    assert [] == [p for p in problems if "403" not in p]  # the 403 page is the one expected


def test_the_facilitator_answers_notes_keeps_photos_and_changes_settings(
    live_server, workshop, contexts
):
    code = workshop["code"]
    problems: list[str] = []
    visitor = live_server.attendee(code)
    for text in ("Crossing guard at Elm", "Fix the potholes on the county road", "Thanks!"):
        body = {"text": text, "client_id": text[:20]}
        visitor.post(
            f"{live_server.base_url}/api/workshops/{code}/notes", json=body, timeout=30
        ).raise_for_status()
    manage = open_page(facilitator_context(contexts, live_server), f"/w/{code}/manage", problems)

    # Outcomes: one noted, one out of scope with a reason, one answered by a next step.
    expect(manage.locator("#missing-count")).to_have_text("3 notes still need an outcome")
    rows = manage.locator("#missing-list .outcome-row")
    rows.filter(has_text="Thanks!").get_by_role("button", name="Noted").click()
    expect(manage.locator("#missing-count")).to_have_text("2 notes still need an outcome")
    county = rows.filter(has_text="county road")
    county.get_by_role("button", name="Out of scope…").click()
    county.get_by_label("Why is it out of scope?").fill("The county maintains that road")
    county.get_by_role("button", name="Mark out of scope").click()
    expect(manage.locator("#missing-count")).to_have_text("1 note still needs an outcome")
    adder = manage.locator("#step-new")
    adder.get_by_label("What will be done").fill("Not this year")
    adder.get_by_label("Status").select_option("declined")
    adder.get_by_role("button", name="Add next step").click()
    expect(adder.locator("[data-error]")).to_have_text(re.compile("needs a reason"))
    adder.get_by_label("Why not").fill("The budget is set")
    adder.get_by_role("button", name="Add next step").click()
    expect(manage.locator("#steps-list .step")).to_have_count(1)
    rows.filter(has_text="Crossing guard").get_by_role("combobox").select_option(
        label="Not this year"
    )
    expect(manage.locator("#missing-count")).to_have_text("Every note has an outcome ✓")
    expect(manage.locator("#set-count")).to_have_text("2")

    # Editing a next step inline keeps its links; removing it takes two clicks.
    step = manage.locator("#steps-list .step")
    step.get_by_role("button", name="Edit").click()
    step.get_by_label("Status").select_option("planned")
    step.get_by_label("What will be done").fill("Crossing guard at Elm from September")
    step.get_by_role("button", name="Save").click()
    expect(step.locator(".step-text")).to_have_text("Crossing guard at Elm from September")
    expect(step.locator(".linked-notes li")).to_have_count(1)
    step.get_by_role("button", name="Remove").click()
    step.get_by_role("button", name="Yes, remove").click()
    expect(manage.locator("#steps-list .step")).to_have_count(0)
    expect(manage.locator("#missing-count")).to_have_text("1 note still needs an outcome")

    # The room's paper: a photo of a flip chart, captioned, recaptioned, removed.
    manage.get_by_label("Photo", exact=True).set_input_files(photo_of_a_card())
    manage.get_by_label("Caption (optional)").fill("Group 2's timeline")
    manage.get_by_role("button", name="Add photo").click()
    photo = manage.locator("#photo-list .photo")
    expect(photo.locator("img")).to_be_visible()
    expect(photo.get_by_label("Caption")).to_have_value("Group 2's timeline")
    photo.get_by_label("Caption").fill("Group 2's timeline, redrawn")
    photo.get_by_role("button", name="Save caption").click()
    expect(photo.get_by_role("status")).to_have_text("Saved.")
    summary = requests.get(f"{live_server.base_url}/w/{code}/summary", timeout=30).text
    assert "Group 2&#39;s timeline, redrawn" in summary
    photo.get_by_role("button", name="Remove").click()
    photo.get_by_role("button", name="Yes, remove").click()
    expect(manage.locator("#photo-list .photo")).to_have_count(0)

    # The feedback window and the settings.
    manage.get_by_label("Keep the join link open for").fill("7")
    manage.get_by_role("button", name="Keep open").click()
    expect(manage.locator("#feedback-state")).to_have_text(re.compile("once you close the room"))
    manage.get_by_label("Dots each attendee may place when voting.").fill("5")
    manage.get_by_label("Hide vote counts from the room").check()
    manage.get_by_role("button", name="Save settings").click()
    expect(manage.locator("#settings-status")).to_have_text("Saved.")
    settings = requests.get(f"{live_server.base_url}/api/workshops/{code}", timeout=30).json()
    assert (5, True) == (
        settings["settings"]["votes_per_attendee"],
        settings["settings"]["hide_tallies"],
    )
    assert settings["feedback_until"]

    # Print: each form opens its PDF in a new tab.
    with manage.context.expect_event(
        "response", lambda r: "/cards.pdf" in r.url, timeout=30_000
    ) as deck:
        form = manage.locator("form", has=manage.get_by_role("heading", name="Note cards"))
        form.get_by_label("Stock").select_option("sticky-3x3")
        form.get_by_label("How many cards").fill("6")
        form.get_by_role("button", name="Print cards").click()
    assert 200 == deck.value.status
    assert "application/pdf" == deck.value.headers["content-type"]
    # The form registered a deck by POST; the tab shows that deck's PDF (a reprint adds none).
    assert re.search(r"/cards\.pdf\?deck=\d+$", deck.value.url), deck.value.url
    reprint = live_server.facilitator().get(deck.value.url, timeout=30).content
    assert 6 == len({url for page in decode_qr_codes(reprint, dpi=100) for url in page})
    with manage.context.expect_event(
        "response", lambda r: "/poster.pdf" in r.url, timeout=30_000
    ) as poster:
        form = manage.locator("form", has=manage.get_by_role("heading", name="Join poster"))
        form.get_by_label("Venue Wi-Fi name").fill("Library Guest")
        form.get_by_role("button", name="Print poster").click()
    assert 200 == poster.value.status
    assert "wifi_ssid=Library+Guest" in poster.value.url

    # The one refusal was the declined step without a reason, answered on the page.
    assert [] == [p for p in problems if "status of 400" not in p]
