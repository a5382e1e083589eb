"""Sorting the board in real Chromium against a real server: drag and drop, the keyboard path,
groups, undo, the plan text, a read-only public board and a 500-note board.

The facilitator's board and a second (public) board run side by side; every change made on
the first must reach the second through the server's events. Every wait has a timeout.
"""

from __future__ import annotations

import re
import time

import pytest
import requests
from playwright.sync_api import Locator, Page, expect

from tests.pages import LIVE_MS, STEP_TIMEOUT_MS, fetches, open_page, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1920, "height": 1080}
SORTABLE_TICK_MS = 120  # sortablejs looks under the pointer every 50 ms while dragging


@pytest.fixture
def workshop(live_server) -> dict:
    return live_server.create_workshop(
        title="Safer routes",
        prompts=[{"text": "What is missing?"}, {"text": "Who else should we ask?"}],
    )


def section(workshop: dict, title: str) -> dict:
    return next(s for s in workshop["sections"] if s["title"] == title)


def post_notes(live_server, code: str, texts: list[str]) -> list[dict]:
    """Notes from the facilitator's own session (no per-phone rate limit)."""
    session = live_server.facilitator()
    notes = []
    for text in texts:
        response = session.post(
            f"{live_server.base_url}/api/workshops/{code}/notes",
            json={"text": text, "client_id": f"sort-{text}"},
            timeout=30,
        )
        response.raise_for_status()
        notes.append(response.json())
    return notes


def server_state(live_server, code: str) -> dict:
    response = live_server.facilitator().get(
        f"{live_server.base_url}/api/workshops/{code}/state", timeout=30
    )
    response.raise_for_status()
    return response.json()


def boards(live_server, code: str, contexts, problems: list[str] | None = None):
    """The facilitator's board and a public board of the same workshop, both live."""
    facilitator = contexts(live_server.base_url)
    sign_in(facilitator, live_server)
    own = open_page(facilitator, f"/w/{code}/board", problems)
    public = open_page(contexts(live_server.base_url), f"/w/{code}/board", problems)
    return own, public


def card(board: Page, text: str) -> Locator:
    return board.locator(".note").filter(has=board.get_by_text(text, exact=True))


def column(board: Page, section_id: int | None) -> Locator:
    key = "unsorted" if section_id is None else str(section_id)
    return board.locator(f".column[data-column='{key}']")


def column_texts(board: Page, section_id: int | None) -> Locator:
    return column(board, section_id).locator(".note-text")


def box_of(locator: Locator) -> dict:
    """Where the element is on screen. A live update may redraw it just then (the board
    re-renders a column when a change arrives): wait until it is drawn again."""
    deadline = time.monotonic() + STEP_TIMEOUT_MS / 1000
    while True:
        locator.wait_for(state="visible")
        box = locator.bounding_box()
        if box is not None:
            return box
        assert time.monotonic() < deadline, "the element is not on screen"
        time.sleep(0.05)


def center(locator: Locator) -> tuple[float, float]:
    box = box_of(locator)
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def drag(page: Page, source: Locator, to: tuple[float, float]) -> None:
    """Press on ``source``, move the mouse in steps to ``to`` and let go, as a person does."""
    x, y = center(source)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 8, y + 8, steps=2)  # past sortablejs's click tolerance
    page.mouse.move(*to, steps=12)
    page.wait_for_timeout(SORTABLE_TICK_MS)
    page.mouse.move(to[0] + 1, to[1] + 1)
    page.wait_for_timeout(SORTABLE_TICK_MS)
    page.mouse.up()


def reloads(made: list[str]) -> list[str]:
    """The page loads and fetches of the state among ``made`` (tests.pages.fetches)."""
    return [m for m in made if "/api/" not in m or m.split("?")[0].endswith("/state")]


def status(board: Page) -> Locator:
    return board.locator("#sort-status")


