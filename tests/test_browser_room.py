"""Running the room in real Chromium against a real server: phases, dots, card sort, plan
check, timer, blind writing and the closing screen, on a projected board and three phones.

Every test starts a `workshop serve` subprocess (the live_server fixture); every wait has a
timeout. Phones get the room's changes in batches (every 0.5 s), so waits on a phone allow
for a batch; boards get each change the moment it is committed.
"""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.liveserver import wait_until
from tests.pages import LIVE_MS, PHONE_MS, open_page, sign_in
from tests.test_browser_core_loop import (
    PHONE,
    PHONE_OPTIONS,
    PROJECTOR,
    board_notes,
)

pytestmark = pytest.mark.browser

OUT_OF_DOTS = "You have used all 3 of your dots. Take one back to place it elsewhere."


@pytest.fixture
def workshop(live_server) -> dict:
    return live_server.create_workshop(
        title="Safer routes",
        sections=[{"title": "Roles"}, {"title": "Timeline"}, {"title": "Activities"}],
        prompts=[{"text": "What is missing?"}],
    )


def post_notes(live_server, code: str, texts: list[str]) -> list[int]:
    """Notes from one attendee's phone, posted over HTTP (the room already wrote them)."""
    attendee = live_server.attendee(code)
    ids = []
    for text in texts:
        response = attendee.post(
            f"{live_server.base_url}/api/workshops/{code}/notes",
            json={"text": text, "client_id": f"room-{text}"},
            timeout=30,
        )
        response.raise_for_status()
        ids.append(response.json()["id"])
    return ids


def facilitator_board(live_server, contexts, code: str, problems=None) -> Page:
    context = contexts(live_server.base_url, PROJECTOR)
    sign_in(context, live_server)
    return open_page(context, f"/w/{code}/board", problems)


def public_board(live_server, contexts, code: str, problems=None) -> Page:
    return open_page(contexts(live_server.base_url, PROJECTOR), f"/w/{code}/board", problems)


def phones(live_server, contexts, code: str, count: int, problems=None) -> list[Page]:
    return [
        open_page(contexts(live_server.base_url, PHONE, **PHONE_OPTIONS), f"/j/{code}", problems)
        for _ in range(count)
    ]


def switch_phase(board: Page, phase: str) -> None:
    board.get_by_label("Phase").select_option(phase)


def vote_item(phone: Page, text: str):
    return phone.locator(".vote-note").filter(has=phone.get_by_text(text, exact=True))


def tally(board: Page, text: str):
    return board_notes(board, text).locator(".note-dots")


