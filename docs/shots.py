"""What every screenshot script shares: a demo server whose links carry a venue LAN address,
and Debian's Chromium, both stopped at the end."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.liveserver import LiveServer  # noqa: E402 - needs the checkout on sys.path

CHROMIUM = "/usr/bin/chromium"
OUT = ROOT / "docs" / "screenshots"
# The join link a venue would show, rather than the test port on loopback.
VENUE = {"WORKSHOP_PUBLIC_URL": "http://192.168.1.20:5000"}


@contextmanager
def demo_and_chromium() -> Iterator[tuple[LiveServer, Browser]]:
    """A `workshop demo` server in a temporary data dir, and a headless Chromium."""
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="workshop-screenshots-") as data:
        server = LiveServer(Path(data) / "data", demo=True, env=VENUE).start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
                )
                try:
                    yield server, browser
                finally:
                    browser.close()
        finally:
            server.stop()


PHONE = {"width": 390, "height": 844}


def phone_context(
    browser: Browser, server: LiveServer, timeout_ms: int = 10_000, locale: str | None = None
):
    """A 390 px touch phone on the demo server (``locale`` sets its Accept-Language)."""
    phone = browser.new_context(
        base_url=server.base_url,
        locale=locale,
        viewport=PHONE,
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
    )
    phone.set_default_timeout(timeout_ms)
    return phone


BOARD = {"width": 1920, "height": 1080}


def open_board(
    browser: Browser, server: LiveServer, code: str, note: str, timeout_ms: int = 10_000
):
    """A 1080p projector on the workshop's board, live, once ``note`` is on it. Returns the
    context (close it) and the page."""
    from playwright.sync_api import expect

    context = browser.new_context(base_url=server.base_url, viewport=BOARD, device_scale_factor=1)
    context.set_default_timeout(timeout_ms)
    board = context.new_page()
    board.goto(f"/w/{code}/board")
    expect(board.locator("body")).to_have_attribute("data-live", "online")
    expect(board.locator(".note", has_text=note)).to_be_visible()
    return context, board
