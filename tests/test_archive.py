"""A workshop closed for good: its join code no longer opens the phone page, joins a phone
or connects a phone's socket (410, with a clear message), while its summary stays public at
its own link and the facilitator still reads everything."""

from __future__ import annotations

import pytest

from workshop.realtime.sockets import socketio


@pytest.fixture
def archived(facilitator, workshop, client):
    code = workshop["code"]
    assert 200 == client.post(f"/api/workshops/{code}/join", json={}).status_code
    posted = client.post(f"/api/workshops/{code}/notes", json={"text": "Benches", "client_id": "b"})
    assert 201 == posted.status_code
    assert (
        200
        == facilitator.put(f"/api/workshops/{code}/feedback-window", json={"days": 0}).status_code
    )
    assert (
        200 == facilitator.put(f"/api/workshops/{code}/phase", json={"phase": "closed"}).status_code
    )
    assert (
        200
        == facilitator.put(f"/api/workshops/{code}/feedback-window", json={"days": 7}).status_code
    )
    answer = facilitator.post(f"/api/workshops/{code}/archive")
    assert 200 == answer.status_code
    assert answer.json["archived_at"] and answer.json["feedback_until"] is None
    return code


def test_only_a_closed_workshop_is_closed_for_good_and_only_by_the_facilitator(
    facilitator, attendee, workshop
):
    code = workshop["code"]
    refused = attendee.post(f"/api/workshops/{code}/archive")
    assert (403, "only the facilitator can close a workshop for good") == (
        refused.status_code,
        refused.json["error"],
    )
    early = facilitator.post(f"/api/workshops/{code}/archive")
    assert (409, "close the workshop (phase closed) before closing it for good") == (
        early.status_code,
        early.json["error"],
    )
    assert facilitator.get(f"/api/workshops/{code}").json["archived_at"] is None


def test_the_join_code_no_longer_joins(app, archived):
    phone = app.test_client()
    page = phone.get(f"/j/{archived}")
    assert 410 == page.status_code
    html = page.get_data(as_text=True)
    assert "This workshop is over and closed for good." in html
    assert f'href="/w/{archived}/summary"' in html
    joined = phone.post(f"/api/workshops/{archived}/join", json={})
    assert 410 == joined.status_code
    assert (
        f"Workshop {archived} is over and closed for good. What was heard and what happens "
        f"next is on its summary page: /w/{archived}/summary"
    ) == joined.json["error"]
    typed = phone.get(f"/join?code={archived.lower()}", follow_redirects=True)
    assert 410 == typed.status_code


def test_the_summary_stays_public_and_the_facilitator_reads_everything(app, facilitator, archived):
    anyone = app.test_client()
    summary = anyone.get(f"/w/{archived}/summary")
    assert 200 == summary.status_code and "Benches" in summary.get_data(as_text=True)
    assert 200 == facilitator.get(f"/j/{archived}").status_code
    assert 200 == facilitator.get(f"/api/workshops/{archived}/export.json").status_code
    assert "Benches" in [
        n["text"] for n in facilitator.get(f"/api/workshops/{archived}/notes").json
    ]


def test_nothing_reopens_it(facilitator, attendee, archived):
    for method, path, body in [
        ("put", "phase", {"phase": "gather"}),
        ("put", "feedback-window", {"days": 3}),
    ]:
        answer = getattr(facilitator, method)(f"/api/workshops/{archived}/{path}", json=body)
        assert (409, f"workshop {archived} is closed for good") == (
            answer.status_code,
            answer.json["error"],
        )
    posted = attendee.post(
        f"/api/workshops/{archived}/notes", json={"text": "Late", "client_id": "late"}
    )
    assert 403 == posted.status_code or 409 == posted.status_code
    again = facilitator.post(f"/api/workshops/{archived}/archive")
    assert 200 == again.status_code


def test_phone_sockets_are_refused_boards_are_not(app, archived):
    phone = socketio.test_client(app, auth={"code": archived, "view": "phone"})
    assert not phone.is_connected()
    board = socketio.test_client(app, auth={"code": archived, "view": "board"})
    assert board.is_connected()
    board.disconnect()
