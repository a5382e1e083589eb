"""Screenshots of running the room from one screen, taken from the real app in Chromium.

Starts `workshop demo` on a free loopback port in a temporary data directory, adds a
workshop of its own and saves:

- docs/screenshots/presenter-console.png: the facilitator's laptop (1280×800) with the
  projector row, one question on the projector;
- docs/screenshots/projector-question.png: the projected screen (1920×1080) showing that
  question big with the live count of answers;
- docs/screenshots/projector-next-steps.png: the next steps on the projector as they are written;
- docs/screenshots/projector-fitted.png: 300 notes, 80 in one section, all on a 1920×1080 screen;
- docs/screenshots/phone-question.png: the phone with the questions in front.

Run it with `.venv/bin/python docs/make_presenter_screenshots.py`.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docs.make_room_screenshots import api, shrink  # noqa: E402
from docs.shots import BOARD, OUT, PHONE, demo_and_chromium, phone_context  # noqa: E402

LAPTOP = {"width": 1280, "height": 800}
TIMEOUT_MS = 15_000
QUESTION = "What is missing from this plan?"
NOTES = [
    (QUESTION, "A crossing guard at Elm and 5th"),
    (QUESTION, "Bike racks at every school"),
    (QUESTION, "Who checks the data is fresh?"),
    (QUESTION, "Lighting on the path by the park"),
    ("Who should we ask first?", "The parents' association"),
]
WORDS = ["crossing", "guard", "bike", "lane", "speed", "bump", "school", "bus", "sidewalk"]


def make_workshop(server) -> tuple[dict, list[int]]:
    facilitator = server.facilitator()
    workshop = api(
        facilitator,
        server,
        "POST",
        "/api/workshops",
        {
            "title": "Safer routes to school",
            "prompts": [{"text": QUESTION}, {"text": "Who should we ask first?"}],
        },
    )
    prompts = {p["text"]: p["id"] for p in workshop["prompts"]}
    ids = []
    for index, (prompt, text) in enumerate(NOTES):
        attendee = server.attendee(workshop["code"], f"Neighbour {index}")
        note = api(
            attendee,
            server,
            "POST",
            f"/api/workshops/{workshop['code']}/notes",
            {"text": text, "client_id": f"shot-{index}", "prompt_id": prompts[prompt]},
        )
        ids.append(note["id"])
    return workshop, ids


def console_and_projector(browser, server, workshop: dict, ids: list[int]) -> list[Path]:
    code = workshop["code"]
    laptop_context = browser.new_context(base_url=server.base_url, viewport=LAPTOP)
    laptop_context.set_default_timeout(TIMEOUT_MS)
    laptop_context.new_page().goto(f"/facilitator?token={server.token}")
    laptop = laptop_context.new_page()
    laptop.goto(f"/w/{code}/board")
    expect(laptop.locator("body")).to_have_attribute("data-sync", "done")
    room_context = browser.new_context(base_url=server.base_url, viewport=BOARD)
    room_context.set_default_timeout(TIMEOUT_MS)
    room = room_context.new_page()
    room.goto(f"/w/{code}/board")
    expect(room.locator("body")).to_have_attribute("data-sync", "done")

    laptop.locator("#projector-question").select_option(label=QUESTION)
    expect(room.locator("#question-count")).to_contain_text("4")
    shots = [OUT / "presenter-console.png", OUT / "projector-question.png"]
    laptop.mouse.move(LAPTOP["width"] - 5, LAPTOP["height"] - 5)
    laptop.screenshot(path=shots[0])
    room.screenshot(path=shots[1])

    laptop.locator("#projector-console").get_by_role("button", name="Next steps").click()
    form = laptop.locator("#board-step-form")
    for text, owner, due, answers in [
        (
            "Ask the school board for two crossing guards",
            "Ana (transport office)",
            "2027-03-01",
            "crossing",
        ),
        ("Publish the sidewalk survey as open data", "City data team", "2027-05-15", "data"),
    ]:
        form.get_by_label("What we will do").fill(text)
        form.get_by_label("Who").fill(owner)
        form.get_by_label("By when").fill(due)
        form.get_by_label("The notes it answers").fill(answers)
        form.locator(".step-pick input").first.check()
        form.get_by_role("button", name="Add the next step").click()
        expect(room.locator(".board-step", has_text=text)).to_be_visible()
    shots.append(OUT / "projector-next-steps.png")
    room.screenshot(path=shots[-1])
    laptop_context.close()
    room_context.close()
    return shots


def fitted_board(browser, server) -> Path:
    facilitator = server.facilitator()
    workshop = api(facilitator, server, "POST", "/api/workshops", {"title": "300 notes"})
    code, sections = workshop["code"], [s["id"] for s in workshop["sections"]]
    pick = random.Random(18)
    for number in range(300):
        text = " ".join(pick.choice(WORDS) for _ in range(pick.randint(2, 16))).capitalize()
        note = api(
            facilitator,
            server,
            "POST",
            f"/api/workshops/{code}/notes",
            {"text": text, "client_id": f"fit-{number}"},
        )
        if number < 260:
            section = sections[0] if number < 80 else sections[1 + number % (len(sections) - 1)]
            api(facilitator, server, "PATCH", f"/api/notes/{note['id']}", {"section_id": section})
    context = browser.new_context(base_url=server.base_url, viewport=BOARD)
    context.set_default_timeout(TIMEOUT_MS)
    board = context.new_page()
    board.goto(f"/w/{code}/board")
    expect(board.locator("#board .note")).to_have_count(300)
    path = OUT / "projector-fitted.png"
    board.screenshot(path=path)
    context.close()
    return path


def phone_question(browser, server, workshop: dict) -> Path:
    context = phone_context(browser, server, TIMEOUT_MS)
    phone = context.new_page()
    phone.goto(f"/j/{workshop['code']}")
    expect(phone.locator("body")).to_have_attribute("data-sync", "done")
    phone.get_by_text(QUESTION).click()
    phone.get_by_label("Your note", exact=True).fill("Benches along the walk to school")
    path = OUT / "phone-question.png"
    phone.screenshot(path=path, clip={"x": 0, "y": 0, **PHONE})
    context.close()
    return path


def main() -> None:
    with demo_and_chromium() as (server, browser):
        workshop, ids = make_workshop(server)
        shots = console_and_projector(browser, server, workshop, ids)
        shots.append(fitted_board(browser, server))
        shots.append(phone_question(browser, server, workshop))
    for path in shots:
        print(shrink(path).relative_to(ROOT))


if __name__ == "__main__":
    main()
