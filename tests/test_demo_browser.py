"""`workshop demo` opens the facilitator's page in the default browser, signed in, and
never where it should not (no display, CI, --no-browser, WORKSHOP_NO_BROWSER)."""

import stat

import pytest
import requests

from tests.liveserver import LiveServer, running, wait_until
from tests.test_signin import form_field
from workshop.cli.browser import reason_not_to_open


@pytest.mark.parametrize(
    "no_browser, environ, platform, reason",
    [
        (False, {"DISPLAY": ":0"}, "linux", None),
        (False, {"WAYLAND_DISPLAY": "wayland-0"}, "linux", None),
        (False, {}, "win32", None),
        (False, {}, "darwin", None),
        (False, {}, "linux", "no display"),  # webbrowser would start lynx in the terminal
        (True, {"DISPLAY": ":0"}, "linux", "--no-browser"),
        (False, {"DISPLAY": ":0", "WORKSHOP_NO_BROWSER": "1"}, "linux", "--no-browser"),
        (False, {"CI": "true"}, "darwin", "CI"),
    ],
)
def test_when_a_browser_is_opened(no_browser, environ, platform, reason):
    assert reason == reason_not_to_open(no_browser, environ, platform)


@pytest.mark.server
def test_the_demo_opens_the_facilitator_page_signed_in(tmp_path):
    opened = tmp_path / "opened.txt"
    fake_browser = tmp_path / "browser.sh"  # what Python's webbrowser runs: $BROWSER url
    fake_browser.write_text(f'#!/bin/sh\necho "$1" >> {opened}\n')
    fake_browser.chmod(fake_browser.stat().st_mode | stat.S_IXUSR)
    env = {"WORKSHOP_NO_BROWSER": "", "CI": "", "DISPLAY": ":0", "BROWSER": str(fake_browser)}
    with running(LiveServer(tmp_path / "data", demo=True, env=env)) as server:
        url = wait_until(lambda: opened.exists() and opened.read_text().strip(), "opened")
        assert url.startswith(f"{server.base_url}/facilitator?token=")
        assert "Opened the facilitator page in your browser" in server.log.read_text()
        printed = server.log.read_text().split("Facilitator link (keep it private): ")[1]
        assert url != printed.split()[0]  # a ticket of its own: the printed link still works
        with requests.Session() as browser:  # what the sign-in page's script does
            page = browser.get(url, timeout=30).text
            signed_in = browser.post(
                f"{server.base_url}/facilitator",
                data={
                    "ticket": form_field(page, "ticket"),
                    "csrf_token": form_field(page, "csrf_token"),
                },
                headers={"Origin": server.base_url},
                timeout=30,
            )
            assert 200 == signed_in.status_code
            home = browser.get(f"{server.base_url}/", timeout=30)
            assert "Your workshops" in home.text  # signed in as the facilitator
            assert "Safer walking routes to school" in home.text


@pytest.mark.server
def test_the_demo_opens_nothing_with_no_browser(tmp_path):
    opened = tmp_path / "opened.txt"
    fake_browser = tmp_path / "browser.sh"
    fake_browser.write_text(f'#!/bin/sh\necho "$1" >> {opened}\n')
    fake_browser.chmod(fake_browser.stat().st_mode | stat.S_IXUSR)
    env = {"CI": "", "DISPLAY": ":0", "BROWSER": str(fake_browser)}  # WORKSHOP_NO_BROWSER=1
    with running(LiveServer(tmp_path / "data", demo=True, env=env)) as server:
        assert "Press Ctrl+C to stop." in server.log.read_text()  # past the point of opening
    assert not opened.exists()
