"""Questions in front on the phone, in real Chromium against a real server: the question is
the page's heading; with several, one tap chooses and none is chosen for the attendee; a note
sent without choosing lands in Unsorted, answering no question, and the next note starts
unchosen. Screenshots go to /tmp/phone-questions-*.png for a person to look at."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.liveserver import LiveServer, running
from tests.pages import open_page

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LONG = (
    "What is missing from this plan? Think of the streets, the people left out and the data "
    "nobody has collected yet."
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running(LiveServer(tmp_path_factory.mktemp("questions") / "data")) as server:
        yield server


def phone(server, contexts, code):
    context = contexts(server.base_url, viewport=PHONE, has_touch=True, is_mobile=True)
    return open_page(context, f"/j/{code}")


def send(page, text):
    page.get_by_label("Your note", exact=True).fill(text)
    page.get_by_role("button", name="Send note").click()
    mine = page.locator(".my-note", has_text=text)
    expect(mine).to_have_class(re.compile(r"\bis-received\b"))


def stored(server, code, text):
    notes = server.facilitator().get(f"{server.base_url}/api/workshops/{code}/notes").json()
    [note] = [n for n in notes if n["text"] == text]
    return note


def test_the_one_question_is_the_heading_and_the_note_answers_it(server, contexts):
    workshop = server.create_workshop(title="Routes", prompts=[{"text": LONG}])
    page = phone(server, contexts, workshop["code"])
    expect(page.get_by_role("heading", name=LONG)).to_be_visible()  # whole, not cut
    page.screenshot(path="/tmp/phone-questions-one.png")
    send(page, "The walk from the bus depot")
    note = stored(server, workshop["code"], "The walk from the bus depot")
    assert (workshop["prompts"][0]["id"], None) == (note["prompt_id"], note["section_id"])


def test_several_questions_wait_for_a_tap_and_nothing_is_filed_without_one(server, contexts):
    workshop = server.create_workshop(
        title="Routes", prompts=[{"text": LONG}, {"text": "Who should we ask first?"}]
    )
    code = workshop["code"]
    page = phone(server, contexts, code)
    expect(
        page.get_by_role("heading", name="Pick a question, then write your note")
    ).to_be_visible()
    questions = page.locator("#questions").get_by_role("radio")
    expect(questions).to_have_count(2)
    for index in range(2):
        expect(questions.nth(index)).not_to_be_checked()
    page.screenshot(path="/tmp/phone-questions-several.png")
    send(page, "Nothing chosen")
    note = stored(server, code, "Nothing chosen")
    assert (None, None) == (note["prompt_id"], note["section_id"])  # in Unsorted

    page.get_by_text("Who should we ask first?").click()  # one tap on the tile
    send(page, "The crossing guards")
    note = stored(server, code, "The crossing guards")
    assert (workshop["prompts"][1]["id"], None) == (note["prompt_id"], note["section_id"])
    for index in range(2):  # the next note starts unchosen
        expect(questions.nth(index)).not_to_be_checked()
