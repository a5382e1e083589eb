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


def test_the_ranked_view_ranks_a_group_as_one_item_with_every_dot(live_server, contexts) -> None:
    """Dots on a note, on a note merged into it, and on the group itself: the group is one
    item in the ranked view, above a lone note with fewer dots, and grows live."""
    code = live_server.create_workshop(title="Ranked")["code"]
    facilitator = live_server.facilitator()
    base = live_server.base_url

    def note(text: str) -> int:
        answer = facilitator.post(
            f"{base}/api/workshops/{code}/notes", json={"text": text, "client_id": text}
        )
        return answer.json()["id"]

    crossing, duplicate, guard, benches = (
        note(t) for t in ("Safer crossing", "Safe crossing", "Crossing guard", "Benches")
    )
    facilitator.post(f"{base}/api/notes/{crossing}/merge", json={"note_ids": [duplicate]})
    group = facilitator.post(
        f"{base}/api/workshops/{code}/groups",
        json={"note_ids": [crossing, guard], "label": "Crossings"},
    ).json()["id"]
    facilitator.put(f"{base}/api/workshops/{code}/phase", json={"phase": "vote"})
    facilitator.put(f"{base}/api/notes/{duplicate}/dots", json={"count": 1})
    facilitator.put(f"{base}/api/notes/{benches}/dots", json={"count": 2})
    ana, ben = live_server.attendee(code, "Ana"), live_server.attendee(code, "Ben")
    assert 200 == ana.post(f"{base}/api/groups/{group}/votes", json={}).status_code
    assert 200 == ana.post(f"{base}/api/notes/{guard}/votes", json={}).status_code

    facilitator.put(f"{base}/api/workshops/{code}/projection", json={"view": "ranked"})
    board = open_page(contexts(base, LAPTOP), f"/w/{code}/board")
    items = board.locator(".ranked-item")
    expect(items.locator(".ranked-text")).to_have_text(["Crossings", "Benches"])
    expect(items.locator(".ranked-votes")).to_have_text(["3", "2"])
    assert 200 == ben.post(f"{base}/api/groups/{group}/votes", json={}).status_code
    expect(items.locator(".ranked-votes")).to_have_text(["4", "2"], timeout=LIVE_MS)