def test_a_a_note_dragged_into_timeline_is_there_on_the_second_board(
    live_server, workshop, contexts
):
    code = workshop["code"]
    timeline = section(workshop, "Timeline")["id"]
    problems: list[str] = []
    own, public = boards(live_server, code, contexts, problems)
    second_screen = open_page(own.context, f"/w/{code}/board", problems)  # the facilitator's
    post_notes(live_server, code, ["March is too early", "Add a session in June"])
    expect(card(public, "Add a session in June")).to_have_count(1, timeout=LIVE_MS)
    expect(own.locator(".note .drag-handle")).to_have_count(2)

    public_fetches, second_fetches = fetches(public), fetches(second_screen)
    drag(own, card(own, "March is too early"), center(column(own, timeline).locator("ol.notes")))

    # The move reaches the other boards live, from its event: no reload, no refetch of the
    # state. How fast is bench/realtime.py's to measure (board latency), not this test's.
    expect(column_texts(public, timeline)).to_have_text(["March is too early"], timeout=LIVE_MS)
    expect(column_texts(second_screen, timeline)).to_have_text(
        ["March is too early"], timeout=LIVE_MS
    )
    # (A facilitator's screen may ask for other things meanwhile, its section hints after a
    # change or its log after loading: suggestions/board-hints.js, board/moderation.js.)
    assert ([], []) == (reloads(public_fetches), reloads(second_fetches))
    expect(column_texts(own, timeline)).to_have_text(["March is too early"])
    expect(status(own)).to_have_text("Moved to Timeline, position 1")
    expect(column_texts(public, None)).to_have_text(["Add a session in June"])

    # A second drag, onto the top edge of the first card: it goes before it, on both boards.
    drag(own, card(own, "Add a session in June"), top_of(card(own, "March is too early")))
    order = ["Add a session in June", "March is too early"]
    expect(column_texts(public, timeline)).to_have_text(order, timeout=LIVE_MS)
    expect(column_texts(own, timeline)).to_have_text(order)
    expect(column_texts(second_screen, timeline)).to_have_text(order)
    stored = sorted(
        (n for n in server_state(live_server, code)["notes"] if n["section_id"] == timeline),
        key=lambda n: n["position"],
    )
    assert order == [n["text"] for n in stored]
    assert [] == problems


def top_of(locator: Locator) -> tuple[float, float]:
    box = box_of(locator)
    return box["x"] + box["width"] / 2, box["y"] + 4


def test_b_the_keyboard_path_moves_a_note_and_announces_where(live_server, workshop, contexts):
    code = workshop["code"]
    timeline = section(workshop, "Timeline")["id"]
    own, public = boards(live_server, code, contexts)
    post_notes(live_server, code, ["Kickoff in May", "Pilot one school first"])
    expect(card(own, "Pilot one school first")).to_have_count(1, timeout=LIVE_MS)

    for text in ("Kickoff in May", "Pilot one school first"):
        card(own, text).focus()
        own.keyboard.press("Enter")  # pick it up
        expect(card(own, text)).to_have_class(re.compile(r"\bis-picked\b"))
        own.keyboard.press("4")  # Timeline is the fourth section
        expect(status(own)).to_contain_text("Moved to Timeline, position")
        own.keyboard.press("Enter")  # put it down
        expect(status(own)).to_contain_text("Put down in Timeline")

    order = ["Kickoff in May", "Pilot one school first"]
    expect(column_texts(public, timeline)).to_have_text(order, timeout=LIVE_MS)
    # The focus stayed on the moved card, now in Timeline: pick it up and move it up one.
    focused = own.evaluate("document.activeElement.textContent")
    assert "Pilot one school first" in focused
    own.keyboard.press("Space")
    own.keyboard.press("ArrowUp")
    expect(status(own)).to_have_text("Moved to Timeline, position 1")
    expect(column_texts(public, timeline)).to_have_text(order[::-1], timeout=LIVE_MS)
    # Escape puts it back where it was picked up.
    own.keyboard.press("Escape")
    expect(status(own)).to_have_text("Cancelled: back in Timeline, position 2")
    expect(column_texts(public, timeline)).to_have_text(order, timeout=LIVE_MS)
    expect(column_texts(own, timeline)).to_have_text(order)
    live_region = own.locator("#sort-status")
    expect(live_region).to_have_attribute("aria-live", "polite")
    expect(card(own, "Pilot one school first")).to_be_focused()


