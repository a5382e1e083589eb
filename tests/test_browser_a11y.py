"""Every page against WCAG 2.2 AA with axe-core, in real Chromium against a real server.

axe-core comes from npm (node_modules/axe-core). Pages allow only their own scripts (CSP), so
these contexts bypass the CSP to inject axe; nothing else about the pages changes.
"""

from __future__ import annotations

import re
import sqlite3

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.axe import AXE, axe_violations, describe
from tests.liveserver import LiveServer, running
from tests.pages import STEP_TIMEOUT_MS, sign_in
from workshop.notes.notes import COLORS

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
PROJECTOR = {"width": 1920, "height": 1080}
NOTE = "Benches by the bus stop, please"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running(LiveServer(tmp_path_factory.mktemp("a11y") / "data")) as server:
        yield server


@pytest.fixture(scope="module")
def scene(server) -> dict:
    """A workshop with prompts, a note from a phone, two printed cards and a scribe link."""
    workshop = server.create_workshop(
        title="Safer routes to school",
        description="A draft plan for walking and cycling to the three schools.",
        prompts=[{"text": "What is missing?"}, {"text": "Timeline right?", "section": "Timeline"}],
    )
    code = workshop["code"]
    facilitator = server.facilitator()
    phone = server.attendee(code, name="Ana")
    for color in COLORS:  # every note colour, for contrast and for telling them apart
        (phone if color == COLORS[0] else facilitator).post(
            f"{server.base_url}/api/workshops/{code}/notes",
            json={
                "text": f"Crossing guard at Elm St ({color})",
                "client_id": color,
                "color": color,
            },
        ).raise_for_status()
    facilitator.get(
        f"{server.base_url}/api/workshops/{code}/cards.pdf", params={"count": 2}, timeout=30
    ).raise_for_status()
    database = sqlite3.connect(f"file:{server.data_dir / 'workshop.db'}?mode=ro", uri=True)
    try:
        cards = [row[0] for row in database.execute("SELECT code FROM cards ORDER BY rowid")]
    finally:
        database.close()
    scribe = facilitator.post(f"{server.base_url}/api/workshops/{code}/scribe-links")
    scribe.raise_for_status()
    return {"code": code, "cards": cards, "scribe_url": scribe.json()["url"]}


@pytest.fixture
def contexts(browser: Browser):
    opened: list[BrowserContext] = []

    def open_context(base_url: str, viewport: dict, **options) -> BrowserContext:
        context = browser.new_context(
            base_url=base_url, viewport=viewport, bypass_csp=True, **options
        )
        context.set_default_timeout(STEP_TIMEOUT_MS)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert [] == [v["id"] for v in violations], describe(violations)


def open_live(context: BrowserContext, path: str) -> Page:
    page = context.new_page()
    page.goto(path)
    expect(page.locator("body")).to_have_attribute("data-live", "online")
    return page


def test_the_phone_page_after_sending_a_note(server, scene, contexts):
    page = open_live(
        contexts(server.base_url, PHONE, has_touch=True, is_mobile=True), f"/j/{scene['code']}"
    )
    page.locator("#note-text").fill(NOTE)
    page.get_by_role("button", name="Send note").click()
    expect(page.locator("#my-notes .my-note .status").first).to_have_text("received ✓")
    assert_accessible(page)


def test_the_phone_page_with_a_problem_shown(server, scene, contexts):
    page = open_live(contexts(server.base_url, PHONE), f"/j/{scene['code']}")
    page.get_by_role("button", name="Send note").click()
    expect(page.locator("#note-error")).to_be_visible()
    page.locator("details.name-box summary").click()
    assert_accessible(page)


@pytest.mark.parametrize("role", ["public", "facilitator"])
def test_the_board(server, scene, contexts, role):
    context = contexts(server.base_url, PROJECTOR)
    if role == "facilitator":
        sign_in(context, server)
    page = open_live(context, f"/w/{scene['code']}/board")
    expect(page.locator(".note").first).to_be_visible()
    assert_accessible(page)


