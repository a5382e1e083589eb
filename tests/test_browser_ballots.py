"""One device posing as forty phones, in real Chromium against a real server: only the
allowed ballots count, and the facilitator's manage page says where the ballots came from,
with a warning, live."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from tests.pages import open_page

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 900}
LIVE_MS = 10_000  # the manage page fetches the ballots a moment after the dots arrive


def test_the_manage_page_warns_when_one_address_holds_several_ballots(
    live_server, contexts
) -> None:
    workshop = live_server.create_workshop(title="Benches")
    code = workshop["code"]
    facilitator = live_server.facilitator()
    base = live_server.base_url
    note = facilitator.post(
        f"{base}/api/workshops/{code}/notes", json={"text": "Benches", "client_id": "b"}
    ).json()["id"]
    facilitator.put(f"{base}/api/workshops/{code}/phase", json={"phase": "vote"})
    context = contexts(base, LAPTOP)
    signing_in = context.new_page()
    signing_in.goto(f"/facilitator?token={live_server.token}")
    signing_in.close()
    problems: list[str] = []
    manage = open_page(context, f"/w/{code}/manage", problems)
    expect(manage.locator("#ballots-warning")).to_be_hidden()

    # One device (this test, one loopback address) joins forty times and votes each time.
    statuses = []
    for _ in range(40):
        device = requests.Session()
        device.post(f"{base}/api/workshops/{code}/join", json={}, timeout=10).raise_for_status()
        statuses.append(device.post(f"{base}/api/notes/{note}/votes", json={}, timeout=10))
    assert [200] * 3 + [429] * 37 == [answer.status_code for answer in statuses]
    facilitator.put(f"{base}/api/notes/{note}/dots", json={"count": 2})

    warning = manage.locator("#ballots-warning")
    expect(warning).to_be_visible(timeout=LIVE_MS)
    expect(warning).to_contain_text("One address holds several phone ballots (at most 3")
    expect(manage.locator("#ballots-dots")).to_have_text("5 dots: 3 from phones, 2 on paper")
    expect(manage.locator("#ballots-addresses li").first).to_have_text(
        "Address 1: 40 phones joined, 3 ballots"
    )
    assert [] == problems
