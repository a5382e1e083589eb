"""The signed session cookie, verified once per cookie value (workshop/web/sessions.py):
what a phone's cookie says is read the same way every time, a forged or edited cookie is
checked in full and refused, one request's changes never leak into another's, and an expired
or re-keyed cookie is not believed because it was believed before."""

from __future__ import annotations

import time

from flask import session

from workshop.web.app import create_app
from workshop.web.context import ensure_attendee_id


def make_app(**config):
    app = create_app({"TESTING": True, **config})

    @app.get("/t/whoami")
    def whoami():
        return {"aid": session.get("aid"), "scribes": session.get("scribes")}

    @app.post("/t/join")
    def join():
        return {"aid": ensure_attendee_id()}

    @app.post("/t/scribe/<code>")
    def scribe(code):
        session.setdefault("scribes", []).append(code)  # changed in place, on purpose
        session.modified = True
        return {"scribes": session["scribes"]}

    @app.get("/t/peek")
    def peek():  # changes this request's copy and does not save it
        scribes = session.get("scribes")
        if isinstance(scribes, list):
            scribes.append("LEAK")
        return {"scribes": scribes}

    return app


def cookie_of(client) -> str:
    return client.get_cookie("workshop").value


def test_a_cookie_reads_the_same_every_time_and_a_changed_one_is_refused():
    app = make_app()
    phone = app.test_client()
    aid = phone.post("/t/join", json={}).get_json()["aid"]
    for _ in range(3):
        assert {"aid": aid, "scribes": None} == phone.get("/t/whoami").get_json()

    value = cookie_of(phone)
    payload, signature = value.rsplit(".", 1)
    forger = app.test_client()
    tampered = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    forger.set_cookie("workshop", f"{payload}.{tampered}")
    assert {"aid": None, "scribes": None} == forger.get("/t/whoami").get_json()
    other = app.test_client()
    other.set_cookie("workshop", value)  # the same cookie copied to another client is the same
    assert aid == other.get("/t/whoami").get_json()["aid"]


def test_what_one_request_changes_in_its_session_never_reaches_the_next():
    app = make_app()
    scribe = app.test_client()
    assert ["AB12"] == scribe.post("/t/scribe/AB12", json={}).get_json()["scribes"]
    assert ["AB12", "LEAK"] == scribe.get("/t/peek").get_json()["scribes"]
    assert ["AB12"] == scribe.get("/t/whoami").get_json()["scribes"]
    assert ["AB12", "LEAK"] == scribe.get("/t/peek").get_json()["scribes"]
    assert ["AB12"] == scribe.get("/t/whoami").get_json()["scribes"]
    assert ["AB12", "CD34"] == scribe.post("/t/scribe/CD34", json={}).get_json()["scribes"]
    assert ["AB12", "CD34"] == scribe.get("/t/whoami").get_json()["scribes"]


def test_a_new_secret_key_forgets_every_cookie_it_had_verified():
    app = make_app(SECRET_KEY="first")
    phone = app.test_client()
    aid = phone.post("/t/join", json={}).get_json()["aid"]
    assert aid == phone.get("/t/whoami").get_json()["aid"]
    app.secret_key = "second"
    assert phone.get("/t/whoami").get_json()["aid"] is None


def test_an_expired_cookie_is_refused_though_it_was_verified_before():
    from datetime import timedelta

    app = make_app(PERMANENT_SESSION_LIFETIME=timedelta(seconds=2))
    phone = app.test_client()
    aid = phone.post("/t/join", json={}).get_json()["aid"]
    assert aid == phone.get("/t/whoami").get_json()["aid"]
    replay = app.test_client()  # sends the cookie whatever its Expires said
    value = cookie_of(phone)
    deadline = time.monotonic() + 30
    while True:
        replay.set_cookie("workshop", value)
        if replay.get("/t/whoami").get_json()["aid"] is None:
            break
        assert time.monotonic() < deadline, "the expired cookie was still believed"
        time.sleep(0.2)
