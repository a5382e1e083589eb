"""Card sorting and the plan check over HTTP: roles and the flow from phones to results."""

import pytest


@pytest.fixture
def notes_posted(attendee, workshop):
    url = f"/api/workshops/{workshop['code']}/notes"
    return [
        attendee.post(url, json={"text": f"n{i}", "client_id": f"c{i}"}).json["id"]
        for i in range(2)
    ]


def test_a_card_sort_from_start_to_applied(app, facilitator, attendee, workshop, notes_posted):
    code = workshop["code"]
    assert (
        403
        == attendee.post(
            f"/api/workshops/{code}/card-sorts", json={"note_ids": notes_posted}
        ).status_code
    )
    sort = facilitator.post(f"/api/workshops/{code}/card-sorts", json={"note_ids": notes_posted})
    assert 201 == sort.status_code
    current = attendee.get(f"/api/workshops/{code}/card-sorts/current").json
    assert (["n0", "n1"], {}) == ([n["text"] for n in current["notes"]], current["mine"])
    roles = workshop["sections"][2]["id"]
    placed = attendee.post(
        f"/api/card-sorts/{sort.json['id']}/placements",
        json={"note_id": notes_posted[0], "section_id": roles},
    )
    assert {"placed": 1, "of": 2} == placed.json
    results = attendee.get(f"/api/card-sorts/{sort.json['id']}/results").json
    assert (1, roles) == (results["participants"], results["notes"][0]["top_section_id"])
    assert 403 == attendee.post(f"/api/card-sorts/{sort.json['id']}/apply").status_code
    assert 200 == facilitator.post(f"/api/card-sorts/{sort.json['id']}/apply").status_code
    assert roles == facilitator.get(f"/api/workshops/{code}/notes").json[0]["section_id"]


def test_a_stranger_cannot_place_or_rate(app, facilitator, workshop, notes_posted):
    code = workshop["code"]
    sort = facilitator.post(
        f"/api/workshops/{code}/card-sorts", json={"note_ids": notes_posted}
    ).json
    facilitator.post(f"/api/workshops/{code}/plan-check")
    stranger = app.test_client()
    body = {"note_id": notes_posted[0], "section_id": workshop["sections"][0]["id"]}
    assert 403 == stranger.post(f"/api/card-sorts/{sort['id']}/placements", json=body).status_code
    rating = {"section_id": workshop["sections"][0]["id"], "rating": "workable"}
    refused = stranger.post(f"/api/workshops/{code}/plan-check/ratings", json=rating)
    assert (403, "join the workshop first (open its join link)") == (
        refused.status_code,
        refused.json["error"],
    )


def test_the_plan_check_flow(facilitator, attendee, workshop):
    code = workshop["code"]
    assert 403 == attendee.post(f"/api/workshops/{code}/plan-check").status_code
    assert 201 == facilitator.post(f"/api/workshops/{code}/plan-check").status_code
    section = workshop["sections"][3]["id"]
    rated = attendee.post(
        f"/api/workshops/{code}/plan-check/ratings",
        json={"section_id": section, "rating": "needs-changes", "comment": "Too fast"},
    )
    assert 200 == rated.status_code
    state = attendee.get(f"/api/workshops/{code}/plan-check").json
    assert ({str(section): "needs-changes"}, 1) == (state["mine"], state["check"]["participants"])
    assert 403 == attendee.delete(f"/api/workshops/{code}/plan-check").status_code
    assert 200 == facilitator.delete(f"/api/workshops/{code}/plan-check").status_code
    late = attendee.post(
        f"/api/workshops/{code}/plan-check/ratings",
        json={"section_id": section, "rating": "workable"},
    )
    assert (409, "The plan check is not open right now.") == (late.status_code, late.json["error"])


def test_card_sorts_are_listed_newest_first_with_when_they_were_applied(
    facilitator, workshop, notes_posted
):
    code = workshop["code"]
    first = facilitator.post(
        f"/api/workshops/{code}/card-sorts", json={"note_ids": notes_posted}
    ).json
    second = facilitator.post(
        f"/api/workshops/{code}/card-sorts", json={"note_ids": notes_posted[:1]}
    ).json
    facilitator.post(f"/api/card-sorts/{second['id']}/apply")
    listed = facilitator.get(f"/api/workshops/{code}/card-sorts").json
    assert [second["id"], first["id"]] == [s["id"] for s in listed]
    assert listed[0]["applied_at"] and listed[1]["closed_at"] and not listed[1]["applied_at"]