def test_c_dropping_a_note_onto_another_groups_them_and_the_name_shows_everywhere(
    live_server, workshop, contexts
):
    code = workshop["code"]
    roles = section(workshop, "Roles")["id"]
    own, public = boards(live_server, code, contexts)
    post_notes(live_server, code, ["Crossing guards", "Bus drivers", "Janitors open the gates"])
    expect(card(own, "Janitors open the gates")).to_have_count(1, timeout=LIVE_MS)

    drag(own, card(own, "Bus drivers"), center(card(own, "Crossing guards")))

    group = public.locator(".group")
    expect(group.locator(".note-text")).to_have_text(
        ["Crossing guards", "Bus drivers"], timeout=LIVE_MS
    )
    own_group = own.locator(".group")
    own_group.locator(".group-header").hover()
    own_group.get_by_role("button", name="Name").click()
    own.get_by_label("Group name").fill("People at the school gate")
    own.keyboard.press("Enter")
    expect(group.locator(".group-label")).to_have_text("People at the school gate", timeout=LIVE_MS)

    # The group moves as one: dragged by its header into Roles (once this board has drawn
    # the name too: the rename re-renders the group).
    expect(own_group.locator(".group-label")).to_have_text("People at the school gate")
    drag(own, own_group.locator(".group-label"), center(column(own, roles).locator("ol.notes")))
    expect(column(public, roles).locator(".group .note-text")).to_have_text(
        ["Crossing guards", "Bus drivers"], timeout=LIVE_MS
    )
    # A note pulled out of the group stands on its own; the group keeps the other.
    activities = section(workshop, "Activities")["id"]
    drag(own, card(own, "Bus drivers"), center(column(own, activities).locator("ol.notes")))
    expect(column(public, roles).locator(".group .note-text")).to_have_text(
        ["Crossing guards"], timeout=LIVE_MS
    )
    expect(column_texts(public, activities)).to_have_text(["Bus drivers"])
    stored = server_state(live_server, code)["groups"]
    assert [("People at the school gate", roles, 1)] == [
        (g["label"], g["section_id"], len(g["note_ids"])) for g in stored
    ]


def test_d_undo_brings_the_note_back(live_server, workshop, contexts):
    code = workshop["code"]
    timeline = section(workshop, "Timeline")["id"]
    own, public = boards(live_server, code, contexts)
    post_notes(live_server, code, ["Winter sidewalks"])
    expect(card(own, "Winter sidewalks")).to_have_count(1, timeout=LIVE_MS)
    drag(own, card(own, "Winter sidewalks"), center(column(own, timeline).locator("ol.notes")))
    expect(column_texts(public, timeline)).to_have_text(["Winter sidewalks"], timeout=LIVE_MS)

    own.get_by_role("button", name="Undo", exact=True).click()

    expect(status(own)).to_have_text("Undone: Moved note “Winter sidewalks”")
    expect(column_texts(public, None)).to_have_text(["Winter sidewalks"], timeout=LIVE_MS)
    expect(column_texts(public, timeline)).to_have_count(0)
    expect(column_texts(own, None)).to_have_text(["Winter sidewalks"])

    # Ctrl+Z on the board does the same, and the log shows both steps.
    drag(own, card(own, "Winter sidewalks"), center(column(own, timeline).locator("ol.notes")))
    expect(column_texts(public, timeline)).to_have_text(["Winter sidewalks"], timeout=LIVE_MS)
    own.locator("body").press("Control+z")
    expect(column_texts(public, None)).to_have_text(["Winter sidewalks"], timeout=LIVE_MS)
    own.get_by_role("button", name="Log", exact=True).click()
    expect(own.locator("#log-panel .is-undone")).to_have_count(2)
    own.get_by_role("button", name="Undo the latest").click()
    expect(status(own)).to_have_text("There is nothing left to undo")