def test_phones_vote_the_board_counts_live_and_a_fourth_dot_is_refused(
    live_server,
    workshop,
    contexts,
):
    code = workshop["code"]
    texts = ["More crossing guards", "Clear the sidewalks", "Slower traffic", "Better lighting"]
    ids = post_notes(live_server, code, texts)
    problems: list[str] = []
    own_board = facilitator_board(live_server, contexts, code, problems)
    board = public_board(live_server, contexts, code, problems)
    ana, ben, chloe = phones(live_server, contexts, code, 3, problems)
    ana.locator("#note-text").fill("An idea typed as voting starts")

    switch_phase(own_board, "vote")

    expect(board.locator("#phase")).to_have_text("Voting", timeout=LIVE_MS)
    for phone in (ana, ben, chloe):
        expect(phone.locator("#vote-screen")).to_be_visible(timeout=PHONE_MS)
        expect(phone.locator("#dots-left")).to_contain_text("3 dots left")
        expect(vote_item(phone, "Better lighting")).to_be_visible()
    expect(ben.locator("#note-form")).to_be_hidden()  # writing is closed while the room votes
    # A draft typed before the switch stays; sending it now gets the server's kind refusal.
    ana.get_by_role("button", name="Send note").click()
    expect(ana.locator("#note-error")).to_have_text("Writing is closed right now (now: Voting).")
    expect(ana.locator("#note-text")).to_have_value("An idea typed as voting starts")

    for phone, chosen in ((ana, texts[:3]), (ben, texts[:2]), (chloe, texts[:1])):
        for text in chosen:
            vote_item(phone, text).get_by_role("button", name="Put a dot on").click()
            expect(vote_item(phone, text).locator(".my-dots .dot")).to_have_count(1)
        left = 3 - len(chosen)
        expect(phone.locator("#dots-left")).to_contain_text(
            f"{left} dot{'' if left == 1 else 's'} left"
        )

    for text, count in zip(texts[:3], [3, 2, 1], strict=True):
        expect(tally(board, text)).to_have_text(str(count), timeout=LIVE_MS)
    expect(tally(board, "Better lighting")).to_have_count(0)  # no dots, no badge
    own_board.locator("#projector-console").get_by_role("button", name="Ranked").click()
    expect(board.locator(".ranked-item .ranked-text")).to_have_text(texts[:3], timeout=LIVE_MS)
    expect(board.locator(".ranked-item .ranked-votes")).to_have_text(["3", "2", "1"])

    # No dot left: "+ Dot" is off, and the server refuses one anyway.
    expect(
        vote_item(ana, "Better lighting").get_by_role("button", name="Put a dot on")
    ).to_be_disabled()
    refused = ana.context.request.post(f"/api/notes/{ids[3]}/votes", data={})
    assert (409, OUT_OF_DOTS) == (refused.status, refused.json()["error"])
    expect(ana.locator("#dots-left")).to_contain_text("0 dots left")

    vote_item(ana, "Slower traffic").get_by_role("button", name="Take a dot back").click()
    expect(ana.locator("#dots-left")).to_contain_text("1 dot left")
    vote_item(ana, "Better lighting").get_by_role("button", name="Put a dot on").click()
    expect(vote_item(ana, "Better lighting").locator(".my-dots .dot")).to_have_count(1)
    expect(ana.locator("#vote-error")).to_be_hidden()
    expect(board.locator(".ranked-item .ranked-text")).to_have_text(
        ["More crossing guards", "Clear the sidewalks", "Better lighting"], timeout=LIVE_MS
    )
    expect(board.locator(".ranked-item .ranked-votes")).to_have_text(["3", "2", "1"])

    ben.reload()  # a phone that comes back gets its dots and what it has left
    expect(ben.locator("#dots-left")).to_contain_text("1 dot left", timeout=PHONE_MS)
    expect(vote_item(ben, "More crossing guards").locator(".my-dots .dot")).to_have_count(1)
    expect(vote_item(ben, "Better lighting").locator(".my-dots .dot")).to_have_count(0)
    refused = re.compile(r"Failed to load resource: .* status of (409|429) ")
    assert [] == [problem for problem in problems if not refused.match(problem)]