def test_note_colours_differ_by_more_than_hue(server, scene, contexts):
    """Each colour has its own pattern on the board and on the phone's colour choices."""
    board = open_live(contexts(server.base_url, PROJECTOR), f"/w/{scene['code']}/board")
    expect(board.locator(f".note.note-{COLORS[-1]}")).to_have_count(1)
    patterns = board.evaluate(PATTERNS, [f".note.note-{color}" for color in COLORS])
    assert len(COLORS) == len(set(patterns)), patterns
    phone = contexts(server.base_url, PHONE).new_page()
    phone.goto(f"/j/{scene['code']}")
    swatches = phone.evaluate(PATTERNS, [f".swatch.note-{color}" for color in COLORS])
    assert patterns == swatches
    names = phone.locator(".swatch").all_inner_texts()
    assert [color.capitalize() for color in COLORS] == [name.strip("✓ ") for name in names]


PATTERNS = """(selectors) => selectors.map((selector) => {
  return getComputedStyle(document.querySelector(selector)).backgroundImage;
})"""


def test_the_facilitators_home(server, scene, contexts):
    context = contexts(server.base_url, LAPTOP)
    sign_in(context, server)
    page = context.new_page()
    page.goto("/")
    expect(page.get_by_text("Safer routes to school").first).to_be_visible()
    assert_accessible(page)


def test_the_manage_page(server, scene, contexts):
    context = contexts(server.base_url, LAPTOP)
    sign_in(context, server)
    page = open_live(context, f"/w/{scene['code']}/manage")
    assert_accessible(page)


@pytest.mark.parametrize(
    "path",
    ["/", "/?code=AB", "/no/such/page", "/j/ZZZZ", "/w/{code}/summary", "/c/{card}"],
    ids=["join", "join-typed", "404", "unknown-workshop", "summary", "card-attendee"],
)
def test_pages_anyone_opens(server, scene, contexts, path):
    page = contexts(server.base_url, PHONE).new_page()
    page.goto(path.format(code=scene["code"], card=scene["cards"][0]))
    page.wait_for_load_state("load")
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/card", "/c/{card}"], ids=["card-code", "card-scribe"])
def test_the_scribes_pages(server, scene, contexts, path):
    context = contexts(server.base_url, PHONE)
    page = context.new_page()
    page.goto(scene["scribe_url"])
    page.goto(path.format(card=scene["cards"][1]))
    page.wait_for_load_state("load")
    assert_accessible(page)


def test_the_axe_run_finds_a_real_problem(server, scene, contexts):
    """The check itself works: an image without a text alternative is reported."""
    page = contexts(server.base_url, PHONE).new_page()
    page.goto("/")
    page.evaluate("document.querySelector('main').append(document.createElement('img'))")
    assert "image-alt" in [v["id"] for v in axe_violations(page)]


def test_axe_core_is_the_npm_package():
    assert AXE.exists(), "run `npm ci` (axe-core is a dev dependency from the npm registry)"
    assert re.search(r"axe v\d+\.\d+", AXE.read_text()[:500])


# -- keyboard only ------------------------------------------------------------------------

FOCUS_RING = """(element) => {
  // A colour's radio is invisible over its swatch: the swatch shows the focus.
  const shown = element.type === 'radio' ? element.nextElementSibling : element;
  const style = getComputedStyle(shown);
  return {id: element.id || element.textContent.trim(), style: style.outlineStyle,
          width: parseFloat(style.outlineWidth), color: style.outlineColor};
}"""


def focused_ring(page: Page) -> dict:
    return page.evaluate_handle("document.activeElement").evaluate(FOCUS_RING)


def assert_focus_visible(page: Page) -> dict:
    ring = focused_ring(page)
    assert "none" != ring["style"] and ring["width"] >= 2, ring
    assert ring["color"] not in ("transparent", "rgba(0, 0, 0, 0)"), ring
    return ring


