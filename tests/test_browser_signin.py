"""The printed facilitator link in real Chromium: it signs the browser in, and what the
browser's history keeps afterwards opens nothing; signing out cuts the board's socket.

Chromium keeps every address it opened in its History database, redirects and #fragments
included, so the test reads that database (from a profile of its own) after signing in.
"""

from __future__ import annotations

import re
import sqlite3

import pytest
import requests
from playwright.sync_api import expect

from tests.conftest import CHROMIUM, LAUNCH_TIMEOUT_MS
from tests.liveserver import LiveServer, board_socket, running, wait_until
from tests.pages import STEP_TIMEOUT_MS

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path):
    """A server that makes its own token, as `workshop serve` does for a facilitator."""
    with running(LiveServer(tmp_path / "data", env={"WORKSHOP_FACILITATOR_TOKEN": ""})) as live:
        yield live


def printed(server) -> tuple[str, str]:
    """The link and the token the server printed when it started."""
    log = server.log.read_text()
    link = re.findall(r"Facilitator link \(keep it private\): (\S+)", log)[-1]
    token = re.findall(r"Authorization: Bearer\): (\S+)", log)[-1]
    return link, token


def test_the_printed_link_signs_in_and_leaves_nothing_usable_in_history(browser, server, tmp_path):
    link, token = printed(server)
    assert token not in link
    profile = tmp_path / "profile"
    context = browser.browser_type.launch_persistent_context(
        profile, executable_path=CHROMIUM, headless=True, timeout=LAUNCH_TIMEOUT_MS
    )
    try:
        page = context.new_page()
        page.set_default_timeout(STEP_TIMEOUT_MS)
        page.goto(link)
        expect(page.get_by_role("heading", name="New workshop")).to_be_visible()
        assert page.url == f"{server.base_url}/"
    finally:
        context.close()  # writes the History database out
    history = sqlite3.connect(f"file:{profile / 'Default' / 'History'}?mode=ro", uri=True)
    try:
        urls = [row[0] for row in history.execute("SELECT url FROM urls")]
    finally:
        history.close()
    assert any(url.startswith(f"{server.base_url}/facilitator") for url in urls), urls
    assert not any(token in url for url in urls)
    # The link the history kept has been spent: it signs no one in any more.
    for url in urls:
        stranger = requests.Session()
        stranger.get(url, timeout=30)
        assert (
            403
            == stranger.post(
                f"{server.base_url}/api/workshops", json={"title": "x"}, timeout=30
            ).status_code
        )


def test_signing_out_disconnects_that_browsers_board(contexts, server):
    _, token = printed(server)
    made = requests.post(
        f"{server.base_url}/api/workshops",
        json={"title": "T"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    code = made.json()["code"]
    context = contexts(server.base_url)
    page = context.new_page()
    page.goto(f"/facilitator?token={token}")
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())
    board, welcomes, gone = board_socket(server.base_url, code, cookie)
    try:
        assert "facilitator" == welcomes[0]["role"]
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("heading", name="New workshop")).to_have_count(0)
        wait_until(lambda: gone, "the signed-out browser's facilitator socket was cut")
    finally:
        board.disconnect()
