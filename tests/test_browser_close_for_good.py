"""Closing a workshop for good from the manage page, in real Chromium against a real server:
the control says what it does, waits for the phase Closed, asks to confirm (Cancel changes
nothing), and once confirmed the join code stops working while the summary stays public.

A screenshot goes to /tmp/close-for-good.png for a person to look at.
"""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect

from tests.pages import LIVE_MS, open_page, sign_in

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}


def archived_at(live_server, code: str):
    answer = live_server.facilitator().get(f"{live_server.base_url}/api/workshops/{code}/state")
    answer.raise_for_status()
    return answer.json()["workshop"]["archived_at"]


def test_close_for_good_explains_waits_for_closed_and_asks_first(live_server, contexts):
    workshop = live_server.create_workshop(title="Safer routes", prompts=[{"text": "Missing?"}])
    code = workshop["code"]
    context = contexts(live_server.base_url, LAPTOP)
    sign_in(context, live_server)
    manage = open_page(context, f"/w/{code}/manage")
    part = manage.locator("#close-for-good")
    expect(manage.locator("#phase-name")).to_have_text("Writing")  # the phase's name, not its key
    part.scroll_into_view_if_needed()
    expect(part).to_contain_text("The join code stops working")
    expect(part).to_contain_text("The summary page stays public")
    expect(part).to_contain_text("cannot be undone")
    button = part.get_by_role("button", name="Close for good…")
    expect(button).to_be_disabled()  # only after the session: the phase must be Closed first
    expect(part).to_contain_text("First move the room to the phase Closed")

    live_server.facilitator().put(
        f"{live_server.base_url}/api/workshops/{code}/phase", json={"phase": "closed"}
    ).raise_for_status()
    expect(button).to_be_enabled(timeout=LIVE_MS)  # the page follows the phase live
    expect(manage.locator("#phase-name")).to_have_text("Closed")

    button.click()
    confirm = part.get_by_role("alertdialog")
    expect(confirm).to_contain_text(f"Close workshop {code} for good?")
    confirm.get_by_role("button", name="Cancel").click()
    expect(confirm).to_be_hidden()
    expect(button).to_be_focused()
    assert archived_at(live_server, code) is None

    button.click()
    part.get_by_role("button", name="Close it for good").click()
    expect(part.locator("#archive-state")).to_contain_text("Closed for good on", timeout=LIVE_MS)
    expect(button).to_be_hidden()
    manage.screenshot(path="/tmp/close-for-good.png", full_page=False)
    assert archived_at(live_server, code) is not None
    # The join code no longer opens the phone page; the summary is still there for everyone.
    base = live_server.base_url
    assert 410 == requests.get(f"{base}/j/{code}", timeout=30).status_code
    assert 200 == requests.get(f"{base}/w/{code}/summary", timeout=30).status_code
    summary = context.new_page()
    summary.goto(f"/w/{code}/summary")
    expect(summary.locator("h1")).to_contain_text(re.compile("Safer routes"))
