"""The presenter console on the facilitator's laptop (1280×800), in real Chromium against a
real server: each row of controls holds on one line at a legible size, every control is
labelled, nothing covers the header or its join QR code: at rest, with the Log or the Plan
open, while a card is picked up with the keyboard, chosen with a click or dragged.

Screenshots go to /tmp/console-*.png for a person to look at.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.liveserver import LiveServer, running
from tests.pages import open_page, sign_in
from tests.test_browser_sorting import card, center

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
ROWS = [".facilitator-bar", ".projector-console", ".room-bar"]
SMALLEST_PX = 14

# Every visible control of each console row, and the boxes it must keep clear of.
GEOMETRY = """(rows) => {
  const box = (node) => { const r = node.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const shown = (node) => { const r = node.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(node).visibility !== "hidden"; };
  const name = (node) => (node.getAttribute("aria-label") || node.textContent || node.title
    || (node.id && document.querySelector(`label[for="${node.id}"]`)?.textContent) || "").trim();
  const controls = (row) => [...row.querySelectorAll("button, select, a, summary, input")]
    .filter((node) => shown(node) && !node.closest("details:not([open]) > :not(summary)"))
    .map((node) => ({name: name(node), font: parseFloat(getComputedStyle(node).fontSize),
                     ...box(node)}));
  const panels = [...document.querySelectorAll(".side-panel")].filter(shown).map(box);
  return {
    header: box(document.querySelector(".board-header")),
    qr: box(document.querySelector(".join-box")),
    board: box(document.getElementById("board")),
    rows: rows.map((selector) => ({selector, box: box(document.querySelector(selector)),
                                   controls: controls(document.querySelector(selector))})),
    panels,
  };
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running(LiveServer(tmp_path_factory.mktemp("console") / "data")) as server:
        yield server


@pytest.fixture
def laptop(server, contexts) -> Page:
    workshop = server.create_workshop(
        title="Safer routes to school", prompts=[{"text": "What is missing from this plan?"}]
    )
    code = workshop["code"]
    session = server.facilitator()
    for number, text in enumerate(["A crossing guard", "Bike racks", "Lighting on Elm St"]):
        session.post(
            f"{server.base_url}/api/workshops/{code}/notes",
            json={"text": text, "client_id": f"c{number}"},
        ).raise_for_status()
    context = contexts(server.base_url, LAPTOP)
    sign_in(context, server)
    page = open_page(context, f"/w/{code}/board")
    expect(page.locator(".note")).to_have_count(3)
    return page


def rows(seen: dict) -> list[list[tuple]]:
    """Each row's controls by name and place."""
    return [[(c["name"], c["left"], c["top"]) for c in row["controls"]] for row in seen["rows"]]


def overlaps(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and (b["top"] < a["bottom"])
    )


def assert_calm(page: Page, shot: str) -> dict:
    """Each console row on one line, legible, labelled, clear of the header, the join QR code
    and any open side panel."""
    page.screenshot(path=f"/tmp/console-{shot}.png")
    seen = page.evaluate(GEOMETRY, ROWS)
    for row in seen["rows"]:
        controls = row["controls"]
        assert controls, row["selector"]
        # One line: every control's box shares a band of height with every other's.
        assert max(c["top"] for c in controls) < min(c["bottom"] for c in controls), row
        for control in controls:
            where = f"{shot}: {row['selector']} {control['name']!r}"
            assert control["name"], where
            assert control["font"] >= SMALLEST_PX, where
            assert 0 <= control["left"] and control["right"] <= LAPTOP["width"], where
            assert control["top"] >= seen["header"]["bottom"], where
            assert not overlaps(control, seen["qr"]), where
            for panel in seen["panels"]:
                assert not overlaps(control, panel), where
    for panel in seen["panels"]:
        assert not overlaps(panel, seen["header"]), shot
        assert panel["top"] >= seen["rows"][-1]["box"]["bottom"] - 1, shot
    return seen


def test_the_console_holds_on_one_line_per_row_at_rest(laptop):
    seen = assert_calm(laptop, "rest")
    # The phase menu names the phases; it never shows a protocol word such as "gather".
    options = laptop.locator("#phase-select option")
    assert ["Writing", "Sorting", "Voting", "Next steps", "Closed"] == options.all_text_contents()
    # The other pages are one click away, in the Facilitator menu.
    menu = laptop.locator("#console-menu > summary")
    expect(menu).to_have_attribute("aria-label", "Facilitator: other pages")
    menu.click()
    expect(laptop.get_by_role("link", name="Manage")).to_be_visible()
    laptop.keyboard.press("Escape")
    expect(laptop.get_by_role("link", name="Manage")).to_be_hidden()
    assert seen["board"]["top"] >= seen["rows"][-1]["box"]["bottom"]


@pytest.mark.parametrize("panel", ["Log", "Plan", "Suggest groups"])
def test_a_side_panel_opens_below_the_console_and_covers_no_control(laptop, panel):
    before = laptop.evaluate(GEOMETRY, ROWS)
    laptop.get_by_role("button", name=panel, exact=True).click()
    expect(laptop.locator(".side-panel:visible")).to_have_count(1)
    seen = assert_calm(laptop, panel.lower().replace(" ", "-"))
    assert (before["header"], before["qr"]) == (seen["header"], seen["qr"])
    assert [r["box"] for r in before["rows"]] == [r["box"] for r in seen["rows"]]


def test_picking_up_choosing_or_dragging_a_card_changes_nothing_in_the_console(laptop):
    before = laptop.evaluate(GEOMETRY, ROWS)

    card(laptop, "Bike racks").focus()
    laptop.keyboard.press("Enter")  # picked up
    expect(card(laptop, "Bike racks")).to_have_class(re.compile(r"\bis-picked\b"))
    assert rows(before) == rows(assert_calm(laptop, "picked-up"))
    laptop.keyboard.press("Escape")

    card(laptop, "A crossing guard").locator(".note-text").click()
    card(laptop, "Lighting on Elm St").locator(".note-text").click(modifiers=["Control"])
    expect(laptop.get_by_role("button", name="Group selected")).to_be_enabled()
    assert rows(before) == rows(assert_calm(laptop, "chosen"))

    laptop.keyboard.press("Escape")  # the selection cleared
    laptop.mouse.move(700, 600)  # away from the cards clicked (their controls hang below them)
    x, y = center(card(laptop, "Bike racks"))
    laptop.mouse.move(x, y, steps=4)
    laptop.mouse.down()
    laptop.mouse.move(x + 8, y + 8, steps=2)  # past sortablejs's click tolerance
    laptop.mouse.move(x + 40, y + 60, steps=8)
    expect(laptop.locator("#board")).to_have_class(re.compile(r"\bis-dragging\b"))
    assert rows(before) == rows(assert_calm(laptop, "dragging"))
    laptop.mouse.move(x, y, steps=4)
    laptop.mouse.up()
