"""'Suggest groups' on the facilitator's board in real Chromium against a real server: an
accepted suggestion becomes a group on every board, and undo takes it away again."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.pages import LIVE_MS, STEP_TIMEOUT_MS
from tests.test_browser_sorting import boards, post_notes, server_state

pytestmark = pytest.mark.browser

SNOW = [
    "Winter: which sidewalks are actually cleared of snow?",
    "En invierno las aceras no se limpian de nieve",
    "Snow piles block the sidewalk corners after a storm",
]
OTHERS = ["Three sessions in April collide with spring break", "Thanks for the coffee"]
SUGGEST_MS = max(STEP_TIMEOUT_MS, 120_000)  # the first call imports scikit-learn: seconds


@pytest.fixture
def workshop(live_server) -> dict:
    return live_server.create_workshop(title="Safer routes", prompts=[{"text": "What is missing?"}])


def test_an_accepted_suggestion_is_a_group_everywhere_and_undo_removes_it(
    live_server, workshop, contexts, tmp_path
):
    code = workshop["code"]
    own, public = boards(live_server, code, contexts)
    post_notes(live_server, code, SNOW + OTHERS)
    expect(own.locator(".note")).to_have_count(5, timeout=LIVE_MS)

    own.get_by_role("button", name="Suggest groups").click()
    suggestion = own.locator("#suggest-panel .suggestion[data-kind='group']")
    expect(suggestion).to_have_count(1, timeout=SUGGEST_MS)
    expect(suggestion.locator("li")).to_have_text(SNOW)
    assert [] == server_state(live_server, code)["groups"]  # a suggestion changes nothing
    own.screenshot(path=str(tmp_path / "suggestions.png"))

    suggestion.get_by_label("Group name").fill("Snow on sidewalks")
    suggestion.get_by_role("button", name="Accept").click()

    for board in (own, public):
        group = board.locator(".group")
        expect(group.locator(".note-text")).to_have_text(SNOW, timeout=LIVE_MS)
        expect(group.locator(".group-label")).to_have_text("Snow on sidewalks")
    assert [("Snow on sidewalks", 3)] == [
        (g["label"], len(g["note_ids"])) for g in server_state(live_server, code)["groups"]
    ]

    own.get_by_role("button", name="Undo", exact=True).click()
    for board in (own, public):
        expect(board.locator(".group")).to_have_count(0, timeout=LIVE_MS)
        expect(board.locator(".note")).to_have_count(5)
    assert [] == server_state(live_server, code)["groups"]


def test_a_dismissed_suggestion_leaves_the_board_alone(live_server, workshop, contexts):
    code = workshop["code"]
    own, public = boards(live_server, code, contexts)
    post_notes(live_server, code, SNOW)
    expect(own.locator(".note")).to_have_count(3, timeout=LIVE_MS)
    own.get_by_role("button", name="Suggest groups").click()
    suggestion = own.locator("#suggest-panel .suggestion[data-kind='group']")
    expect(suggestion).to_have_count(1, timeout=SUGGEST_MS)
    suggestion.get_by_role("button", name="Dismiss").click()
    expect(suggestion).to_have_count(0)
    assert [] == server_state(live_server, code)["groups"]
    expect(public.locator(".group")).to_have_count(0)
