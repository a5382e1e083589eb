"""The facilitator token: rotation signs old browsers out; a restart does not."""

import re
import subprocess
import sys

import pytest
import requests
from click.testing import CliRunner

from tests.liveserver import TOKEN, LiveServer, board_socket, wait_until
from workshop.cli.commands import cli
from workshop.core import tokens
from workshop.web.app import create_app


@pytest.fixture
def data(tmp_path):
    return tmp_path / "data"


def make_app(data, **config):
    return create_app({"TESTING": True, "DATA_DIR": str(data), **config})


def signed_in(app, token):
    client = app.test_client()
    assert 302 == client.get(f"/facilitator?token={token}").status_code
    return client


def test_rotation_signs_out_every_browser_and_the_old_link(data):
    app = make_app(data, FACILITATOR_TOKEN=TOKEN)
    browser = signed_in(app, TOKEN)
    assert 200 == browser.get("/api/workshops").status_code
    new_token, generation = tokens.rotate_facilitator_token(data)
    assert 1 == generation
    assert 403 == browser.get("/api/workshops").status_code  # the same running app
    assert 401 == app.test_client().get(f"/facilitator?token={TOKEN}").status_code
    old_bearer = {"Authorization": f"Bearer {TOKEN}"}
    assert 401 == app.test_client().get("/api/workshops", headers=old_bearer).status_code
    assert 200 == signed_in(app, new_token).get("/api/workshops").status_code
    new_bearer = {"Authorization": f"Bearer {new_token}"}
    assert 200 == app.test_client().get("/api/workshops", headers=new_bearer).status_code
    app.extensions["workshop"].store.close()


def test_a_restart_with_a_new_token_keeps_browsers_signed_in(data):
    first_token = tokens.issue_facilitator_token(data)  # what `workshop serve` does at start
    first = make_app(data)
    cookie = signed_in(first, first_token).get_cookie("workshop").value
    first.extensions["workshop"].store.close()

    tokens.issue_facilitator_token(data)  # the next start: a new token, same generation
    second = make_app(data)
    browser = second.test_client()
    browser.set_cookie("workshop", cookie)
    assert 200 == browser.get("/api/workshops").status_code
    assert 401 == second.test_client().get(f"/facilitator?token={first_token}").status_code
    second.extensions["workshop"].store.close()


def test_token_files_are_private_and_written_whole(data):
    tokens.rotate_facilitator_token(data)
    for name in (tokens.TOKEN_FILE, tokens.GENERATION_FILE):
        assert 0o600 == (data / name).stat().st_mode & 0o777
    assert [tokens.GENERATION_FILE, tokens.TOKEN_FILE] == sorted(p.name for p in data.iterdir())


def test_the_token_command_rotates_and_prints_the_new_link(data, monkeypatch):
    monkeypatch.delenv("WORKSHOP_FACILITATOR_TOKEN", raising=False)
    runner = CliRunner()
    status = runner.invoke(cli, ["token", "--data", str(data)])
    assert "rotated 0 time(s)" in status.output
    rotated = runner.invoke(
        cli, ["token", "--rotate", "--data", str(data), "--public-url", "http://lan:5000"]
    )
    assert 0 == rotated.exit_code, rotated.output
    assert re.search(r"http://lan:5000/facilitator\?token=(\S+)", rotated.output)
    token = re.search(r"Authorization: Bearer\): (\S+)", rotated.output)[1]
    assert tokens.hash_token(token) == tokens.stored_token_hash(data)
    assert "rotated 1 time(s)" in runner.invoke(cli, ["token", "--data", str(data)]).output


# -- a real server ---------------------------------------------------------------------------
def printed_token(server):
    return re.findall(r"Authorization: Bearer\): (\S+)", server.log.read_text())[-1]


@pytest.mark.server
def test_a_rotation_reaches_a_running_server_and_its_facilitator_sockets(tmp_path):
    server = LiveServer(tmp_path / "data", env={"WORKSHOP_FACILITATOR_TOKEN": ""})
    try:
        server.start()
        token = printed_token(server)
        browser = requests.Session()
        browser.get(f"{server.base_url}/facilitator?token={token}", timeout=30)
        code = browser.post(f"{server.base_url}/api/workshops", json={"title": "T"}).json()["code"]
        server.restart()  # a new token at start, and the browser stays signed in
        assert token != printed_token(server)
        assert 200 == browser.get(f"{server.base_url}/api/workshops", timeout=30).status_code

        cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.get_dict().items())
        _, welcomes, gone = board_socket(server.base_url, code, cookie)
        assert "facilitator" == welcomes[0]["role"]

        env = {"PATH": "/usr/bin:/bin", "WORKSHOP_FACILITATOR_TOKEN": ""}
        rotated = subprocess.run(
            [sys.executable, "-m", "workshop.cli", "token", "--rotate"]
            + ["--data", str(server.data_dir), "--public-url", server.base_url],
            capture_output=True,
            text=True,
            env=env,
            timeout=30,
            check=True,
        )
        new_token = re.search(r"Authorization: Bearer\): (\S+)", rotated.stdout)[1]
        assert 403 == browser.get(f"{server.base_url}/api/workshops", timeout=30).status_code
        # The running server notices the rotation by itself and drops the facilitator's socket
        # (polled here with a generous cap; on a quiet machine it is a matter of a second).
        wait_until(lambda: gone, "the facilitator socket was disconnected")
        fresh = requests.Session()
        fresh.get(f"{server.base_url}/facilitator?token={new_token}", timeout=30)
        assert 200 == fresh.get(f"{server.base_url}/api/workshops", timeout=30).status_code
    finally:
        server.stop()