def test_e_a_section_edited_on_the_board_shows_on_the_phone_after_a_reload(
    live_server, workshop, contexts
):
    code = workshop["code"]
    timeline = section(workshop, "Timeline")
    own, _ = boards(live_server, code, contexts)
    (note,) = post_notes(live_server, code, ["Three sessions is too few"])
    phone = open_page(contexts(live_server.base_url, PHONE, has_touch=True), f"/j/{code}")
    phone_body = phone.locator(".plan-section", has_text="Timeline").locator("p")
    expect(phone_body).to_have_text(timeline["body"])
    new_body = "Four sessions, May to September; the data deal is signed first."

    card(own, "Three sessions is too few").click()  # selected: it prompted the change
    own.get_by_role("button", name="Plan", exact=True).click()
    editor = own.locator(f".plan-edit[data-section-id='{timeline['id']}']")
    editor.get_by_label("Text of section Timeline").fill(new_body)
    expect(editor.get_by_text("Prompted by the selected note")).to_be_visible()
    editor.get_by_role("button", name="Save").click()
    expect(status(own)).to_have_text("Saved Timeline, prompted by 1 note(s)")

    phone.reload()
    expect(phone_body).to_have_text(new_body)
    editor.get_by_role("button", name="Revisions").click()
    expect(editor.locator(".revision-list li").first).to_contain_text(new_body)
    expect(editor.locator(".revision-list li").first).to_contain_text("Three sessions is too few")
    revisions = requests.get(
        f"{live_server.base_url}/api/sections/{timeline['id']}/revisions",
        headers={"Authorization": f"Bearer {live_server.token}"},
        timeout=30,
    ).json()
    assert [note["id"]] == revisions[-1]["note_ids"]


def test_f_a_public_board_has_no_handles_and_cannot_move_anything(live_server, workshop, contexts):
    code = workshop["code"]
    timeline = section(workshop, "Timeline")["id"]
    (note,) = post_notes(live_server, code, ["Read only, please"])
    public = open_page(contexts(live_server.base_url), f"/w/{code}/board")
    expect(card(public, "Read only, please")).to_have_count(1)
    expect(public.locator(".drag-handle")).to_have_count(0)
    expect(public.locator(".note[tabindex], .note-controls, .sort-tools")).to_have_count(0)

    drag(public, card(public, "Read only, please"), center(column(public, timeline)))
    public.wait_for_timeout(300)  # a window for a move that must not happen, not a wait
    expect(column_texts(public, None)).to_have_text(["Read only, please"])
    assert [None] == [n["section_id"] for n in server_state(live_server, code)["notes"]]

    answers = public.evaluate(
        """async ([id, section]) => {
            const send = (method, path, body) => fetch(path, {
                method, headers: {"Content-Type": "application/json"}, body: JSON.stringify(body),
            }).then((r) => r.status);
            return [
                await send("PATCH", `/api/notes/${id}`, {section_id: section}),
                await send("POST", `/api/notes/${id}/move`, {section_id: section, index: 0}),
                await send("PATCH", `/api/sections/${section}`, {body: "taken over"}),
            ];
        }""",
        [note["id"], timeline],
    )
    assert [403, 403, 403] == answers
    assert [None] == [n["section_id"] for n in server_state(live_server, code)["notes"]]


