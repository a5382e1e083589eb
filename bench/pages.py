"""Pages in Chromium on a crowded venue's Wi-Fi: the phone page's bytes on the wire and time
to interactive, the board's time to draw 1,000 notes, and frame times while a note is dragged
with 500 on screen. Compared in the same run with a bare page that loads only the socket.io
client from the same server.

    .venv/bin/python bench/pages.py            # prints a table

Talks only to a server it starts on 127.0.0.1 and stops at the end.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.liveserver import LiveServer  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
# A crowded venue Wi-Fi: like Chrome's "Slow 3G" preset.
CROWDED_WIFI = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 500 * 1024 // 8,
    "uploadThroughput": 500 * 1024 // 8,
}
PHONE = {"width": 390, "height": 844}


def throttled_page(browser, viewport, cpu_slowdown=4):
    context = browser.new_context(viewport=viewport, bypass_csp=True)  # lets the probe run
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", CROWDED_WIFI)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu_slowdown})
    transferred = []
    cdp.on("Network.loadingFinished", lambda event: transferred.append(event["encodedDataLength"]))
    return context, page, transferred


def phone_load(browser, url: str, ready: str) -> tuple[float, int]:
    """Seconds until ``ready`` (a JS expression) holds, and bytes received on the wire."""
    context, page, transferred = throttled_page(browser, PHONE)
    started = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=60_000)
    page.wait_for_function(ready, timeout=60_000, polling=50)
    elapsed = time.perf_counter() - started
    page.wait_for_timeout(300)  # the last finished-loading events
    context.close()
    return elapsed, sum(transferred)


def board_render(browser, url: str, count: int) -> float:
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, bypass_csp=True)
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_function(f"document.querySelectorAll('.note').length >= {count}", timeout=60_000)
    elapsed = time.perf_counter() - started
    context.close()
    return elapsed


def drag_frames(browser, server: LiveServer, code: str) -> list[float]:
    """Frame intervals (ms) while the facilitator drags a note across the board."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{server.base_url}/facilitator?token={server.token}")
    page.goto(f"{server.base_url}/w/{code}/board")
    page.wait_for_function("document.querySelectorAll('.note').length >= 500", timeout=60_000)
    note = page.locator(".note").nth(3)
    target = page.locator("[data-column]").nth(4)
    box, goal = note.bounding_box(), target.bounding_box()
    page.evaluate(
        """() => {
             window.__frames = [];
             let last = performance.now();
             const tick = (now) => {
               window.__frames.push(now - last);
               last = now;
               if (window.__frames.length < 400) requestAnimationFrame(tick);
             };
             requestAnimationFrame(tick);
           }"""
    )
    page.mouse.move(box["x"] + 20, box["y"] + 20)
    page.mouse.down()
    for step in range(60):
        x = box["x"] + (goal["x"] + 40 - box["x"]) * step / 60
        y = box["y"] + (goal["y"] + 120 - box["y"]) * step / 60
        page.mouse.move(x, y)
        page.wait_for_timeout(16)
    page.mouse.up()
    frames = page.evaluate("window.__frames.slice(1)")
    context.close()
    return frames


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        server = LiveServer(Path(tmp) / "data").start()
        try:
            code = server.create_workshop(title="Bench", prompts=[{"text": "What is missing?"}])[
                "code"
            ]
            with server.facilitator() as session:
                for number in range(1000):
                    session.post(
                        f"{server.base_url}/api/workshops/{code}/notes",
                        json={
                            "text": f"Note {number}: more crossings near schools",
                            "client_id": f"b{number}",
                        },
                    )
            bare = Path(ROOT / "static" / "vendor" / "bench-bare.html")
            bare.write_text(
                '<!doctype html><meta name="viewport" content="width=device-width">'
                '<script type="module">import { io } from "./socket.io.esm.min.js";'
                "window.__ready = true;</script>"
            )
            rows = []
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
                )
                phone_times, live_times, phone_bytes, bare_times, bare_bytes = [], [], [], [], []
                # Interactive: phone.js has run, so the form is handled by the script (a note
                # sent now waits in the outbox); live: the socket is in the room as well.
                ready = "document.body && document.body.dataset.ready === 'true'"
                live = "document.body && document.body.dataset.live === 'online'"
                print("measuring the phone page…", file=sys.stderr)
                for _ in range(3):
                    elapsed, _size = phone_load(browser, f"{server.base_url}/j/{code}", ready)
                    phone_times.append(elapsed)
                    # Bytes of the whole first load: the socket client comes after "ready".
                    elapsed, size = phone_load(browser, f"{server.base_url}/j/{code}", live)
                    live_times.append(elapsed)
                    phone_bytes.append(size)
                    elapsed, size = phone_load(
                        browser,
                        f"{server.base_url}/static/vendor/bench-bare.html",
                        "window.__ready === true",
                    )
                    bare_times.append(elapsed)
                    bare_bytes.append(size)
                rows.append(
                    (
                        "phone page: bytes on the wire (first load)",
                        f"{min(phone_bytes) / 1024:.1f} KB",
                        f"{min(bare_bytes) / 1024:.1f} KB",
                    )
                )
                rows.append(
                    (
                        "phone page: interactive (crowded Wi-Fi, CPU 4x slower)",
                        f"{statistics.median(phone_times):.2f} s",
                        f"{statistics.median(bare_times):.2f} s",
                    )
                )
                rows.append(
                    (
                        "phone page: live (socket in the room), same profile",
                        f"{statistics.median(live_times):.2f} s",
                        "-",
                    )
                )
                print("measuring the board…", file=sys.stderr)
                renders = [
                    board_render(browser, f"{server.base_url}/w/{code}/board", 1000)
                    for _ in range(3)
                ]
                rows.append(
                    ("board: 1,000 notes drawn", f"{statistics.median(renders):.2f} s", "-")
                )
                frames = drag_frames(browser, server, code)
                rows.append(
                    (
                        "board: frame time while dragging (500+ notes), p50 / p95",
                        f"{percentile(frames, 0.5):.0f} / {percentile(frames, 0.95):.0f} ms",
                        "-",
                    )
                )
                browser.close()
            bare.unlink()
        finally:
            server.stop()
    width = max(len(row[0]) for row in rows)
    print(f"{'measure'.ljust(width)} | {'app':>14} | {'bare page':>10}")
    print(f"{'-' * width}-|-{'-' * 14}-|-{'-' * 10}")
    for name, app, bare_value in rows:
        print(f"{name.ljust(width)} | {app:>14} | {bare_value:>10}")


if __name__ == "__main__":
    main()
