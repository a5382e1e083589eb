"""Grouping notes on the facilitator's board, in real Chromium against a real server: a note
dropped on a note makes a group in a section two columns wide (where the cards used to
reflow and swap under the pointer), with a mouse and with a finger, on the laptop and on a
projector-sized screen; the keyboard path (Shift+Enter selects, G groups); the "Group
selected" button. Every group goes through the one grouping route (POST …/groups) and is
checked in the server's state.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.liveserver import LiveServer, running, wait_until
from tests.pages import LIVE_MS, open_page, sign_in
from tests.test_browser_sorting import SORTABLE_TICK_MS, box_of, card, center, column

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
PROJECTOR = {"width": 1920, "height": 1080}
# In this order in Roles: two cards a row in the section's grid at both sizes.
ROLES = [
    "Crossing guards",
    "Bus drivers",
    "Janitors open the gates",
    "Parents walk together",
    "Police at 8am",
    "Teachers lead walks",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running(LiveServer(tmp_path_factory.mktemp("grouping") / "data")) as server:
        yield server


@pytest.fixture
def workshop(server) -> dict:
    """A workshop whose Roles section holds six notes, in ROLES order."""
    workshop = server.create_workshop(title="Safer routes", prompts=[{"text": "Who helps?"}])
    code, base = workshop["code"], server.base_url
    roles = next(s["id"] for s in workshop["sections"] if s["title"] == "Roles")
    session = server.facilitator()
    for number, text in enumerate(ROLES):
        note = session.post(
            f"{base}/api/workshops/{code}/notes", json={"text": text, "client_id": f"r{number}"}
        )
        note.raise_for_status()
        session.post(
            f"{base}/api/notes/{note.json()['id']}/move", json={"section_id": roles}
        ).raise_for_status()
    return {**workshop, "roles": roles}


def facilitator_board(server, contexts, workshop: dict, viewport: dict, **options) -> Page:
    context = contexts(server.base_url, viewport, **options)
    sign_in(context, server)
    board = open_page(context, f"/w/{workshop['code']}/board")
    expect(board.locator(".note")).to_have_count(len(ROLES))
    return board


def state(server, workshop: dict) -> dict:
    answer = server.facilitator().get(f"{server.base_url}/api/workshops/{workshop['code']}/state")
    answer.raise_for_status()
    return answer.json()


def groups(server, workshop: dict) -> list[list[str]]:
    """Each group's notes, in the group's order, by text."""
    data = state(server, workshop)
    text = {note["id"]: note["text"] for note in data["notes"]}
    return [[text[i] for i in group["note_ids"]] for group in data["groups"]]


def column_order(server, workshop: dict) -> list[str | list[str]]:
    """Roles as the server orders it: a note's text, or a group's texts."""
    data = state(server, workshop)
    text = {note["id"]: note["text"] for note in data["notes"]}
    items = [
        (note["position"], note["id"], note["text"])
        for note in data["notes"]
        if note["section_id"] == workshop["roles"] and note["group_id"] is None
    ] + [
        (group["position"], group["id"], [text[i] for i in group["note_ids"]])
        for group in data["groups"]
        if group["section_id"] == workshop["roles"]
    ]
    return [item for _, _, item in sorted(items, key=lambda item: item[:2])]


def assert_two_columns_wide(board: Page, workshop: dict) -> None:
    """The layout where dropping on a note used to fail: cards side by side in the section."""
    cards = column(board, workshop["roles"]).locator(".note")
    lefts = {round(box_of(cards.nth(i))["x"]) for i in range(cards.count())}
    assert len(lefts) >= 2, lefts


def settled(board: Page) -> None:
    """Wait until the cards stand still (a live event may redraw the board after a drop)."""
    before: list[dict] = [{}]

    def still() -> bool:
        now = layout(board)
        same = now == before[0]
        before[0] = now
        return same

    wait_until(still, "the board's cards stood still", every=0.3)


def drag(board: Page, pointer: str, source: Locator, to: Locator | tuple[float, float]) -> None:
    """Press on ``source``, move in steps to ``to`` (a card's centre, or a point) and let go:
    a mouse, or a finger (a short press picks a note up on a touch screen). Waits first until
    the board stands still, so the points are where the cards are, and brings both into view
    (a mouse cannot press on a card below the window's edge)."""
    source.scroll_into_view_if_needed()
    if isinstance(to, Locator):
        to.scroll_into_view_if_needed()
    settled(board)
    (x, y), (to_x, to_y) = center(source), (center(to) if isinstance(to, Locator) else to)
    path = [(x + (to_x - x) * step / 14, y + (to_y - y) * step / 14) for step in range(1, 15)]
    if pointer == "mouse":
        text = source.locator(".note-text").first.text_content()
        for _ in range(3):
            if _pick_up(board, (x, y), text):
                break
        else:
            raise AssertionError(f"the card {text!r} was never picked up")
        for point in path:
            board.mouse.move(*point)
        board.wait_for_timeout(SORTABLE_TICK_MS)
        if isinstance(to, Locator):  # where the card stands now, as a person aims at it
            to_x, to_y = center(to)
        board.mouse.move(to_x + 1, to_y + 1, steps=2)
        board.wait_for_timeout(SORTABLE_TICK_MS)
        board.mouse.up()
        return
    cdp = board.context.new_cdp_session(board)

    def touch(kind: str, at: tuple[float, float] | None = None) -> None:
        points = [] if at is None else [{"x": at[0], "y": at[1]}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", (x, y))
    board.wait_for_timeout(300)  # longer than the press that picks a note up
    for point in path:
        touch("touchMove", point)
    board.wait_for_timeout(SORTABLE_TICK_MS)
    touch("touchMove", (to_x + 1, to_y + 1))
    board.wait_for_timeout(SORTABLE_TICK_MS)
    touch("touchEnd")
    cdp.detach()


def _pick_up(board: Page, at: tuple[float, float], text: str | None) -> bool:
    """Press on the card at ``at`` and move past sortablejs's click tolerance; whether the
    board took it as a drag. Off every card first: a hovered card's controls hang over the
    card below it, and a press there lands on them (no drag starts from a control)."""
    x, y = at
    board.mouse.move(1, 1)
    board.mouse.move(x, y)
    wait_until(
        lambda: board.evaluate(
            """([x, y, text]) => {
                const hit = document.elementFromPoint(x, y);
                const card = hit && !hit.closest(".note-controls") && hit.closest(".note");
                return Boolean(card) && card.querySelector(".note-text").textContent === text;
            }""",
            [x, y, text],
        ),
        "the pointer is on the card to pick up, not on another card's controls",
    )
    board.mouse.down()
    board.mouse.move(x + 8, y + 8, steps=2)  # past sortablejs's click tolerance
    try:
        wait_until(
            lambda: board.evaluate(
                "document.getElementById('board').classList.contains('is-dragging')"
            ),
            "the card was picked up",
            timeout=5,
        )
    except AssertionError:  # the press came before the board was ready for it: let go, again
        board.mouse.up()
        settled(board)
        return False
    return True


def layout(board: Page) -> dict:
    """Where each card of the board stands in the page's layout (transforms left out)."""
    return board.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll("#board .note")].map(
            (n) => [n.querySelector(".note-text").textContent, [n.offsetLeft, n.offsetTop]]))"""
    )


def has_class(name: str) -> re.Pattern:
    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")


def left_edge_of(locator: Locator) -> tuple[float, float]:
    box = box_of(locator)
    return box["x"] + 5, box["y"] + box["height"] / 2


@pytest.mark.parametrize("viewport", [LAPTOP, PROJECTOR], ids=["1280x800", "1920x1080"])
@pytest.mark.parametrize("pointer", ["mouse", "touch"])
def test_a_note_dropped_on_a_note_in_a_two_column_section_makes_a_group(
    server, workshop, contexts, pointer, viewport
):
    board = facilitator_board(server, contexts, workshop, viewport, has_touch=pointer == "touch")
    assert_two_columns_wide(board, workshop)

    # Across the grid, up and to the right: the path crosses the edges of other cards.
    drag(board, pointer, card(board, "Janitors open the gates"), card(board, "Bus drivers"))
    expect(board.locator(".group .note-text")).to_have_text(
        ["Bus drivers", "Janitors open the gates"], timeout=LIVE_MS
    )
    assert [["Bus drivers", "Janitors open the gates"]] == groups(server, workshop)
    assert_two_columns_wide(board, workshop)

    # Down and to the left, onto a card in the other column of the next row.
    drag(board, pointer, card(board, "Police at 8am"), card(board, "Teachers lead walks"))
    expect(board.locator(".group")).to_have_count(2, timeout=LIVE_MS)
    assert [
        "Crossing guards",
        ["Bus drivers", "Janitors open the gates"],
        "Parents walk together",
        ["Teachers lead walks", "Police at 8am"],
    ] == column_order(server, workshop)


def test_the_drop_target_says_what_a_drop_does_and_a_card_edge_still_reorders(
    server, workshop, contexts
):
    board = facilitator_board(server, contexts, workshop, LAPTOP)
    source, target = card(board, "Teachers lead walks"), card(board, "Bus drivers")
    before = layout(board)

    # Held over the middle of a card: it is lit and labelled; nothing moves under the pointer.
    x, y = center(source)
    board.mouse.move(x, y)
    board.mouse.down()
    board.mouse.move(x + 8, y + 8, steps=2)
    board.mouse.move(*center(target), steps=14)
    board.wait_for_timeout(SORTABLE_TICK_MS)
    board.mouse.move(center(target)[0] + 1, center(target)[1] + 1)
    expect(target).to_have_class(has_class("is-drop-target"))
    expect(target).to_have_attribute("data-drop", "Drop to group")
    assert before == layout(board)
    # Over its left edge instead: a bar says "before this card", and the card is no target.
    board.mouse.move(*left_edge_of(target), steps=4)
    board.wait_for_timeout(SORTABLE_TICK_MS)
    board.mouse.move(left_edge_of(target)[0] + 1, left_edge_of(target)[1])
    expect(target).to_have_class(has_class("is-insert-before"))
    expect(target).not_to_have_class(has_class("is-drop-target"))
    board.mouse.up()

    expect(column(board, workshop["roles"]).locator(".note-text").nth(1)).to_have_text(
        "Teachers lead walks", timeout=LIVE_MS
    )
    assert [] == groups(server, workshop)
    assert ["Crossing guards", "Teachers lead walks", "Bus drivers"] == column_order(
        server, workshop
    )[:3]


def test_the_keyboard_selects_two_notes_and_g_groups_them(server, workshop, contexts):
    board = facilitator_board(server, contexts, workshop, LAPTOP)
    card(board, "Parents walk together").focus()
    board.keyboard.press("Shift+Enter")
    board.keyboard.press("ArrowDown")  # the next card in the column
    expect(card(board, "Police at 8am")).to_be_focused()
    board.keyboard.press("Shift+Enter")
    expect(board.locator(".note.is-selected")).to_have_count(2)

    board.keyboard.press("g")

    expect(board.locator("#sort-status")).to_have_text(
        "Grouped 2 notes in Roles. Name the group from its header."
    )
    assert [["Parents walk together", "Police at 8am"]] == groups(server, workshop)
    expect(board.locator(".group .note-text")).to_have_text(
        ["Parents walk together", "Police at 8am"]
    )


def test_the_group_selected_button_groups_the_notes_clicked(server, workshop, contexts):
    board = facilitator_board(server, contexts, workshop, LAPTOP)
    button = board.get_by_role("button", name="Group selected")
    expect(button).to_be_disabled()
    card(board, "Crossing guards").locator(".note-text").click()
    expect(button).to_be_disabled()  # one note is no group
    card(board, "Teachers lead walks").locator(".note-text").click(modifiers=["Control"])
    expect(button).to_be_enabled()

    button.click()

    expect(board.locator(".group .note-text")).to_have_text(
        ["Crossing guards", "Teachers lead walks"], timeout=LIVE_MS
    )
    assert ["Crossing guards", "Teachers lead walks"] == column_order(server, workshop)[0]
    expect(button).to_be_disabled()  # the selection was used up
