"""Changes another site's page makes in the facilitator's or a phone's name are refused.

A page on another port of the laptop is the same *site* to a browser, so the facilitator's
cookie goes with its requests; its forms and empty-bodied no-cors fetches carry an
``Origin`` naming it. (The same attacks from real Chromium: tests/test_browser_forgery.py.)
"""

from __future__ import annotations

import pytest

OTHER_PORT = "http://lan:8000"  # the app's public URL is http://lan:5000


@pytest.fixture
def moved(facilitator, workshop):
    """A note the facilitator moved into the first section (the change an undo would revert)."""
    code = workshop["code"]
    note = facilitator.post(
        f"/api/workshops/{code}/notes", json={"text": "More crossings", "client_id": "c1"}
    ).get_json()
    section = workshop["sections"][0]["id"]
    assert (
        200
        == facilitator.post(
            f"/api/notes/{note['id']}/move", json={"section_id": section}
        ).status_code
    )
    return note["id"], section


def note_of(facilitator, note_id: int) -> dict:
    notes = facilitator.get("/api/workshops").get_json()
    for workshop in notes:
        for note in facilitator.get(f"/api/workshops/{workshop['code']}/notes").get_json():
            if note["id"] == note_id:
                return note
    raise AssertionError(f"no note {note_id}")


def section_of(facilitator, note_id: int):
    return note_of(facilitator, note_id)["section_id"]


@pytest.mark.parametrize(
    "origin", [OTHER_PORT, "http://evil.example", "null", "http://lan:5000.evil"]
)
def test_an_empty_change_from_another_origin_is_refused(facilitator, workshop, moved, origin):
    note_id, section = moved
    response = facilitator.post(
        f"/api/workshops/{workshop['code']}/undo", headers={"Origin": origin}
    )
    assert 403 == response.status_code
    assert "another site" in response.get_json()["error"]
    assert section == section_of(facilitator, note_id)


def test_a_form_from_another_origin_is_refused_whatever_its_body(facilitator, workshop, moved):
    note_id, section = moved
    for data in ({}, {"phase": "vote"}, {"anything": "x"}):
        response = facilitator.post(
            f"/api/workshops/{workshop['code']}/undo", data=data, headers={"Origin": OTHER_PORT}
        )
        assert 403 == response.status_code
    assert section == section_of(facilitator, note_id)
    assert "gather" == facilitator.get(f"/api/workshops/{workshop['code']}").get_json()["phase"]


def test_a_form_body_without_an_origin_is_still_refused(facilitator, workshop, moved):
    """A browser that sends no Origin still cannot send JSON cross-site: a form body is refused."""
    note_id, section = moved
    response = facilitator.post(f"/api/workshops/{workshop['code']}/undo", data={"x": "1"})
    assert 400 == response.status_code
    assert "JSON" in response.get_json()["error"]
    assert section == section_of(facilitator, note_id)


def test_our_own_pages_and_scripts_may_change(facilitator, workshop, moved):
    """The app's own pages send their own origin; scripts and the CLI send none."""
    note_id, section = moved
    own = facilitator.post(
        f"/api/workshops/{workshop['code']}/undo", headers={"Origin": "http://lan:5000"}
    )
    assert 200 == own.status_code
    assert section_of(facilitator, note_id) is None
    facilitator.post(f"/api/notes/{note_id}/move", json={"section_id": section})
    script = facilitator.post(f"/api/workshops/{workshop['code']}/undo")  # no Origin, no body
    assert 200 == script.status_code
    assert section_of(facilitator, note_id) is None


def test_the_origin_the_browser_used_counts_as_ours(facilitator, workshop, moved):
    """Reached by another address than the public URL (the laptop's own browser on localhost)."""
    response = facilitator.post(
        f"/api/workshops/{workshop['code']}/undo",
        headers={"Origin": "http://localhost"},
        base_url="http://localhost",
    )
    assert 200 == response.status_code


def test_a_phone_vote_from_another_origin_is_refused(attendee, workshop, facilitator):
    code = workshop["code"]
    note = attendee.post(
        f"/api/workshops/{code}/notes", json={"text": "Shade", "client_id": "v1"}
    ).get_json()
    facilitator.put(f"/api/workshops/{code}/phase", json={"phase": "vote"})
    refused = attendee.post(f"/api/notes/{note['id']}/votes", headers={"Origin": OTHER_PORT})
    assert 403 == refused.status_code
    assert 0 == note_of(facilitator, note["id"])["votes"]


def test_signing_out_needs_the_form_token(facilitator):
    refused = facilitator.post("/sign-out", data={})
    assert 400 == refused.status_code
    assert facilitator.post("/api/workshops", json={"title": "Still in"}).status_code == 201
    home = facilitator.get("/").get_data(as_text=True)
    token = home.split('name="csrf_token" value="')[1].split('"')[0]
    assert 303 == facilitator.post("/sign-out", data={"csrf_token": token}).status_code
    assert 403 == facilitator.post("/api/workshops", json={"title": "Out"}).status_code


def test_an_unknown_route_is_still_a_404(facilitator):
    assert 404 == facilitator.post("/api/no-such-thing", data={"x": "1"}).status_code


def test_another_port_of_our_own_host_is_another_origin(facilitator, workshop, moved):
    """The origin is the scheme, host and port the browser used: a page on another port of
    the same laptop is refused, ours on this port is not."""
    code = workshop["code"]
    refused = facilitator.post(
        f"/api/workshops/{code}/undo",
        headers={"Origin": "http://localhost:5001"},
        base_url="http://localhost:5000",
    )
    assert 403 == refused.status_code
    assert "another site (http://localhost:5001)" in refused.get_json()["error"]
    ours = facilitator.post(
        f"/api/workshops/{code}/undo",
        headers={"Origin": "http://LOCALHOST:5000"},
        base_url="http://localhost:5000",
    )
    assert 200 == ours.status_code
