"""The public board fits the screen, in real Chromium against a real server: with 300 notes,
80 of them in one section, every note the room may see lies inside the window at 1920×1080
and at 1280×720 (static/js/board/fit.js); nothing moves while it loads (the layout shifts
Chromium reports, which Lighthouse's CLS adds up, stay under 0.1); an empty board does not
lecture. Screenshots go to /tmp/fit-*.png for a person to look at.
"""

from __future__ import annotations

import random

import pytest
from playwright.sync_api import expect

from tests.liveserver import LiveServer, running
from tests.pages import open_page

pytestmark = pytest.mark.browser

WORDS = [
    *("crossing", "guard", "bike", "lane", "speed", "bump", "school", "bus", "sidewalk"),
    *("lighting", "park", "bench", "data", "portal", "open", "map", "survey", "timeline"),
    *("budget", "library", "youth", "council", "neighbourhood"),
]

OUTSIDE = """() => [...document.querySelectorAll('#board .note')].filter((note) => {
  const box = note.getBoundingClientRect();
  return box.left < 0 || box.top < 0 || box.right > innerWidth || box.bottom > innerHeight;
}).length"""

# Every layout shift of the page's life so far, as Lighthouse counts them (CLS: the sum of
# the shifts not caused by input; its "good" is under 0.1).
SHIFTS = """() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
  setTimeout(() => resolve(total), 500);
})"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running(LiveServer(tmp_path_factory.mktemp("fit") / "data")) as server:
        yield server


@pytest.fixture(scope="module")
def crowded(server) -> str:
    """300 notes: 80 in the first section, 180 over the other six, 40 unsorted, one hidden."""
    workshop = server.create_workshop(
        title="Safer routes to school",
        prompts=[{"text": "What is missing from this plan?"}, {"text": "Who should we ask?"}],
    )
    code, base = workshop["code"], server.base_url
    facilitator = server.facilitator()
    sections = [s["id"] for s in workshop["sections"]]
    pick = random.Random(18)
    for number in range(300):
        words = " ".join(pick.choice(WORDS) for _ in range(pick.randint(2, 24)))
        note = facilitator.post(
            f"{base}/api/workshops/{code}/notes",
            json={
                "text": words.capitalize(),
                "client_id": f"n{number}",
                "prompt_id": workshop["prompts"][number % 2]["id"],
            },
        )
        note.raise_for_status()
        if number < 80:
            section = sections[0]
        elif number < 260:
            section = sections[1 + number % (len(sections) - 1)]
        else:
            continue
        facilitator.patch(
            f"{base}/api/notes/{note.json()['id']}", json={"section_id": section}
        ).raise_for_status()
    facilitator.patch(
        f"{base}/api/notes/{note.json()['id']}", json={"hidden": True}
    ).raise_for_status()
    return code


@pytest.mark.parametrize("viewport", [(1920, 1080), (1280, 720)], ids=["1080p", "720p"])
def test_every_note_of_a_crowded_board_is_on_screen(server, crowded, contexts, viewport):
    width, height = viewport
    board = open_page(
        contexts(server.base_url, viewport={"width": width, "height": height}),
        f"/w/{crowded}/board",
    )
    notes = board.locator("#board .note")
    expect(notes.nth(298)).to_be_attached()  # 299 shown (the hidden one is not), and more later
    drawn = notes.count()
    assert 0 == board.evaluate(OUTSIDE)
    expect(board.locator("#fit-warning")).to_be_hidden()
    board.screenshot(path=f"/tmp/fit-{width}.png")
    # The room posts more; the board fits again.
    server.facilitator().post(
        f"{server.base_url}/api/workshops/{crowded}/notes",
        json={"text": "One more " * 12, "client_id": f"late-{width}"},
    ).raise_for_status()
    expect(notes).to_have_count(drawn + 1)
    assert 0 == board.evaluate(OUTSIDE)


def test_the_crowded_board_does_not_shift_as_it_loads(server, crowded, contexts):
    board = open_page(contexts(server.base_url), f"/w/{crowded}/board")
    expect(board.locator("#board .note").nth(298)).to_be_attached()
    assert board.evaluate(SHIFTS) < 0.1


def test_an_empty_board_does_not_lecture(server, contexts):
    workshop = server.create_workshop(title="Quiet", sections=[{"title": "Roles"}])
    server.facilitator().put(
        f"{server.base_url}/api/workshops/{workshop['code']}/phase", json={"phase": "vote"}
    ).raise_for_status()
    board = open_page(contexts(server.base_url), f"/w/{workshop['code']}/board")
    assert "" == board.locator("#board .column-notes").first.inner_text().strip()
    assert board.evaluate(SHIFTS) < 0.1
