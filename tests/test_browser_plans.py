"""The plan pages in real Chromium against a real server: the facilitator's plan page
filters by session and revises a section citing notes ticked in two sessions; the public
plan page shows what changed and why with JavaScript switched off."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.axe import axe_violations, describe
from tests.pages import sign_in, watch

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SECTIONS = [
    {"title": "Roles", "body": "The parks department leads."},
    {"title": "Timeline", "body": "Kickoff in March."},
]
NOTES = {
    "Library": "March is too soon for parents",
    "School": "Parents need more time before kickoff",
    "": "Ask the bus company to help",
}


@pytest.fixture
def programme(live_server) -> dict:
    """A plan with two workshops and an online window, a phone note in each, filed in the
    plan's sections by the facilitator."""
    base = live_server.base_url
    with live_server.facilitator() as facilitator:
        plan = facilitator.post(
            f"{base}/api/plans", json={"title": "Safer routes", "sections": SECTIONS}, timeout=30
        ).json()
        sessions = []
        for venue, kind, section in (
            ("Library", "workshop", 1),
            ("School", "workshop", 1),
            ("", "online", 0),
        ):
            session = facilitator.post(
                f"{base}/api/plans/{plan['code']}/sessions",
                json={"venue": venue, "kind": kind, "date": "2027-03-01"},
                timeout=30,
            ).json()
            with live_server.attendee(session["code"]) as phone:
                note = phone.post(
                    f"{base}/api/workshops/{session['code']}/notes",
                    json={"text": NOTES[venue], "client_id": f"c-{session['code']}"},
                    timeout=30,
                ).json()
            facilitator.patch(
                f"{base}/api/notes/{note['id']}",
                json={"section_id": session["sections"][section]["id"]},
                timeout=30,
            ).raise_for_status()
            sessions.append(session)
    return {"plan": plan, "sessions": sessions}


def signed_in(contexts, live_server) -> BrowserContext:
    context = contexts(live_server.base_url, LAPTOP)
    sign_in(context, live_server)
    return context


def test_the_plan_page_filters_by_session_and_revises_citing_two_sessions(
    contexts, live_server, programme
):
    problems: list[str] = []
    page = watch(signed_in(contexts, live_server).new_page(), problems)
    code = programme["plan"]["code"]
    page.goto(f"/plans/{code}")
    notes = page.locator(".heard-note")
    expect(notes).to_have_count(3)
    expect(page.locator("#apply-filters")).to_be_hidden()  # the script applies on change

    school = programme["sessions"][1]["code"]
    page.locator("#f-session").select_option(school)
    expect(page).to_have_url(f"{live_server.base_url}/plans/{code}?session={school}&channel=")
    expect(notes).to_have_count(1)
    expect(notes.first).to_contain_text(NOTES["School"])
    expect(page.locator(".session-column")).to_have_count(2)  # one per section, one session

    # A change before the reloaded page's script has run is lost (the Apply button is there
    # for that): wait until the script has taken the filters over, as it hides the button.
    expect(page.locator("#apply-filters")).to_be_hidden()
    page.locator("#f-session").select_option("")
    expect(notes).to_have_count(3)
    for text in (NOTES["Library"], NOTES["School"]):
        page.locator(".heard-note", has_text=text).get_by_role("checkbox").check()
    timeline = page.locator(".plan-section", has_text="Kickoff in March.")
    timeline.get_by_text("Revise this section").click()
    timeline.get_by_label("Text").fill("Kickoff in May, once parents have had time.")
    timeline.get_by_label("Why it changes").fill("Parents at two sessions asked for time.")
    timeline.get_by_label("Who").fill("Ana Ruiz")
    timeline.get_by_role("button", name="Save the revision").click()
    expect(page.locator(".plan-section", has_text="Kickoff in May")).to_contain_text("version 2")

    page.goto(f"/p/{code}")
    change = page.locator(".change")
    expect(change).to_contain_text("Parents at two sessions asked for time.")
    expect(change.locator(".quoted-note")).to_have_count(2)
    assert [] == problems


def test_the_public_plan_page_works_without_javascript(contexts, live_server, programme):
    code = programme["plan"]["code"]
    timeline = programme["plan"]["sections"][1]["id"]
    library_note = None
    with live_server.facilitator() as facilitator:
        heard = facilitator.get(f"{live_server.base_url}/api/plans/{code}/heard", timeout=30)
        for column in heard.json()["sections"][1]["columns"]:
            library_note = library_note or (column["notes"] or [None])[0]
        facilitator.post(
            f"{live_server.base_url}/api/plan-sections/{timeline}/revisions",
            json={
                "body": "Kickoff in May.",
                "reason": "Parents asked for time.",
                "note_ids": [library_note["id"]],
            },
            timeout=30,
        ).raise_for_status()
        step = facilitator.post(
            f"{live_server.base_url}/api/plans/{code}/next-steps",
            json={"text": "Hold a parents' evening"},
            timeout=30,
        ).json()
        facilitator.post(
            f"{live_server.base_url}/api/plan-steps/{step['id']}/updates",
            json={"status": "done", "note": "held at the school", "date": "2027-04-28"},
            timeout=30,
        ).raise_for_status()
    context = contexts(live_server.base_url, PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/p/{code}")
    expect(page.get_by_role("heading", name="Safer routes")).to_be_visible()
    expect(page.locator(".change-reason")).to_have_text("Why: Parents asked for time.")
    expect(page.locator(".quoted-note")).to_contain_text(NOTES["Library"])
    expect(page.locator(".history")).to_contain_text("Apr 28, 2027: done — held at the school")
    page.get_by_text("The text before").click()  # <details> opens without a script
    expect(page.locator(".change-before")).to_contain_text("Kickoff in March.")
    page.get_by_role("link", name="Español").click()
    expect(page.get_by_role("heading", name="Qué cambió y por qué")).to_be_visible()
    assert 0 == page.locator("script[src]").count()


def test_a_plan_and_a_session_of_it_are_made_in_the_browser(contexts, live_server):
    problems: list[str] = []
    page = watch(signed_in(contexts, live_server).new_page(), problems)
    page.goto("/")
    page.get_by_text("New plan", exact=True).click()
    page.locator("#p-title").fill("Parks data plan")
    page.locator("#p-sections").fill("Roles | Who does what\nTimeline | By June")
    page.get_by_role("button", name="Create plan").click()
    expect(page.get_by_role("heading", name="Parks data plan")).to_be_visible()
    expect(page.locator(".plan-section h3")).to_have_count(2)
    page.get_by_text("New session of this plan").click()
    page.locator("#s-kind").select_option("focus-group")
    page.locator("#s-venue").fill("Community centre")
    page.locator("#s-date").fill("2027-05-04")
    page.get_by_role("button", name="Create session").click()
    row = page.locator("#session-counts tbody tr[data-session]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Community centre · May 4, 2027")
    expect(row).to_contain_text("focus group")
    page.goto("/")
    expect(page.locator(".plan-list")).to_contain_text("1 session")
    assert [] == problems


def test_the_plan_pages_pass_wcag_aa(contexts, live_server, programme):
    code = programme["plan"]["code"]
    context = contexts(live_server.base_url, LAPTOP, bypass_csp=True)  # to inject axe
    page = context.new_page()
    page.goto(f"/facilitator?token={live_server.token}")
    for path in (f"/plans/{code}", f"/p/{code}"):
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        violations = axe_violations(page)
        assert [] == violations, f"{path}: {describe(violations)}"
