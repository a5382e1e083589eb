"""What the browser tests share about a page: its problems recorded, and opening it live."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, Page, expect


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
