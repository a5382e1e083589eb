"""The presenter console and the projected screen, in real Chromium against a real server:
the facilitator's laptop (1280×800) drives what a public board (1920×1080) shows; the
projected screen never shows what the room may not see; freezing holds it; the closing
screen carries one QR code (decoded from the screenshot with zxing-cpp).

Screenshots go to /tmp/presenter-*.png for a person to look at.
"""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import BrowserContext, Page, expect

from tests.liveserver import LiveServer, running
from tests.pages import LIVE_MS, open_page

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
PROJECTOR = {"width": 1920, "height": 1080}
SECRET = "Hidden remark about a neighbour"
QUESTION = "What is missing from this plan?"
# The hidden note is the only purple one: no pixel of the projected screen may have its colour.
PURPLE = (0xE6, 0xD7, 0xFF)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running(LiveServer(tmp_path_factory.mktemp("presenter") / "data")) as server:
        yield server


@pytest.fixture
def scene(server) -> dict:
    """A workshop with two questions, three notes answering the first, a hidden purple one."""
    workshop = server.create_workshop(
        title="Safer routes to school",
        sections=[{"title": "Roles"}, {"title": "Timeline"}],
        prompts=[{"text": QUESTION}, {"text": "Who should we ask first?"}],
    )
    code, base = workshop["code"], server.base_url
    facilitator = server.facilitator()
    prompt = workshop["prompts"][0]["id"]
    ids = []
    for index, text in enumerate(["A crossing guard", "Bike racks", "Lighting on Elm St", SECRET]):
        answer = facilitator.post(
            f"{base}/api/workshops/{code}/notes",
            json={
                "text": text,
                "client_id": f"s{index}",
                "prompt_id": prompt,
                "color": "purple" if text == SECRET else "yellow",
            },
        )
        answer.raise_for_status()
        ids.append(answer.json()["id"])
    facilitator.patch(f"{base}/api/notes/{ids[-1]}", json={"hidden": True}).raise_for_status()
    return {"code": code, "ids": ids, "prompt": prompt, "workshop": workshop}


def console(server, contexts, code: str) -> Page:
    context = contexts(server.base_url, viewport=LAPTOP)
    sign_in = context.new_page()
    sign_in.goto(f"/facilitator?token={server.token}")
    sign_in.close()
    return open_page(context, f"/w/{code}/board")


def projector(context: BrowserContext, code: str, *, as_room: bool = False) -> Page:
    return open_page(context, f"/w/{code}/board" + ("?as=room" if as_room else ""))


def shows(page: Page, view: str) -> None:
    expect(page.locator("body")).to_have_attribute("data-room-view", view, timeout=LIVE_MS)


def no_secret(page: Page) -> None:
    """Neither in the DOM nor on screen (the hidden note's colour is nowhere)."""
    assert SECRET not in page.content()
    image = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    assert PURPLE not in {colour for _, colour in image.getcolors(1 << 24)}


def test_the_public_board_follows_each_phase_and_each_pushed_view(server, scene, contexts):
    laptop = console(server, contexts, scene["code"])
    room = projector(contexts(server.base_url, viewport=PROJECTOR), scene["code"])
    phase = laptop.locator("#phase-select")
    # The phases in words a room understands.
    assert ["Writing", "Sorting", "Voting", "Next steps", "Closed"] == phase.locator(
        "option"
    ).all_inner_texts()

    laptop.locator("#projector-question").select_option(label=QUESTION)
    shows(room, "question")
    expect(room.locator("#question-text")).to_have_text(QUESTION)
    expect(room.locator("#question-count")).to_contain_text("3")
    laptop.context.request.post(
        f"/api/workshops/{scene['code']}/notes",
        data={"text": "Crossings", "client_id": "q4", "prompt_id": scene["prompt"]},
    )
    expect(room.locator("#question-count")).to_contain_text("4", timeout=LIVE_MS)
    room.screenshot(path="/tmp/presenter-question.png")

    for chosen, view in [("sort", "board"), ("vote", "board")]:
        phase.select_option(chosen)
        shows(room, view)
        expect(room.locator("#phase")).to_have_attribute("data-phase", chosen, timeout=LIVE_MS)
    laptop.locator("#projector-console").get_by_role("button", name="Ranked").click()
    shows(room, "ranked")
    phase.select_option("next-steps")
    shows(room, "steps")
    expect(laptop.locator("#projector-console [aria-pressed=true]")).to_have_text("Next steps")
    phase.select_option("closed")
    shows(room, "closed")
    laptop.locator("#projector-console").get_by_role("button", name="Board").click()
    shows(room, "board")
    no_secret(room)