def test_g_merging_and_fixing_a_typo_keep_every_text(live_server, workshop, contexts):
    code = workshop["code"]
    own, public = boards(live_server, code, contexts)
    post_notes(live_server, code, ["Maps in Spanish", "Spanish maps please", "Teh bus stops"])
    expect(card(own, "Teh bus stops")).to_have_count(1, timeout=LIVE_MS)

    duplicate = card(own, "Spanish maps please")
    duplicate.hover()
    duplicate.get_by_role("button", name="Merge…").click()
    card(own, "Maps in Spanish").locator(".note-text").click()

    merged = card(public, "Maps in Spanish")
    expect(merged.locator(".note-merged")).to_contain_text("Spanish maps please", timeout=LIVE_MS)
    expect(column_texts(public, None)).to_have_text(["Teh bus stops", "Maps in Spanish"])

    typo = card(own, "Teh bus stops")
    typo.focus()
    own.keyboard.press("e")
    own.get_by_label("Note text").fill("The bus stops")
    own.get_by_role("button", name="Save", exact=True).click()
    expect(card(public, "The bus stops")).to_have_count(1, timeout=LIVE_MS)
    fixed = card(own, "The bus stops")
    fixed.get_by_role("button", name="edited").click()
    expect(own.locator(".history-list")).to_contain_text("Teh bus stops")


def test_h_a_board_of_500_notes_renders_and_a_drag_still_works(live_server, workshop, contexts):
    code = workshop["code"]
    timeline = section(workshop, "Timeline")["id"]
    sections = [s["id"] for s in workshop["sections"]]
    session = live_server.facilitator()
    for number in range(500):
        session.post(
            f"{live_server.base_url}/api/workshops/{code}/notes",
            json={
                "text": f"Note {number:03d}: something the plan should say",
                "client_id": f"big-{number}",
                "section_id": None if number % 3 == 0 else sections[number % len(sections)],
            },
            timeout=30,
        ).raise_for_status()
    own, public = boards(live_server, code, contexts)
    for board in (own, public):
        expect(board.locator(".note")).to_have_count(500, timeout=LIVE_MS)
    expect(own.locator(".column").first.locator(".column-notes")).to_have_css("overflow-y", "auto")

    # A new note does not redraw the 500 others: the cards on screen stay the same elements.
    own.evaluate("document.querySelectorAll('.note').forEach((n) => (n.keptFromBefore = true))")
    post_notes(live_server, code, ["One more arrives"])
    expect(card(own, "One more arrives")).to_have_count(1, timeout=LIVE_MS)
    kept = own.evaluate("[...document.querySelectorAll('.note')].filter((n) => n.keptFromBefore)")
    assert 500 == len(kept)

    moving = card(own, "Note 498: something the plan should say")  # newest: top of the pile
    target = column(own, timeline).locator(".note").first
    drag(own, moving, top_of(target))

    expect(column(public, timeline).locator(".note-text").first).to_have_text(
        "Note 498: something the plan should say", timeout=LIVE_MS
    )
    stored = server_state(live_server, code)["notes"]
    moved = next(n for n in stored if n["text"].startswith("Note 498"))
    assert timeline == moved["section_id"]


def test_i_compact_view_and_zoom_are_remembered(live_server, workshop, contexts):
    code = workshop["code"]
    own, _ = boards(live_server, code, contexts)
    board = own.locator("#board")
    own.get_by_role("button", name="Larger text").click()
    own.get_by_role("button", name="Larger text").click()
    own.get_by_role("button", name="Compact").click()
    expect(board).to_have_class(re.compile(r"\bis-compact\b"))
    zoom = "getComputedStyle(document.getElementById('board')).getPropertyValue('--board-zoom')"
    assert "1.2" == own.evaluate(f"{zoom}.trim()")

    own.reload()
    expect(own.locator("body")).to_have_attribute("data-live", "online")
    expect(board).to_have_class(re.compile(r"\bis-compact\b"))
    expect(own.get_by_role("button", name="Reset the text size")).to_have_text("120%")


