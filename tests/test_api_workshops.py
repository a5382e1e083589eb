"""The workshop routes through the Flask test client: roles, shapes, errors."""

import pytest

from tests.liveserver import TOKEN

BEARER = {"Authorization": f"Bearer {TOKEN}"}
BODY = {
    "title": "Safer routes",
    "sections": [{"title": "Timeline", "body": "By March"}, {"title": "Roles"}],
    "prompts": [{"text": "Too fast?", "section": "Timeline"}],
    "settings": {"votes_per_attendee": 5},
}


def test_the_facilitator_creates_a_workshop_with_the_token(client):
    response = client.post("/api/workshops", json=BODY, headers=BEARER)
    assert 201 == response.status_code
    workshop = response.json
    assert f"http://lan:5000/j/{workshop['code']}" == workshop["join_url"]
    assert ["Timeline", "Roles"] == [s["title"] for s in workshop["sections"]]
    assert [
        {
            "id": workshop["prompts"][0]["id"],
            "text": "Too fast?",
            "section_id": workshop["sections"][0]["id"],
        }
    ] == workshop["prompts"]
    assert 5 == workshop["settings"]["votes_per_attendee"]
    assert workshop == client.get(f"/api/workshops/{workshop['code']}").json


def test_the_facilitator_cookie_works_too(facilitator):
    assert 201 == facilitator.post("/api/workshops", json=BODY).status_code
    assert ["Safer routes"] == [w["title"] for w in facilitator.get("/api/workshops").json]


@pytest.mark.parametrize(
    "headers, status, message",
    [
        ({}, 403, "only the facilitator can create a workshop"),
        ({"Authorization": "Bearer wrong"}, 401, "the facilitator token is not recognised"),
    ],
)
def test_others_cannot_create_workshops(client, headers, status, message):
    response = client.post("/api/workshops", json=BODY, headers=headers)
    assert (status, {"error": message}) == (response.status_code, response.json)
    assert 403 == client.get("/api/workshops").status_code


def test_an_attendee_cannot_change_the_phase(attendee, workshop):
    response = attendee.put(f"/api/workshops/{workshop['code']}/phase", json={"phase": "vote"})
    assert (403, {"error": "only the facilitator can change the phase"}) == (
        response.status_code,
        response.json,
    )
    assert "gather" == attendee.get(f"/api/workshops/{workshop['code']}").json["phase"]


def test_the_facilitator_changes_the_phase(facilitator, workshop):
    response = facilitator.put(f"/api/workshops/{workshop['code']}/phase", json={"phase": "sort"})
    assert (200, "sort") == (response.status_code, response.json["phase"])
    bad = facilitator.put(f"/api/workshops/{workshop['code']}/phase", json={"phase": 3})
    assert 400 == bad.status_code
    assert bad.json["error"].startswith("phase must be one of")


@pytest.mark.parametrize(
    "body, message",
    [
        ({"title": ""}, "title is empty"),
        ({"title": ["T"]}, "title must be text"),
        ({"title": "T", "prompts": [{"text": "Q", "section": "Budget"}]}, "names a section"),
    ],
)
def test_bad_workshops_are_400_and_create_nothing(facilitator, body, message):
    response = facilitator.post("/api/workshops", json=body)
    assert 400 == response.status_code
    assert message in response.json["error"]
    assert [] == facilitator.get("/api/workshops").json


def test_the_body_must_be_a_json_object(facilitator):
    not_json = facilitator.post("/api/workshops", data="title=T", content_type="text/plain")
    assert (400, {"error": "send JSON (Content-Type: application/json)"}) == (
        not_json.status_code,
        not_json.json,
    )
    a_list = facilitator.post("/api/workshops", json=["T"])
    assert (400, {"error": "the body must be a JSON object"}) == (a_list.status_code, a_list.json)
    broken = facilitator.post("/api/workshops", data="{", content_type="application/json")
    assert 400 == broken.status_code


def test_unknown_workshop_and_route_are_json_404s(client):
    response = client.get("/api/workshops/ZZZZ")
    assert (404, {"error": "no workshop with the code 'ZZZZ'"}) == (
        response.status_code,
        response.json,
    )
    assert 404 == client.get("/api/nothing").status_code
    assert "error" in client.get("/api/nothing").json
    assert 405 == client.delete("/api/workshops").status_code


def test_a_body_over_the_limit_is_413(facilitator):
    response = facilitator.post(
        "/api/workshops", data='{"title": "' + "x" * 70_000 + '"}', content_type="application/json"
    )
    assert 413 == response.status_code
    assert "too large" in response.json["error"]