def test_a_card_sort_by_three_phones_shows_agreement_and_places_the_notes(
    live_server,
    workshop,
    contexts,
):
    code = workshop["code"]
    sections = {s["title"]: s["id"] for s in workshop["sections"]}
    agreed, disputed = "Walk to school alone at eight", "Who pays after the second year?"
    post_notes(live_server, code, [agreed, disputed])
    own_board = facilitator_board(live_server, contexts, code)
    board = public_board(live_server, contexts, code)
    room = phones(live_server, contexts, code, 3)

    own_board.get_by_role("button", name="Card sort…").click()
    own_board.get_by_role("button", name="Choose every unsorted note").click()
    expect(own_board.locator(".cardsort-dialog")).to_contain_text("2 chosen")
    own_board.get_by_role("button", name="Start the card sort").click()

    answers = [("Timeline", "Roles"), ("Timeline", "Roles"), ("Timeline", "Activities")]
    for phone, (first, second) in zip(room, answers, strict=True):
        expect(phone.locator("#card-sort")).to_be_visible(timeout=PHONE_MS)
        expect(phone.locator("#card-sort-progress")).to_have_text("Note 1 of 2 · 0 placed")
        expect(phone.locator("#card-sort-note")).to_have_text(agreed)
        phone.get_by_role("radio", name=first).check()
        expect(phone.locator("#card-sort-note")).to_have_text(disputed)
        expect(phone.locator("#card-sort-progress")).to_have_text("Note 2 of 2 · 1 placed")
        if phone is room[-1]:  # a phone that comes back carries on where it was
            phone.reload()
            expect(phone.locator("#card-sort-progress")).to_have_text(
                "Note 2 of 2 · 1 placed", timeout=PHONE_MS
            )
        phone.get_by_role("radio", name=second).check()
        expect(phone.get_by_role("heading", name="All sorted ✓ Thank you!")).to_be_visible()

    results = board.locator("#card-sort-results")
    expect(board.locator("#card-sort-status")).to_contain_text("3 people sorting", timeout=LIVE_MS)
    row = results.locator(".cardsort-note")
    expect(row.locator(".cardsort-note-text")).to_have_text([agreed, disputed])
    expect(row.locator(".agreement-value")).to_have_text(["100%", "67%"])
    expect(row.locator(".top-section")).to_have_text(["Timeline", "Roles"])
    expect(row.nth(1).locator(".share")).to_have_text(["67%", "33%"])
    expect(board.locator("#most-disputed .disputed-text")).to_have_text([disputed])

    # Changing an answer on a phone moves the figures.
    room[2].get_by_role("button", name=disputed).click()
    room[2].get_by_role("radio", name="Roles").check()
    expect(row.locator(".agreement-value")).to_have_text(["100%", "100%"], timeout=LIVE_MS)
    expect(board.locator("#most-disputed")).to_have_text("The room agrees on every note.")

    own_board.get_by_role("button", name="Place every note where most people put it").click()
    expect(own_board.locator("#card-sort-status")).to_contain_text("the notes are placed")
    own_board.locator("#projector-console").get_by_role("button", name="Board").click()
    for title, text in (("Timeline", agreed), ("Roles", disputed)):
        column = board.locator(f".column[data-column='{sections[title]}']")
        expect(column.locator(".note-text")).to_have_text([text], timeout=LIVE_MS)
    for phone in room:
        expect(phone.locator("#card-sort")).to_contain_text("ended", timeout=PHONE_MS)


def test_the_plan_check_shows_each_sections_ratings_and_comments(
    live_server,
    workshop,
    contexts,
):
    code = workshop["code"]
    own_board = facilitator_board(live_server, contexts, code)
    board = public_board(live_server, contexts, code)
    ana, ben = phones(live_server, contexts, code, 2)

    own_board.get_by_role("button", name="Open the plan check").click()

    roles = "[data-section-id='{}']".format(workshop["sections"][0]["id"])
    for phone, rating in ((ana, "Workable"), (ben, "Needs changes")):
        expect(phone.locator("#plan-check")).to_be_visible(timeout=PHONE_MS)
        phone.locator(roles).get_by_role("radio", name=rating, exact=True).check()
        expect(phone.locator(roles).locator(".check-saved")).to_have_text("Saved ✓")
    ben.locator(roles).get_by_text("Add a comment").click()
    ben.locator(roles).get_by_label("Comment (optional)").fill("Name the data steward")
    ben.locator(roles).get_by_role("button", name="Send comment").click()
    expect(ben.locator(roles).locator(".check-saved")).to_have_text("Comment sent ✓")
    expect(ana.locator("#plan-check .cs-progress")).to_have_text("1 of 3 rated")

    section = board.locator("#check-results").locator(roles)
    expect(board.locator("#check-status")).to_contain_text("2 people rated", timeout=LIVE_MS)
    expect(section.locator(".share")).to_have_text(["1", "1"])
    expect(section.locator(".share").first).to_have_attribute("data-rating", "workable")
    expect(section.locator(".check-comments li")).to_have_text(["Name the data steward"])

    own_board.get_by_role("button", name="Close the plan check").click()
    expect(board.locator("#check-status")).to_contain_text("Closed", timeout=LIVE_MS)
    expect(ana.locator("#plan-check")).to_contain_text("closed", timeout=PHONE_MS)


