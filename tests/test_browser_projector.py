"""Projector mode on the board, in real Chromium against a real server: the high-contrast
theme, the text size (buttons and keys) and the big QR screen (static/js/board/view.js,
board/projector.js, static/css/projector.css).

Screenshots of the high-contrast board and of the big QR screen go to /tmp/projector-*.png
for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.axe import axe_violations, describe
from tests.liveserver import LiveServer, running
from workshop.notes.notes import COLORS

pytestmark = pytest.mark.browser

SMALL_PROJECTOR = {"width": 1280, "height": 720}
SHOTS = Path("/tmp")

BACKGROUND = "(selector) => getComputedStyle(document.querySelector(selector)).backgroundColor"
FONT_SIZE = "() => parseFloat(getComputedStyle(document.querySelector('.note')).fontSize)"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running(LiveServer(tmp_path_factory.mktemp("projector") / "data")) as server:
        yield server


@pytest.fixture(scope="module")
def scene(server) -> dict:
    """Voting on a board with a note of every colour, a note in each section, a group, dots
    on three notes, a hidden note (the facilitator sees it) and a running timer."""
    workshop = server.create_workshop(
        title="Safer routes to school",
        sections=[{"title": "Roles"}, {"title": "Timeline"}],
        prompts=[{"text": "What is missing?"}],
    )
    code = workshop["code"]
    base = server.base_url
    facilitator = server.facilitator()
    ids = []
    for index, color in enumerate(COLORS * 2):
        response = facilitator.post(
            f"{base}/api/workshops/{code}/notes",
            json={
                "text": f"Crossing guard at Elm St ({color})",
                "client_id": f"p{index}",
                "color": color,
            },
        )
        response.raise_for_status()
        ids.append(response.json()["id"])
    roles, timeline = (s["id"] for s in workshop["sections"])
    for note_id, section_id in [(ids[0], roles), (ids[1], roles), (ids[2], timeline)]:
        facilitator.patch(
            f"{base}/api/notes/{note_id}", json={"section_id": section_id}
        ).raise_for_status()
    facilitator.post(
        f"{base}/api/workshops/{code}/groups", json={"note_ids": ids[3:6], "label": "Crossings"}
    ).raise_for_status()
    facilitator.patch(f"{base}/api/notes/{ids[7]}", json={"hidden": True}).raise_for_status()
    facilitator.put(f"{base}/api/workshops/{code}/phase", json={"phase": "vote"}).raise_for_status()
    for note_id, count in [(ids[0], 3), (ids[4], 1), (ids[9], 12)]:
        facilitator.put(
            f"{base}/api/notes/{note_id}/dots", json={"count": count}
        ).raise_for_status()
    facilitator.post(
        f"{base}/api/workshops/{code}/timer",
        json={"action": "start", "seconds": 600, "label": "Voting"},
    ).raise_for_status()
    return {"code": code}


def open_board(server, context: BrowserContext, code: str, role: str = "public") -> Page:
    if role == "facilitator":
        page = context.new_page()
        page.goto(f"/facilitator?token={server.token}")
        expect(page.get_by_role("heading", name="New workshop")).to_be_visible()
        page.close()
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"/w/{code}/board")
    expect(page.locator("body")).to_have_attribute("data-live", "online")
    expect(page.locator(".note").first).to_be_visible()
    page.problems = problems  # type: ignore[attr-defined]  # our own field on a Playwright Page
    return page


def contrast_button(page: Page):
    return page.get_by_role("button", name="High contrast")


# -- high contrast -----------------------------------------------------------------------------


def test_high_contrast_changes_the_board_and_is_remembered(server, scene, contexts):
    page = open_board(server, contexts(server.base_url), scene["code"])
    html = page.locator("html")
    button = contrast_button(page)
    expect(button).to_have_attribute("aria-pressed", "false")
    before = {s: page.evaluate(BACKGROUND, s) for s in ("body", ".note.note-pink", ".column")}

    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(html).to_have_class(re.compile(r"\btheme-contrast\b"))
    after = {s: page.evaluate(BACKGROUND, s) for s in before}
    assert "rgb(0, 0, 0)" == after["body"]
    assert all(before[s] != after[s] for s in before), (before, after)
    # Still one pattern per colour, drawn in solid black.
    patterns = page.evaluate(
        "(colors) => colors.map((c) =>"
        " getComputedStyle(document.querySelector('.note.note-' + c)).backgroundImage)",
        list(COLORS),
    )
    assert len(set(patterns)) == len(COLORS), patterns
    assert all("rgb(0, 0, 0)" in p for p in patterns[1:]), patterns

    page.reload()
    expect(page.locator(".note").first).to_be_visible()
    expect(html).to_have_class(re.compile(r"\btheme-contrast\b"))
    expect(contrast_button(page)).to_have_attribute("aria-pressed", "true")
    assert after["body"] == page.evaluate(BACKGROUND, "body")

    contrast_button(page).click()
    expect(html).not_to_have_class(re.compile(r"\btheme-contrast\b"))
    assert before["body"] == page.evaluate(BACKGROUND, "body")
    assert [] == page.problems


@pytest.mark.parametrize("role", ["public", "facilitator"])
def test_the_high_contrast_board_passes_axe_with_aaa_text_contrast(server, scene, contexts, role):
    page = open_board(server, contexts(server.base_url, bypass_csp=True), scene["code"], role)
    contrast_button(page).click()
    expect(page.locator("html")).to_have_class(re.compile(r"\btheme-contrast\b"))
    expect(page.locator(".note-dots").first).to_be_visible()
    expect(page.locator(".group")).to_have_count(1)
    expect(page.locator("#room-timer")).to_be_visible()
    page.screenshot(path=str(SHOTS / f"projector-contrast-{role}.png"), animations="disabled")
    violations = axe_violations(page, aaa_contrast=True)
    assert [] == [v["id"] for v in violations], describe(violations)
    # The notes' own text, worked out here too (axe may skip text over a pattern).
    ratios = page.evaluate(NOTE_CONTRAST)
    assert ratios and min(ratios.values()) >= 7, ratios


NOTE_CONTRAST = """() => {
  const rgb = (value) => value.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => {
    const [r, g, b] = c.map((v) =>
      (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const out = {};
  for (const text of document.querySelectorAll('.note .note-text, .note .note-meta span')) {
    const note = text.closest('.note');
    const key = `${note.className.match(/note-(\\w+)/)[1]} ${text.className}`;
    let under = text; // the nearest background drawn behind the text
    const clear = (node) => /rgba\\(.*, 0\\)$/.test(getComputedStyle(node).backgroundColor);
    while (clear(under)) under = under.parentElement;
    const value = ratio(getComputedStyle(text).color, getComputedStyle(under).backgroundColor);
    out[key] = Math.min(out[key] ?? Infinity, Math.round(value * 100) / 100);
  }
  return out;
}"""


def test_the_focus_ring_is_thick_and_yellow_in_high_contrast(server, scene, contexts):
    page = open_board(server, contexts(server.base_url), scene["code"])
    contrast_button(page).click()
    page.get_by_role("button", name="Big QR").focus()
    page.keyboard.press("Shift+Tab")  # to the contrast button, by keyboard: :focus-visible
    ring = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.id, s.outlineStyle, parseFloat(s.outlineWidth),"
        " s.outlineColor]; }"
    )
    assert ["contrast-toggle", "solid", 4.0, "rgb(255, 255, 0)"] == ring


# -- text size -----------------------------------------------------------------------------------


def test_the_text_size_buttons_and_keys_change_the_notes_font_size(server, scene, contexts):
    page = open_board(server, contexts(server.base_url), scene["code"])
    usual = page.evaluate(FONT_SIZE)
    larger = page.get_by_role("button", name="Larger text")
    smaller = page.get_by_role("button", name="Smaller text")
    reset = page.get_by_role("button", name="Reset the text size")
    expect(larger).to_have_attribute("title", "Larger text (key: +)")
    expect(smaller).to_have_attribute("title", "Smaller text (key: -)")
    expect(reset).to_have_attribute("title", "Reset the text size (key: 0)")
    expect(contrast_button(page)).to_have_attribute("title", re.compile(r"\(key: C\)$"))
    expect(page.get_by_role("button", name="Big QR")).to_have_attribute(
        "title", re.compile(r"\(key: Q\)$")
    )

    larger.click()
    larger.click()
    expect(reset).to_have_text("120%")
    assert page.evaluate(FONT_SIZE) == pytest.approx(usual * 1.2, rel=0.02)
    smaller.click()
    expect(reset).to_have_text("110%")
    reset.click()
    expect(reset).to_have_text("100%")
    assert page.evaluate(FONT_SIZE) == pytest.approx(usual, rel=0.01)

    page.locator("body").click(position={"x": 5, "y": 700})  # nothing focused: the page's keys
    for key, shown in [("+", "110%"), ("=", "120%"), ("+", "130%"), ("-", "120%")]:
        page.keyboard.press(key)
        expect(reset).to_have_text(shown)
    assert page.evaluate(FONT_SIZE) == pytest.approx(usual * 1.2, rel=0.02)
    page.keyboard.press("0")
    expect(reset).to_have_text("100%")
    assert page.evaluate(FONT_SIZE) == pytest.approx(usual, rel=0.01)

    page.keyboard.press("c")
    expect(page.locator("html")).to_have_class(re.compile(r"\btheme-contrast\b"))
    page.keyboard.press("C")
    expect(page.locator("html")).not_to_have_class(re.compile(r"\btheme-contrast\b"))

    page.reload()  # the size is remembered, like the zoom was
    page.keyboard.press("+")
    expect(page.get_by_role("button", name="Reset the text size")).to_have_text("110%")
    page.reload()
    expect(page.get_by_role("button", name="Reset the text size")).to_have_text("110%")


def test_the_keys_leave_typing_and_a_focused_card_alone(server, scene, contexts):
    page = open_board(server, contexts(server.base_url), scene["code"], "facilitator")
    reset = page.get_by_role("button", name="Reset the text size")
    page.get_by_role("button", name="Plan", exact=True).click()
    field = page.locator(
        ".side-panel:not([hidden]) input[type=text], .side-panel:not([hidden]) input:not([type])"
    ).last
    field.fill("")
    field.type("c+0-q=")
    expect(field).to_have_value("c+0-q=")
    expect(reset).to_have_text("100%")
    expect(page.locator("html")).not_to_have_class(re.compile(r"\btheme-contrast\b"))
    expect(page.locator("#big-qr")).not_to_be_visible()
    page.get_by_role("button", name="Plan", exact=True).click()

    page.keyboard.press("+")  # the focus is on a button again: the keys are the board's
    expect(reset).to_have_text("110%")
    # On a focused card, 0 belongs to the keyboard sorting path (board/keys.js).
    page.locator(".column.is-unsorted .note").first.focus()
    page.keyboard.press("0")
    expect(reset).to_have_text("110%")
    page.keyboard.press("-")  # not a card's key: the size still changes from there
    expect(reset).to_have_text("100%")


# -- the big QR screen ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["public", "facilitator"])
def test_the_big_qr_screen_opens_from_its_button_and_closes_with_escape(
    server, scene, contexts, role
):
    page = open_board(server, contexts(server.base_url, SMALL_PROJECTOR), scene["code"], role)
    button = page.get_by_role("button", name="Big QR")
    button.click()
    dialog = page.get_by_role("dialog", name="Join on your phone")
    expect(dialog).to_be_visible()
    image = dialog.get_by_role("img", name=re.compile("^QR code to join: http"))
    expect(image).to_be_visible()
    page.wait_for_function("() => document.querySelector('.big-qr-image').naturalWidth > 0")
    box = image.bounding_box()
    assert box and box["width"] >= 0.6 * min(SMALL_PROJECTOR.values()), box
    assert box["x"] >= 0 and box["y"] >= 0 and box["y"] + box["height"] <= SMALL_PROJECTOR["height"]
    expect(dialog.locator(".big-qr-code")).to_have_text(scene["code"])
    expect(dialog).to_contain_text("Scan with your phone's camera, or open the address")
    expect(dialog.locator(".big-qr-url")).to_have_text(re.compile(rf"/j/{scene['code']}$"))
    code_size = dialog.locator(".big-qr-code").evaluate(
        "(e) => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert code_size >= 100, code_size
    assert page.evaluate("() => document.activeElement.closest('dialog') !== null")  # focus inside
    if role == "public":
        page.screenshot(path=str(SHOTS / "projector-big-qr.png"), animations="disabled")

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(button).to_be_focused()
    assert [] == page.problems


def test_the_big_qr_screen_opens_with_q_and_closes_with_a_click_anywhere(server, scene, contexts):
    page = open_board(server, contexts(server.base_url, SMALL_PROJECTOR), scene["code"])
    contrast_button(page).click()
    page.locator("body").click(position={"x": 5, "y": 700})
    page.keyboard.press("q")
    dialog = page.locator("#big-qr")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".big-qr-code")).to_have_text(scene["code"])
    page.wait_for_function("() => document.querySelector('.big-qr-image').naturalWidth > 0")
    page.screenshot(path=str(SHOTS / "projector-big-qr-contrast.png"), animations="disabled")
    page.mouse.click(200, 300)  # on the QR itself
    expect(dialog).to_be_hidden()

    page.keyboard.press("Q")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    page.keyboard.press("q")
    expect(dialog).to_be_visible()
    page.keyboard.press("q")  # Q again closes it
    expect(dialog).to_be_hidden()


def test_the_big_qr_screen_fits_a_portrait_screen(server, scene, contexts):
    viewport = {"width": 720, "height": 1280}
    page = open_board(server, contexts(server.base_url, viewport), scene["code"])
    page.get_by_role("button", name="Big QR").click()
    image = page.locator(".big-qr-image")
    expect(image).to_be_visible()
    box = image.bounding_box()
    assert box and box["width"] >= 0.6 * viewport["width"], box
    code = page.locator(".big-qr-code").bounding_box()
    assert code and code["y"] + code["height"] <= viewport["height"], code
    page.screenshot(path=str(SHOTS / "projector-big-qr-portrait.png"), animations="disabled")


# -- motion and print ------------------------------------------------------------------------------


def test_reduced_motion_turns_transitions_off(server, scene, contexts):
    page = open_board(server, contexts(server.base_url, reduced_motion="reduce"), scene["code"])
    durations = page.evaluate(
        "() => ['.view-tools', '.note'].map((s) =>"
        " getComputedStyle(document.querySelector(s)).transitionDuration)"
    )
    assert ["0s", "0s"] == durations
    page.get_by_role("button", name="Big QR").click()
    assert "none" == page.locator("#big-qr").evaluate("(e) => getComputedStyle(e).animationName")


def test_printed_the_board_has_no_view_tools_and_no_contrast_theme(server, scene, contexts):
    page = open_board(server, contexts(server.base_url), scene["code"])
    contrast_button(page).click()
    page.emulate_media(media="print")
    expect(page.locator(".view-tools")).to_be_hidden()
    assert "rgb(0, 0, 0)" != page.evaluate(BACKGROUND, "body")
