"""Guessing join codes and scribe links is slowed per address: after many misses an
address gets 429 for any code, hit or miss, while other addresses, a phone that mistyped
once, and browsers the workshop already knows go on as usual."""

from __future__ import annotations

import http.client
import json

import pytest

from tests.liveserver import TOKEN
from workshop.core.ratelimit import RateLimiter
from workshop.realtime.sockets import socketio
from workshop.web import guesses
from workshop.web.app import create_app
from workshop.workshops import workshops

TOO_MANY = "Too many wrong codes or links from this address."


@pytest.fixture
def app():
    app = create_app({"TESTING": True, "FACILITATOR_TOKEN": TOKEN})
    yield app
    app.extensions["workshop"].store.close()


@pytest.fixture
def code(app):
    return workshops.create_workshop(app.extensions["workshop"].store, title="Routes")["code"]


def from_address(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def unknown_codes(app, count: int) -> list[str]:
    known = {w["code"] for w in workshops.list_workshops(app.extensions["workshop"].store.db)}
    found = [f"{a}{b}FF" for a in "ACEFGHJKMN" for b in "ACEFGHJKMN"]
    return [c for c in found if c not in known][:count]


def exhaust(client, app) -> None:
    for unknown in unknown_codes(app, guesses.BURST):
        assert 404 == client.get(f"/api/workshops/{unknown}").status_code


def test_many_wrong_codes_from_one_address_are_429_for_every_code(app, code):
    guesser = from_address(app, "127.0.0.7")
    exhaust(guesser, app)
    for path in ("/api/workshops/WXYZ", f"/api/workshops/{code}", f"/j/{code}", "/j/WXYZ"):
        refused = guesser.get(path)
        assert 429 == refused.status_code, path
        assert int(refused.headers["Retry-After"]) >= 1
    answer = guesser.post(f"/api/workshops/{code}/join", json={})
    assert 429 == answer.status_code
    assert answer.json["error"].startswith(TOO_MANY)
    page = guesser.get(f"/j/{code}")
    assert "text/html" == page.mimetype and TOO_MANY in page.get_data(as_text=True)

    other = from_address(app, "127.0.0.8")
    assert 404 == other.get("/api/workshops/WXYZ").status_code
    assert 200 == other.post(f"/api/workshops/{code}/join", json={}).status_code
    assert 200 == other.get(f"/j/{code}").status_code


def test_a_phone_that_mistypes_is_not_blocked(app, code):
    phone = from_address(app, "127.0.0.9")
    for typo in ("KX7P", code[::-1] if code[::-1] != code else "KX7Q"):
        assert 404 == phone.get(f"/j/{typo}").status_code
    assert 200 == phone.get(f"/j/{code}").status_code
    assert 200 == phone.post(f"/api/workshops/{code}/join", json={}).status_code


def test_browsers_the_workshop_knows_go_on_from_a_blocked_address(app, code):
    """A venue behind one address: someone trying codes does not stop the room."""
    phone = from_address(app, "127.0.0.10")
    assert 200 == phone.post(f"/api/workshops/{code}/join", json={}).status_code
    facilitator = from_address(app, "127.0.0.10")
    facilitator.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {TOKEN}"
    link = facilitator.post(f"/api/workshops/{code}/scribe-links").json
    scribe = from_address(app, "127.0.0.10")
    assert 302 == scribe.get(link["url"].replace("http://localhost", "")).status_code

    exhaust(from_address(app, "127.0.0.10"), app)
    assert 429 == from_address(app, "127.0.0.10").get(f"/j/{code}").status_code
    note = phone.post(f"/api/workshops/{code}/notes", json={"text": "Lights", "client_id": "l"})
    assert 201 == note.status_code
    assert 200 == phone.get(f"/api/workshops/{code}/state").status_code
    assert 200 == facilitator.get(f"/api/workshops/{code}/state").status_code
    assert 200 == scribe.get(f"/api/workshops/{code}").status_code


def test_wrong_scribe_links_are_counted_too(app, code):
    guesser = from_address(app, "127.0.0.11")
    for number in range(guesses.BURST):
        wrong = guesser.get(f"/scribe?token=wrong-{number}")
        assert 403 == wrong.status_code
    refused = guesser.get("/scribe?token=wrong-again")
    assert 429 == refused.status_code and TOO_MANY in refused.get_data(as_text=True)
    assert 429 == guesser.get(f"/api/workshops/{code}").status_code

    facilitator = from_address(app, "127.0.0.12")
    facilitator.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {TOKEN}"
    link = facilitator.post(f"/api/workshops/{code}/scribe-links").json
    assert 429 == guesser.get(link["url"].replace("http://localhost", "")).status_code
    other = from_address(app, "127.0.0.13")
    assert 302 == other.get(link["url"].replace("http://localhost", "")).status_code


def test_socket_connects_with_wrong_codes_are_counted(app, code):
    client = app.test_client()  # the socket test client's address: 127.0.0.1
    for unknown in unknown_codes(app, guesses.BURST):
        refused = socketio.test_client(
            app, flask_test_client=client, auth={"code": unknown, "view": "board"}
        )
        assert not refused.is_connected()
    assert 429 == client.get(f"/api/workshops/{code}").status_code
    blocked = socketio.test_client(
        app, flask_test_client=client, auth={"code": code, "view": "board"}
    )
    assert not blocked.is_connected()
    assert 200 == from_address(app, "127.0.0.14").get(f"/api/workshops/{code}").status_code


def test_guesses_come_back_with_time():
    clock = [0.0]
    limiter = RateLimiter(clock=lambda: clock[0])
    limits = {"per_minute": 6, "burst": 2}
    assert 0 == limiter.wait("a", **limits) == limiter.wait("a", **limits)
    assert 10.0 == pytest.approx(limiter.wait("a", **limits))
    assert 10.0 == pytest.approx(limiter.wait("a", spend=False, **limits))
    clock[0] = 10.0
    assert 0 == limiter.wait("a", spend=False, **limits)
    assert 0 == limiter.wait("a", **limits)
    assert 0 == limiter.wait("b", **limits)


def test_a_real_server_tells_addresses_apart(live_server):
    """Through the gevent server, from several loopback addresses."""
    code = live_server.create_workshop(title="Live")["code"]

    def get(address: str, path: str) -> int:
        connection = http.client.HTTPConnection(
            "127.0.0.1", live_server.port, timeout=30, source_address=(address, 0)
        )
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            if response.status == 429:
                assert json.loads(body)["error"].startswith(TOO_MANY)
            return response.status
        finally:
            connection.close()

    statuses = [get("127.0.0.31", f"/api/workshops/{c}") for c in ["WXYZ"] * guesses.BURST]
    assert [404] * guesses.BURST == statuses
    assert 429 == get("127.0.0.31", f"/api/workshops/{code}")
    assert 200 == get("127.0.0.32", f"/api/workshops/{code}")
    assert 404 == get("127.0.0.33", "/api/workshops/WXYZ")


# -- printed cards' codes ------------------------------------------------------------------


@pytest.fixture
def card(app, code):
    from workshop.paper import cards

    (issued,) = cards.issue_cards(app.extensions["workshop"].store, code, 1)
    return issued["code"]


def unknown_cards(count: int) -> list[str]:
    return [f"ZZ{a}{b}{c}F" for a in "ACEFG" for b in "HJKMN" for c in "PQRTW"][:count]


def test_many_wrong_card_codes_are_429_for_every_card_then_the_room_goes_on(app, code, card):
    guesser = from_address(app, "127.0.0.21")
    for unknown in unknown_cards(guesses.BURST):
        assert 404 == guesser.get(f"/api/cards/{unknown}").status_code
    for path in (f"/api/cards/{card}", "/api/cards/ZZZZZZZZ", f"/c/{card}", f"/card?code={card}"):
        refused = guesser.get(path)
        assert 429 == refused.status_code, path
    posted = guesser.post(f"/api/cards/{card}/note", json={"text": "Mine now", "client_id": "g1"})
    assert 429 == posted.status_code
    assert posted.json["error"].startswith(TOO_MANY)
    # Nothing was posted on the card; a phone of the room on another address goes on.
    phone = from_address(app, "127.0.0.22")
    assert 200 == phone.post(f"/api/workshops/{code}/join", json={}).status_code
    answer = phone.get(f"/api/cards/{card}")
    assert 200 == answer.status_code and answer.json["note"] is None


def test_a_phone_of_the_cards_workshop_is_not_refused_on_a_shared_address(app, code, card):
    """A venue behind one NAT address: someone there tries card codes; a phone that joined
    the card's workshop still opens and writes its card."""
    phone = from_address(app, "127.0.0.23")
    assert 200 == phone.post(f"/api/workshops/{code}/join", json={}).status_code
    guesser = from_address(app, "127.0.0.23")
    for unknown in unknown_cards(guesses.BURST):
        guesser.get(f"/api/cards/{unknown}")
    assert 429 == guesser.get(f"/api/cards/{card}").status_code
    assert 200 == phone.get(f"/api/cards/{card}").status_code
    written = phone.post(f"/api/cards/{card}/note", json={"text": "A crossing", "client_id": "p"})
    assert 201 == written.status_code


def test_typed_card_codes_count_and_the_facilitators_misses_do_not(app, code, card):
    typist = from_address(app, "127.0.0.24")
    for unknown in unknown_cards(guesses.BURST):
        assert 404 == typist.get(f"/card?code={unknown}").status_code
    assert 429 == typist.get(f"/card?code={card}").status_code

    facilitator = from_address(app, "127.0.0.25")
    facilitator.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {TOKEN}"
    for unknown in unknown_cards(guesses.BURST + 5):
        assert 404 == facilitator.get(f"/api/cards/{unknown}").status_code
    assert 200 == facilitator.get(f"/api/cards/{card}").status_code