def test_j_sections_are_added_reordered_and_removed_from_the_plan_panel(
    live_server, workshop, contexts
):
    code = workshop["code"]
    own, public = boards(live_server, code, contexts)
    post_notes(live_server, code, ["Who pays for the maps?"])
    defaults = [s["title"] for s in workshop["sections"]]
    titles = public.locator(".column-title .label")

    own.get_by_role("button", name="Plan", exact=True).click()
    panel = own.locator("#plan-panel")
    panel.get_by_label("Title", exact=True).fill("Budget")
    panel.get_by_label("Text (optional)").fill("Who pays, and for how long.")
    panel.get_by_role("button", name="Add section").click()
    expect(titles).to_have_text(["Unsorted", *defaults, "Budget"], timeout=LIVE_MS)
    budget = section(server_state(live_server, code)["workshop"], "Budget")["id"]

    card(own, "Who pays for the maps?").focus()
    own.keyboard.press("Enter")
    own.keyboard.press("8")  # the new eighth section
    expect(column_texts(public, budget)).to_have_text(["Who pays for the maps?"], timeout=LIVE_MS)
    own.keyboard.press("Enter")

    panel.get_by_role("button", name="Move Budget up").click()
    expected = ["Unsorted", *defaults[:-1], "Budget", defaults[-1]]
    expect(titles).to_have_text(expected, timeout=LIVE_MS)

    editor = panel.locator(f".plan-edit[data-section-id='{budget}']")
    editor.get_by_role("button", name="Remove…").click()
    expect(editor.locator(".plan-confirm")).to_contain_text("Its note goes back to Unsorted")
    editor.get_by_role("button", name="Remove section").click()
    expect(titles).to_have_text(["Unsorted", *defaults], timeout=LIVE_MS)
    expect(column_texts(public, None)).to_have_text(["Who pays for the maps?"])
    expect(panel.locator(".plan-edit")).to_have_count(len(defaults))


@pytest.mark.parametrize("pointer", ["touch", "pen"])
def test_k_a_note_is_dragged_with_a_finger_or_a_pen(live_server, workshop, contexts, pointer):
    code = workshop["code"]
    roles = section(workshop, "Roles")["id"]
    context = contexts(live_server.base_url, has_touch=pointer == "touch")
    sign_in(context, live_server)
    own = open_page(context, f"/w/{code}/board")
    public = open_page(contexts(live_server.base_url), f"/w/{code}/board")
    post_notes(live_server, code, ["Crossing guards know every corner"])
    source = card(own, "Crossing guards know every corner")
    expect(source).to_have_count(1, timeout=LIVE_MS)
    (x, y), (to_x, to_y) = center(source), center(column(own, roles).locator("ol.notes"))
    cdp = context.new_cdp_session(own)

    def touch(kind: str, at: tuple[float, float] | None = None) -> None:
        points = [] if at is None else [{"x": at[0], "y": at[1]}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    def pen(kind: str, at: tuple[float, float], buttons: int = 1) -> None:
        event = {"type": kind, "x": at[0], "y": at[1], "button": "left", "buttons": buttons}
        cdp.send("Input.dispatchMouseEvent", {**event, "pointerType": "pen", "clickCount": 1})

    path = [(x + (to_x - x) * step / 15, y + (to_y - y) * step / 15) for step in range(1, 16)]
    if pointer == "touch":
        touch("touchStart", (x, y))
        own.wait_for_timeout(300)  # a short press picks the note up; a swipe would scroll
        for point in path:
            touch("touchMove", point)
        own.wait_for_timeout(SORTABLE_TICK_MS)
        touch("touchMove", (to_x + 1, to_y + 1))
        own.wait_for_timeout(SORTABLE_TICK_MS)
        touch("touchEnd")
    else:
        pen("mousePressed", (x, y))
        for point in path:
            pen("mouseMoved", point)
        own.wait_for_timeout(SORTABLE_TICK_MS)
        pen("mouseMoved", (to_x + 1, to_y + 1))
        own.wait_for_timeout(SORTABLE_TICK_MS)
        pen("mouseReleased", (to_x, to_y), buttons=0)

    expect(column_texts(public, roles)).to_have_text(
        ["Crossing guards know every corner"], timeout=LIVE_MS
    )
