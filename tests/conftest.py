"""Fixtures shared by every test: an in-memory store, the app, clients, a live server."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.liveserver import TOKEN, LiveServer, running
from tests.pages import STEP_TIMEOUT_MS
from tests.world import world  # noqa: F401 - a shared fixture
from workshop.core import db as database
from workshop.web.app import create_app
from workshop.workshops import workshops

# `workshop demo` opens the facilitator page in a browser; never from a test (servers started
# here inherit it; tests/test_demo_browser.py unsets it on purpose).
os.environ["WORKSHOP_NO_BROWSER"] = "1"

CHROMIUM = "/usr/bin/chromium"
PROJECTOR = {"width": 1920, "height": 1080}
LAUNCH_TIMEOUT_MS = 120_000  # Chromium's start on a busy machine


@pytest.fixture
def store():
    store = database.connect(None)
    yield store
    store.close()


@pytest.fixture
def app():
    app = create_app({"TESTING": True, "FACILITATOR_TOKEN": TOKEN, "PUBLIC_URL": "http://lan:5000"})
    yield app
    app.extensions["workshop"].store.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def facilitator(app):
    """A browser signed in through the facilitator link."""
    client = app.test_client()
    response = client.get(f"/facilitator?token={TOKEN}")
    assert 302 == response.status_code
    return client


@pytest.fixture
def workshop(app):
    """A workshop with two prompts, the second pointing at the Timeline section."""
    return workshops.create_workshop(
        app.extensions["workshop"].store,
        title="Safer routes",
        prompts=[
            {"text": "What is missing?"},
            {"text": "Is the timeline right?", "section": "Timeline"},
        ],
    )


@pytest.fixture
def attendee(client, workshop):
    """A phone that has joined the workshop."""
    response = client.post(f"/api/workshops/{workshop['code']}/join", json={})
    assert 200 == response.status_code
    return client


@pytest.fixture
def live_server(tmp_path):
    """A `workshop serve` on a loopback port; stopped (its whole process group) after the
    test, and already stopped again if it never answered (LiveServer.start)."""
    with running(LiveServer(tmp_path / "data")) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps` (Debian package chromium)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=STEP_TIMEOUT_MS)  # every expect() without its own timeout

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            timeout=LAUNCH_TIMEOUT_MS,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--host-resolver-rules=MAP workshop.test 127.0.0.1",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def contexts(browser):
    """Opens browser contexts (one per device: a board, each phone) and closes them after."""
    opened = []

    def open_context(base_url: str, viewport: dict = PROJECTOR, **options):
        context = browser.new_context(base_url=base_url, viewport=viewport, **options)
        context.set_default_timeout(STEP_TIMEOUT_MS)
        opened.append(context)
        return context

    try:
        yield open_context
    finally:
        for context in opened:
            context.close()


# The fixtures that start something, and the marker a test using one gets whether or not its
# module says so: `make test-fast` (-m "not browser and not server and not redis") never
# starts a process.
STARTS = {
    "live_server": "server",
    "redis_server": "redis",
    "browser": "browser",
    "contexts": "browser",
}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups (--dist loadgroup)
def pytest_collection_modifyitems(config, items):
    """Marks the tests that start a process (STARTS). Under pytest-xdist, the tests of a
    module that share a module-scoped fixture (a server for the module, Redis and a pair of
    processes) go to one worker, which starts it once; every other test goes wherever a
    worker is free."""
    for item in items:
        for fixture in sorted(STARTS.keys() & set(getattr(item, "fixturenames", ()))):
            item.add_marker(STARTS[fixture])
        info = getattr(item, "_fixtureinfo", None)
        defs = info.name2fixturedefs.values() if info else ()
        if any(fixturedef[-1].scope == "module" for fixturedef in defs):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))
