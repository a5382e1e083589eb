"""What the browser tests share about a page: its problems recorded, and opening it live."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, Page, expect

# Caps, not expectations: on a quiet machine each of these takes milliseconds, on a busy one
# seconds. A test asserts what happens (the change is drawn, live, without a reload), never how
# fast; how fast is measured in bench/ (bench/realtime.py: post -> board and post -> phone
# latency; bench/pages.py: page loads and drawing).
STEP_TIMEOUT_MS = 30_000  # any single page action or wait, unless a test says otherwise
LIVE_MS = 30_000  # a change drawn on a board from its socket event
PHONE_MS = 30_000  # a change drawn on a phone from the next 0.5 s batch


def watch(page: Page, problems: list[str]) -> Page:
    """Record console errors (CSP violations included) and uncaught exceptions."""
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    return page


def open_page(context: BrowserContext, path: str, problems: list[str] | None = None) -> Page:
    """Open ``path`` and wait until its socket has joined the workshop's rooms and the state
    it fetched is drawn (a fetch still in flight would redraw what the test then touches)."""
    page = context.new_page()
    if problems is not None:
        watch(page, problems)
    page.goto(path)
    body = page.locator("body")
    expect(body).to_have_attribute("data-live", "online")
    expect(body).to_have_attribute("data-sync", "done")
    return page


def fetches(page: Page) -> list[str]:
    """The API requests and page loads ``page`` makes from now on (recorded as they start)."""
    made: list[str] = []

    def record(request) -> None:
        if "/api/" in request.url or request.is_navigation_request():
            made.append(f"{request.method} {request.url}")

    page.on("request", record)
    return made


# The page's own bus (static/js/core/bus.js), for a probe that follows what the page applied.
# Modules are instances per URL: the probe imports the very URL the page loaded.
WITH_BUS = """async (probe) => {
  const url = performance.getEntriesByType("resource").map((entry) => entry.name)
    .find((name) => new URL(name).pathname.endsWith("/js/core/bus.js"));
  const { bus, TOPIC } = await import(url);
  new Function("bus", "TOPIC", probe)(bus, TOPIC);
}"""


def on_bus(page: Page, probe: str) -> None:
    """Run ``probe`` (a script body with ``bus`` and ``TOPIC`` in scope) in the page; the
    page's context must bypass the CSP (``new Function``)."""
    page.evaluate(WITH_BUS, probe)


def sign_in(context: BrowserContext, server) -> None:
    """Sign ``context`` in as the facilitator, as a script does: the link with the token itself
    (the printed one-time link is tested in tests/test_browser_signin.py)."""
    page = context.new_page()
    page.goto(f"/facilitator?token={server.token}")
    expect(page.get_by_role("heading", name="New workshop")).to_be_visible()
    page.close()