def test_next_steps_written_on_the_console_appear_on_the_projector(server, scene, contexts):
    laptop = console(server, contexts, scene["code"])
    room = projector(contexts(server.base_url, viewport=PROJECTOR), scene["code"])
    laptop.locator("#projector-console").get_by_role("button", name="Next steps").click()
    shows(room, "steps")
    shows(laptop, "steps")
    form = laptop.locator("#board-step-form")
    form.get_by_label("What we will do").fill("Ask the school board for two crossing guards")
    form.get_by_label("Who").fill("Ana (transport office)")
    form.get_by_label("By when").fill("2027-03-01")
    form.get_by_label("The notes it answers").fill("crossing")
    form.get_by_label("A crossing guard").check()
    form.get_by_role("button", name="Add the next step").click()
    step = room.locator(".board-step")
    expect(step).to_contain_text("Ask the school board for two crossing guards", timeout=LIVE_MS)
    expect(step).to_contain_text("Ana (transport office)")
    expect(step.locator(".step-note")).to_have_text(["A crossing guard"])
    room.screenshot(path="/tmp/presenter-next-steps.png")
    laptop.screenshot(path="/tmp/presenter-console-steps.png")


def test_the_projected_screen_opened_on_the_laptop_shows_only_what_the_room_sees(
    server, scene, contexts
):
    laptop = console(server, contexts, scene["code"])
    expect(laptop.get_by_text(SECRET)).to_be_visible()  # the facilitator's own board has it
    link = laptop.locator("#open-projector")
    assert f"/w/{scene['code']}/board?as=room" == link.get_attribute("href")
    screen = projector(laptop.context, scene["code"], as_room=True)
    expect(screen.locator(".note", has_text="Bike racks")).to_be_visible()
    expect(screen.locator(".facilitator-bar")).to_have_count(0)
    no_secret(screen)
    # Live: a note hidden now leaves the projected screen; its text never reaches it.
    laptop.locator(".note", has_text="Bike racks").hover()
    laptop.locator(".note", has_text="Bike racks").get_by_role("button", name="Hide").click()
    expect(screen.locator(".note", has_text="Bike racks")).to_have_count(0, timeout=LIVE_MS)
    laptop.locator("#projector-question").select_option(label=QUESTION)
    shows(screen, "question")
    no_secret(screen)


def test_blind_notes_never_reach_the_projected_screen(server, scene, contexts):
    facilitator = server.facilitator()
    facilitator.patch(
        f"{server.base_url}/api/workshops/{scene['code']}/settings", json={"blind_writing": True}
    ).raise_for_status()
    laptop = console(server, contexts, scene["code"])
    screen = projector(laptop.context, scene["code"], as_room=True)
    shows(screen, "blind")
    expect(screen.locator("#blind-count")).to_have_text("3 notes so far")
    laptop.locator("#projector-question").select_option(label=QUESTION)
    shows(screen, "question")
    expect(screen.locator("#question-count")).to_contain_text("3")
    html = screen.content()
    assert all(text not in html for text in ["A crossing guard", "Bike racks", SECRET])
    assert 0 == screen.locator(".note").count()


def test_a_frozen_projector_keeps_its_picture_until_it_is_shown_again(server, scene, contexts):
    laptop = console(server, contexts, scene["code"])
    room = projector(contexts(server.base_url, viewport=PROJECTOR), scene["code"])
    expect(room.locator(".note")).to_have_count(3)
    freeze = laptop.locator("#projector-freeze")
    freeze.click()
    expect(room.locator("body")).to_have_attribute("data-frozen", "true", timeout=LIVE_MS)
    expect(freeze).to_have_attribute("aria-pressed", "true")
    # Rearranging in private: a new note and another view, neither on the projector yet.
    laptop.context.request.post(
        f"/api/workshops/{scene['code']}/notes", data={"text": "Late idea", "client_id": "z1"}
    )
    laptop.locator("#projector-question").select_option(label=QUESTION)
    expect(laptop.locator(".note", has_text="Late idea")).to_have_count(1, timeout=LIVE_MS)
    shows(room, "board")
    expect(room.locator(".note", has_text="Late idea")).to_have_count(0)
    freeze.click()
    shows(room, "question")
    expect(room.locator("#question-count")).to_contain_text("3")
    laptop.locator("#projector-console").get_by_role("button", name="Board").click()
    expect(room.locator(".note", has_text="Late idea")).to_have_count(1, timeout=LIVE_MS)


def test_the_closing_screen_shows_one_qr_code_the_summarys(server, scene, contexts):
    room = projector(contexts(server.base_url, viewport=PROJECTOR), scene["code"])
    server.facilitator().put(
        f"{server.base_url}/api/workshops/{scene['code']}/phase", json={"phase": "closed"}
    ).raise_for_status()
    shows(room, "closed")
    expect(room.locator(".closed-qr")).to_be_visible()
    expect(room.locator(".closed-qr")).to_have_js_property("complete", True)
    shot = room.screenshot(path="/tmp/presenter-closing.png")
    codes = zxingcpp.read_barcodes(
        Image.open(io.BytesIO(shot)), formats=zxingcpp.BarcodeFormat.QRCode
    )
    assert [f"/w/{scene['code']}/summary"] == [
        c.text[-len(f"/w/{scene['code']}/summary") :] for c in codes
    ]