def test_the_timer_runs_on_the_board_and_the_phones(
    live_server,
    workshop,
    contexts,
):
    code = workshop["code"]
    problems: list[str] = []
    own_board = facilitator_board(live_server, contexts, code, problems)
    board = public_board(live_server, contexts, code, problems)
    (phone,) = phones(live_server, contexts, code, 1, problems)

    own_board.get_by_role("button", name="5 min").click()

    clock = board.locator("#room-timer .timer-clock")
    # Counting down from 5:00, within its first minute (however busy the machine).
    expect(clock).to_have_text(re.compile(r"^(5:00|4:[0-5]\d)$"), timeout=LIVE_MS)
    expect(board.locator("#room-timer .timer-label")).to_have_text("Writing notes")
    expect(phone.locator("#phone-timer")).to_have_text(
        re.compile(r"Writing notes: (5:00|4:[0-5]\d) left$"), timeout=PHONE_MS
    )

    own_board.get_by_role("button", name="Pause").click()
    expect(board.locator("#room-timer")).to_have_attribute("data-state", "paused", timeout=LIVE_MS)
    expect(board.locator("#room-timer .timer-state")).to_have_text("Paused")
    paused_at = clock.inner_text()
    board.wait_for_timeout(1_200)  # a window in which a running clock would tick, not a wait
    assert paused_at == clock.inner_text()
    expect(phone.locator("#phone-timer")).to_contain_text("(paused)", timeout=PHONE_MS)

    own_board.get_by_role("button", name="Resume").click()
    own_board.get_by_role("button", name="+1 min").click()
    expect(clock).to_have_text(re.compile(r"^(6:00|5:[0-5]\d)$"), timeout=LIVE_MS)
    expect(board.locator("#room-timer")).to_have_attribute("data-state", "running")

    own_board.get_by_role("button", name="Stop").click()
    expect(board.locator("#room-timer")).to_be_hidden(timeout=LIVE_MS)
    expect(phone.locator("#phone-timer")).to_be_hidden(timeout=PHONE_MS)

    own_board.get_by_label("Chime").check()  # Web Audio: plays once now, again at the end
    own_board.get_by_label("Minutes").fill("0.05")  # three seconds: watch it run out
    own_board.get_by_role("button", name="Start", exact=True).click()
    expect(board.locator("#room-timer")).to_have_attribute("data-state", "ended", timeout=LIVE_MS)
    expect(board.locator("#room-timer .timer-state")).to_have_text("Time's up")
    expect(clock).to_have_text("0:00")
    expect(phone.locator("#phone-timer")).to_contain_text("time's up", timeout=PHONE_MS)
    assert [] == problems


def test_blind_writing_shows_only_the_count_until_the_facilitator_reveals(
    live_server,
    workshop,
    contexts,
):
    code = workshop["code"]
    own_board = facilitator_board(live_server, contexts, code)
    board = public_board(live_server, contexts, code)
    (phone,) = phones(live_server, contexts, code, 1)
    # Every live event redraws the room controls from the last settings the board knows, so
    # one arriving between the click and the server's answer would untick the box: wait until
    # the board has heard the phone arrive (the last event these steps cause) before clicking.
    expect(own_board.locator("#count-phones")).to_have_text("1", timeout=LIVE_MS)
    own_board.get_by_text("Room settings").click()
    own_board.get_by_label("Blind writing").check()
    expect(board.locator("#blind-count")).to_have_text("0 notes so far", timeout=LIVE_MS)

    post_notes(live_server, code, ["First, unswayed", "Second, unswayed"])
    phone.locator("#note-text").fill("Third, from the phone")
    phone.get_by_role("button", name="Send note").click()

    expect(board.locator("#blind-count")).to_have_text("3 notes so far", timeout=LIVE_MS)
    expect(board.locator("#count-notes")).to_have_text("3")
    expect(board.locator(".note-text")).to_have_count(0)
    expect(board.get_by_text("Third, from the phone")).to_have_count(0)
    expect(own_board.locator(".room-flag")).to_have_text(
        "Blind writing: the room sees only the count"
    )
    expect(board_notes(own_board, "Third, from the phone")).to_be_visible()
    expect(phone.locator("#phase-panel")).to_contain_text("Blind writing")

    own_board.get_by_role("button", name="Reveal the notes").click()

    for text in ("First, unswayed", "Second, unswayed", "Third, from the phone"):
        expect(board_notes(board, text)).to_be_visible(timeout=LIVE_MS)
    expect(board.locator("#blind-count")).to_be_hidden()


