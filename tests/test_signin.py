"""Signing the facilitator in by a one-time link, and out for real, over HTTP.

(In Chromium, that the link leaves no working credential in the browser's history:
tests/test_browser_signin.py.)
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from click.testing import CliRunner

from tests.liveserver import TOKEN
from workshop.cli.commands import cli
from workshop.core import db as database
from workshop.core import signin


def store_of(app):
    return app.extensions["workshop"].store


def form_field(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html)[1]


def sign_in_by_link(client, ticket: str):
    """What the sign-in page's script does: GET the link, POST its form."""
    page = client.get(f"/facilitator?token={ticket}")
    assert 200 == page.status_code
    html = page.get_data(as_text=True)
    assert form_field(html, "ticket") == ticket
    return client.post(
        "/facilitator", data={"ticket": ticket, "csrf_token": form_field(html, "csrf_token")}
    )


def is_signed_in(client) -> bool:
    return 200 == client.get("/api/facilitator/sessions").status_code


def test_a_ticket_signs_one_browser_in_once(app):
    ticket = signin.new_ticket(store_of(app))
    first = app.test_client()
    assert 303 == sign_in_by_link(first, ticket).status_code
    assert is_signed_in(first)
    second = app.test_client()
    refused = second.get(f"/facilitator?token={ticket}")
    assert 401 == refused.status_code
    assert "has been used already" in refused.get_data(as_text=True)
    assert not is_signed_in(second)


def test_opening_the_link_spends_nothing_until_the_page_posts(app):
    """A link preview (a GET, no script) leaves the ticket for the facilitator."""
    ticket = signin.new_ticket(store_of(app))
    preview = app.test_client()
    assert 200 == preview.get(f"/facilitator?token={ticket}").status_code
    assert not is_signed_in(preview)
    assert "valid" == signin.ticket_state(store_of(app).db, ticket)


def test_an_expired_ticket_is_refused(app):
    ticket = signin.new_ticket(store_of(app), lifetime=timedelta(seconds=-1))
    refused = app.test_client().get(f"/facilitator?token={ticket}")
    assert 401 == refused.status_code
    assert "has expired" in refused.get_data(as_text=True)


def test_the_post_needs_the_page_form_token(app):
    ticket = signin.new_ticket(store_of(app))
    client = app.test_client()
    assert 400 == client.post("/facilitator", data={"ticket": ticket}).status_code
    assert "valid" == signin.ticket_state(store_of(app).db, ticket)


def test_signing_out_closes_the_session_so_a_copied_cookie_is_out_too(app):
    browser = app.test_client()
    assert 302 == browser.get(f"/facilitator?token={TOKEN}").status_code
    cookie = browser.get_cookie("workshop").value
    copy = app.test_client()
    copy.set_cookie("workshop", cookie)
    assert is_signed_in(copy)
    home = browser.get("/").get_data(as_text=True)
    assert (
        303
        == browser.post(
            "/sign-out", data={"csrf_token": form_field(home, "csrf_token")}
        ).status_code
    )
    assert not is_signed_in(browser)
    assert not is_signed_in(copy)  # the stolen cookie is worthless now
    assert 403 == copy.post("/api/workshops", json={"title": "Mine now"}).status_code


def test_sign_out_every_other_browser(app):
    laptop, phone = app.test_client(), app.test_client()
    laptop.get(f"/facilitator?token={TOKEN}")
    made = laptop.post("/api/facilitator/tickets").get_json()
    assert made["url"].startswith("http://lan:5000/facilitator?token=")
    assert made["qr"].startswith("data:image/svg+xml;base64,")
    assert 303 == sign_in_by_link(phone, made["url"].rsplit("=", 1)[1]).status_code
    assert 2 == len(laptop.get("/api/facilitator/sessions").get_json()["sessions"])
    closed = laptop.post("/api/facilitator/sessions/sign-out-others").get_json()
    assert {"signed_out": 1} == closed
    assert is_signed_in(laptop) and not is_signed_in(phone)


def test_only_the_facilitator_makes_tickets(app, attendee):
    assert 403 == attendee.post("/api/facilitator/tickets").status_code
    assert 0 == store_of(app).db["sign_in_tickets"].count


def test_wrong_guesses_from_one_address_are_throttled_and_others_are_not(app):
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "127.0.0.9"
    statuses = [guesser.get(f"/facilitator?token=guess-{n}").status_code for n in range(30)]
    assert 401 == statuses[0] and 429 == statuses[-1]
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    # Throttled, even the right token is refused, or a 429 would mark the wrong guesses.
    assert 429 == guesser.get("/api/workshops", headers=bearer).status_code
    assert 429 == guesser.get(f"/facilitator?token={TOKEN}").status_code
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "127.0.0.10"
    assert 200 == other.get("/api/workshops", headers=bearer).status_code
    assert 302 == other.get(f"/facilitator?token={TOKEN}").status_code


def test_a_right_token_many_times_is_never_throttled(app):
    client = app.test_client()
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    assert all(200 == client.get("/api/workshops", headers=bearer).status_code for _ in range(60))


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.delenv("WORKSHOP_FACILITATOR_TOKEN", raising=False)
    return tmp_path / "data"


def test_token_link_prints_a_new_one_time_link_and_rotate_signs_everyone_out(data):
    runner = CliRunner()
    linked = runner.invoke(
        cli, ["token", "--link", "--data", str(data), "--public-url", "http://lan:5000"]
    )
    assert 0 == linked.exit_code, linked.output
    ticket = re.search(r"http://lan:5000/facilitator\?token=(\S+)", linked.output)[1]
    store = database.connect(data / "workshop.db")
    try:
        assert "valid" == signin.ticket_state(store.db, ticket)
        session_id = signin.open_session(store, "a browser")
        rotated = runner.invoke(cli, ["token", "--rotate", "--data", str(data)])
        assert "Every browser signed in before (1) is signed out" in rotated.output
        assert not signin.session_open(store.db, session_id)
        assert (
            "Browsers signed in as the facilitator: 0."
            in runner.invoke(cli, ["token", "--data", str(data)]).output
        )
    finally:
        store.close()