def tab_to(page: Page, element_id: str, limit: int = 25) -> None:
    """Press Tab until ``element_id`` has the focus, checking the focus is visible each time."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if assert_focus_visible(page)["id"] == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def test_a_note_is_written_coloured_and_sent_with_the_keyboard_only(server, scene, contexts):
    page = open_live(contexts(server.base_url, PHONE), f"/j/{scene['code']}")
    first = page.get_by_label("What is missing?")
    tab_to(page, first.get_attribute("id"))  # the questions: none chosen until a key says so
    page.keyboard.press("Space")
    expect(first).to_be_checked()
    tab_to(page, "note-text")
    page.keyboard.type("Typed without a mouse")
    tab_to(page, "color-yellow")  # the checked colour of the group
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#color-blue")).to_be_checked()
    assert "color-blue" == assert_focus_visible(page)["id"]
    tab_to(page, "Send note")
    page.keyboard.press("Enter")

    status = page.get_by_role("status").filter(has_text="✓")
    expect(status).to_have_text(re.compile("received ✓", re.I))
    expect(page.locator("#send-status")).to_have_attribute("role", "status")
    notes = server.facilitator().get(f"{server.base_url}/api/workshops/{scene['code']}/notes")
    [note] = [n for n in notes.json() if n["text"] == "Typed without a mouse"]
    assert ("blue", "phone") == (note["color"], note["source"])


# -- old and small phones -----------------------------------------------------------------


def test_a_note_is_sent_with_javascript_off(server, scene, contexts):
    context = contexts(server.base_url, PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/j/{scene['code']}")
    page.get_by_label("Your note", exact=True).fill("Sent from an old phone")
    page.get_by_label("What is missing?").check()
    page.locator("label[for=color-green]").click()
    page.get_by_role("button", name="Send note").click()

    expect(page).to_have_url(re.compile(rf"/j/{scene['code']}\?sent=1$"))
    expect(page.get_by_role("status").filter(has_text="✓")).to_have_text(
        "received ✓ — your note is on the board. Add another?"
    )
    notes = server.facilitator().get(f"{server.base_url}/api/workshops/{scene['code']}/notes")
    [note] = [n for n in notes.json() if n["text"] == "Sent from an old phone"]
    assert ("green", "phone") == (note["color"], note["source"])


def test_an_empty_note_without_javascript_says_why(server, scene, contexts):
    page = contexts(server.base_url, PHONE, java_script_enabled=False).new_page()
    page.goto(f"/j/{scene['code']}")
    page.get_by_role("button", name="Send note").click()
    expect(page.get_by_role("alert")).to_contain_text("note")
    assert_accessible_without_script(page)


def assert_accessible_without_script(page: Page) -> None:
    """axe needs JavaScript: run it on the same HTML in a page that has it."""
    html = page.content()
    scripted = page.context.browser.new_context(bypass_csp=True, base_url=page.url)
    try:
        copy = scripted.new_page()
        copy.route("**/*.js*", lambda route: route.abort())  # the page's own scripts stay off
        copy.set_content(html)
        assert_accessible(copy)
    finally:
        scripted.close()


@pytest.mark.parametrize("zoom", ["text-200", "device-scale-2"])
def test_the_phone_page_fits_320_px_with_text_at_200_percent(server, scene, contexts, zoom):
    options = {"device_scale_factor": 2} if zoom == "device-scale-2" else {}
    page = open_live(
        contexts(server.base_url, {"width": 320, "height": 640}, **options), f"/j/{scene['code']}"
    )
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    page.locator("#note-text").fill("A long note " * 10 + "withaverylongwordthatdoesnotbreak" * 2)
    page.get_by_role("button", name="Send note").click()
    expect(page.locator("#my-notes .my-note .status").first).to_have_text("received ✓")
    page.locator("#plan > summary").click()
    page.locator("details.name-box summary").click()
    widths = page.evaluate(
        "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"horizontal scroll at 320 px: {widths}"


ANIMATED = """() => [...document.querySelectorAll('*')]
  .filter((element) => {
    const style = getComputedStyle(element);
    return style.animationName !== 'none' && parseFloat(style.animationDuration) > 0;
  })
  .map((element) => `${element.tagName}.${element.className}`)"""


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_new_notes_arrive_without_motion_when_the_device_asks(server, scene, contexts, motion):
    board = open_live(
        contexts(server.base_url, PROJECTOR, reduced_motion=motion), f"/w/{scene['code']}/board"
    )
    text = f"Arrives with motion {motion}"
    server.facilitator().post(
        f"{server.base_url}/api/workshops/{scene['code']}/notes",
        json={"text": text, "client_id": f"motion-{motion}"},
    ).raise_for_status()
    expect(board.locator(".note.is-new").filter(has_text=text)).to_have_count(1)
    animated = board.evaluate(ANIMATED)
    if motion == "reduce":
        assert [] == animated
    else:
        assert animated, "the check should see the arrival animation when motion is allowed"