def test_next_steps_then_the_closing_screen_with_the_summary_link(
    live_server,
    workshop,
    contexts,
):
    code = workshop["code"]
    live_server.facilitator().post(
        f"{live_server.base_url}/api/workshops/{code}/next-steps",
        json={"text": "Publish the crossing data", "owner": "Open data team", "due": "2025-03-01"},
        timeout=30,
    ).raise_for_status()
    own_board = facilitator_board(live_server, contexts, code)
    board = public_board(live_server, contexts, code)
    (phone,) = phones(live_server, contexts, code, 1)

    switch_phase(own_board, "next-steps")
    steps = phone.locator("#next-steps")
    expect(steps.locator(".step-text")).to_have_text(
        ["Publish the crossing data"], timeout=PHONE_MS
    )
    expect(steps.locator(".step-meta")).to_have_text("Planned · Open data team · by 2025-03-01")

    switch_phase(own_board, "closed")

    summary = f"{live_server.base_url}/w/{code}/summary"
    expect(board.get_by_role("heading", name="Thank you for taking part")).to_be_visible(
        timeout=LIVE_MS
    )
    expect(board.locator("#summary-link")).to_have_text(summary)
    expect(board.locator(".closed-qr")).to_be_visible()
    qr = board.locator(".closed-qr")
    wait_until(  # (wait_for_function evaluates a string, which the page's CSP forbids)
        lambda: qr.evaluate("img => img.complete && img.naturalWidth > 0"),
        "the closing screen's QR code is loaded",
        timeout=LIVE_MS / 1000,
    )
    expect(board.locator("#board")).to_be_hidden()
    board.reload()  # a board opened after the end shows the closing screen too
    expect(board.locator("#summary-link")).to_have_text(summary)
    link = phone.get_by_role("link", name="What we heard, what we will do")
    expect(link).to_have_attribute("href", f"/w/{code}/summary", timeout=PHONE_MS)
    expect(phone.locator("section.write")).to_be_hidden()
    link.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Safer routes")
    assert phone.url == summary
    assert 200 == requests.get(summary, timeout=30).status_code


def test_a_live_event_between_a_settings_click_and_its_answer_keeps_the_box_ticked(
    live_server, workshop, contexts
):
    """The facilitator ticks "Blind writing"; before the server answers, a note arrives and
    the room is redrawn from the settings the board knew: the box must stay as clicked."""
    code = workshop["code"]
    own_board = facilitator_board(live_server, contexts, code)
    held = []
    # Hold the settings answer until the note has been drawn (the browser waits on it).
    own_board.route("**/settings", lambda route: held.append(route))
    own_board.get_by_text("Room settings").click()
    box = own_board.get_by_label("Blind writing")
    box.check()
    wait_until(lambda: held, "the settings change reached the network", timeout=30)
    post_notes(live_server, code, ["Arrives while the click is in flight"])
    expect(board_notes(own_board, "Arrives while the click is in flight")).to_have_count(
        1, timeout=LIVE_MS
    )
    expect(box).to_be_checked()  # the redraw kept it as clicked
    held[0].continue_()
    expect(own_board.locator("body")).to_have_attribute("data-sync", re.compile("."))
    expect(box).to_be_checked()
    settings = requests.get(f"{live_server.base_url}/api/workshops/{code}", timeout=30).json()
    assert settings["settings"]["blind_writing"] is True
