"""Live latency in Chromium, page to page: a note typed on the phone page and sent, until it is
drawn on a projected board; a note moved to a section on the facilitator's board, until it is
drawn there on a second board.

These are the figures the browser tests used to assert ("on the board within a second",
issue 20). The tests now assert only that the change arrives live, without a reload or a
refetch, with a generous cap on each wait; the figure lives here, measured on purpose on a
machine chosen for it. bench/realtime.py measures the server side of the same path (post ->
socket event on the boards, hundreds of phones); this adds the pages' own work.

    .venv/bin/python bench/live_latency.py [--samples 20]

Both ends are stamped in the pages (Date.now(): one machine, one clock): the phone just
before the tap on Send (the facilitator's board just before the change of the "move to"
list), the board by a MutationObserver when the note's text appears (in the section's column).
Talks only to a server it starts on 127.0.0.1 and stops at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from tests.liveserver import LiveServer, running  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1920, "height": 1080}
GOAL_MS = 1_000  # the goal the tests used to assert

# On the board: the time each note text first appears (optionally inside one column).
WATCH = """(column) => {
  window.__seen = {};
  const scope = () =>
    column ? document.querySelector(`.column[data-column='${column}']`) : document;
  const look = () => {
    const root = scope();
    if (!root) return;
    for (const text of root.querySelectorAll(".note-text")) {
      if (!(text.textContent in window.__seen)) window.__seen[text.textContent] = Date.now();
    }
  };
  look();
  new MutationObserver(look).observe(document.body, {
    childList: true, subtree: true, characterData: true,
  });
}"""


def live_page(context, path: str):
    page = context.new_page()
    page.goto(path)
    expect(page.locator("body")).to_have_attribute("data-live", "online", timeout=60_000)
    expect(page.locator("body")).to_have_attribute("data-sync", "done", timeout=60_000)
    return page


def seen_at(board, text: str) -> int:
    board.wait_for_function("(text) => text in window.__seen", arg=text, timeout=60_000, polling=20)
    return board.evaluate("(text) => window.__seen[text]", text)


def phone_to_board(browser, server: LiveServer, code: str, samples: int) -> list[float]:
    board_context = browser.new_context(
        base_url=server.base_url, viewport=PROJECTOR, bypass_csp=True
    )
    phone_context = browser.new_context(
        base_url=server.base_url, viewport=PHONE, has_touch=True, is_mobile=True
    )
    try:
        board = live_page(board_context, f"/w/{code}/board")
        board.evaluate(WATCH, None)
        phone = live_page(phone_context, f"/j/{code}")
        times = []
        for number in range(samples):
            text = f"Latency note {number}"
            phone.locator("#note-text").fill(text)
            sent = phone.evaluate("() => Date.now()")
            phone.get_by_role("button", name="Send note").click()
            times.append(seen_at(board, text) - sent)
        return times
    finally:
        board_context.close()
        phone_context.close()


def board_to_board(browser, server: LiveServer, code: str, section: dict, samples: int):
    own_context = browser.new_context(base_url=server.base_url, viewport=PROJECTOR)
    second_context = browser.new_context(
        base_url=server.base_url, viewport=PROJECTOR, bypass_csp=True
    )
    try:
        sign_in = own_context.new_page()
        sign_in.goto(f"/facilitator?token={server.token}")
        sign_in.close()
        with server.facilitator() as session:
            for number in range(samples):
                session.post(
                    f"{server.base_url}/api/workshops/{code}/notes",
                    json={"text": f"Move me {number}", "client_id": f"m{number}"},
                    timeout=30,
                ).raise_for_status()
        own = live_page(own_context, f"/w/{code}/board")
        second = live_page(second_context, f"/w/{code}/board")
        second.evaluate(WATCH, str(section["id"]))
        times = []
        for number in range(samples):
            text = f"Move me {number}"
            note = own.locator(".note").filter(has=own.get_by_text(text, exact=True))
            note.hover()
            move = note.get_by_role("combobox")
            moved = own.evaluate("() => Date.now()")
            move.select_option(label=section["label"])
            times.append(seen_at(second, text) - moved)
        return times
    finally:
        own_context.close()
        second_context.close()


def describe(name: str, times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    within = sum(t < GOAL_MS for t in times)
    return (
        f"| {name} | {len(times)} | {statistics.median(times):.0f} | {p95:.0f} | "
        f"{max(times):.0f} | {within}/{len(times)} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=20)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="bench-live-") as tmp,
        running(LiveServer(Path(tmp) / "data")) as server,
    ):
        workshop = server.create_workshop(
            title="Bench",
            # One phone posts every sample: lift its allowance out of the way.
            settings={"notes_per_minute": 600, "note_burst": 100},
            prompts=[{"text": "What is missing?"}, {"text": "When?", "section": "Timeline"}],
        )
        code = workshop["code"]
        index, timeline = next(
            (i, s) for i, s in enumerate(workshop["sections"], 1) if s["title"] == "Timeline"
        )
        timeline = {**timeline, "label": f"{index}. Timeline"}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            try:
                notes = phone_to_board(browser, server, code, args.samples)
                moves = board_to_board(browser, server, code, timeline, args.samples)
            finally:
                browser.close()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"load average (1, 5, 15 min) at the end: {load} on {os.cpu_count()} cores")
    print("| path | samples | p50 ms | p95 ms | max ms | under 1 s |")
    print("|---|---|---|---|---|---|")
    print(describe("phone page: Send -> drawn on the board", notes))
    print(describe("facilitator's board: move -> drawn on a second board", moves))


if __name__ == "__main__":
    main()
