"""A group of notes is one thing to vote on, on a real phone page in Chromium."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_a_phone_puts_one_dot_on_a_group(contexts, live_server):
    code = live_server.create_workshop(title="Groups", sections=[{"title": "Roles"}])["code"]
    with live_server.facilitator() as facilitator:
        url = f"{live_server.base_url}/api"
        ids = [
            facilitator.post(
                f"{url}/workshops/{code}/notes", json={"text": text, "client_id": text}
            ).json()["id"]
            for text in ("Snow on sidewalks", "Icy crossings", "Bus stops")
        ]
        facilitator.post(
            f"{url}/workshops/{code}/groups", json={"note_ids": ids[:2], "label": "Winter"}
        )
        facilitator.put(f"{url}/workshops/{code}/phase", json={"phase": "vote"})
    phone = contexts(live_server.base_url, PHONE).new_page()
    phone.goto(f"/j/{code}")
    group = phone.locator(".vote-group")
    expect(group).to_have_count(1)
    expect(group.locator(".group-label")).to_have_text("Winter")
    expect(group.locator(".group-texts li")).to_have_text(["Snow on sidewalks", "Icy crossings"])
    group.get_by_role("button", name="Put a dot on the group: Winter").click()
    expect(phone.get_by_text("2 dots left")).to_be_visible(timeout=5_000)
    expect(group.get_by_role("button", name="Put a dot on the group: Winter")).to_be_disabled()
    with live_server.facilitator() as facilitator:
        state = facilitator.get(f"{live_server.base_url}/api/workshops/{code}/state").json()
    assert [1] == [g["votes"] for g in state["groups"]]
