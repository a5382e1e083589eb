"""What the projector shows (workshop/workshops/projection.py): chosen by the facilitator,
kept in the workshop's state, following the phase; over HTTP and the socket, and the
projected screen a facilitator opens (``?as=room``) answered as the room."""

import pytest

from tests.test_realtime import connect, received
from workshop.workshops import workshops

URL = "/api/workshops/{code}/projection"


def put(client, workshop, body):
    return client.put(URL.format(code=workshop["code"]), json=body)


def state_of(client, workshop, **headers):
    return client.get(f"/api/workshops/{workshop['code']}/state", headers=headers).json


def test_a_new_workshop_projects_its_board(store):
    made = workshops.create_workshop(store, title="Routes", prompts=["What is missing?"])
    assert {"view": "board", "prompt_id": None, "frozen": False} == made["projection"]


def test_the_facilitator_projects_one_question_and_every_screen_hears_it(
    app, facilitator, workshop
):
    board = connect(app, workshop["code"], "board")
    phone = connect(app, workshop["code"], "phone")
    received(board), received(phone)
    prompt = workshop["prompts"][0]["id"]
    answer = put(facilitator, workshop, {"view": "question", "prompt_id": prompt})
    expected = {"view": "question", "prompt_id": prompt, "frozen": False}
    assert (200, expected) == (answer.status_code, answer.json)
    assert [("projection.changed", {"code": workshop["code"], **expected, "seq": 1})] == received(
        board
    )
    assert expected == facilitator.get(f"/api/workshops/{workshop['code']}").json["projection"]
    app.extensions["workshop_fanout"].flush_phones()
    assert ["projection.changed"] == [name for name, _ in received(phone)]


def test_freezing_keeps_the_view_and_another_view_drops_the_question(facilitator, workshop):
    prompt = workshop["prompts"][1]["id"]
    put(facilitator, workshop, {"view": "question", "prompt_id": prompt})
    frozen = put(facilitator, workshop, {"frozen": True}).json
    assert {"view": "question", "prompt_id": prompt, "frozen": True} == frozen
    ranked = put(facilitator, workshop, {"view": "ranked"}).json
    assert {"view": "ranked", "prompt_id": None, "frozen": True} == ranked


def test_a_new_phase_puts_the_projector_on_its_own_view_unfrozen(facilitator, workshop):
    put(facilitator, workshop, {"view": "sort", "frozen": True})
    code = workshop["code"]
    expected = [("vote", "board"), ("next-steps", "next-steps"), ("closed", "closing")]
    seen = []
    for phase, _ in expected:
        facilitator.put(f"/api/workshops/{code}/phase", json={"phase": phase})
        projection = facilitator.get(f"/api/workshops/{code}").json["projection"]
        seen.append((phase, projection["view"]))
        assert projection["frozen"] is False
    assert expected == seen


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "send any of: view, prompt_id, frozen"),
        ([], "the body must be a JSON object"),
        (
            {"view": "laptop"},
            "view must be one of: board, question, ranked, sort, check, next-steps, closing",
        ),
        ({"view": "question"}, "choose the question to show (prompt_id)"),
        ({"view": "question", "prompt_id": "1"}, "choose the question to show (prompt_id)"),
        (
            {"view": "question", "prompt_id": 9999},
            "prompt 9999 is not one of this workshop's questions",
        ),
        ({"view": "board", "prompt_id": 1}, "only the question view shows a prompt"),
        ({"frozen": "yes"}, "frozen must be true or false"),
    ],
)
def test_a_bad_projection_is_400_and_changes_nothing(facilitator, workshop, body, message):
    answer = put(facilitator, workshop, body)
    assert (400, message) == (answer.status_code, answer.json["error"])
    after = facilitator.get(f"/api/workshops/{workshop['code']}").json
    assert {"view": "board", "prompt_id": None, "frozen": False} == after["projection"]
    assert 0 == after["seq"]


def test_only_the_facilitator_chooses_what_is_projected(attendee, workshop):
    refused = put(attendee, workshop, {"view": "ranked"})
    assert (403, "only the facilitator can choose what the projector shows") == (
        refused.status_code,
        refused.json["error"],
    )


def test_a_prompt_of_another_workshop_is_refused(app, facilitator, workshop):
    other = workshops.create_workshop(
        app.extensions["workshop"].store, title="Other", prompts=["Elsewhere?"]
    )
    answer = put(
        facilitator, workshop, {"view": "question", "prompt_id": other["prompts"][0]["id"]}
    )
    assert 400 == answer.status_code


# -- the projected screen: a facilitator's browser answered as the room -------------------


@pytest.fixture
def hidden_note(facilitator, workshop):
    code = workshop["code"]
    note = facilitator.post(
        f"/api/workshops/{code}/notes", json={"text": "Private remark", "client_id": "h1"}
    ).json
    facilitator.patch(f"/api/notes/{note['id']}", json={"hidden": True})
    return note


def test_the_projected_screen_gets_the_rooms_state_from_a_facilitators_browser(
    facilitator, workshop, hidden_note
):
    own = state_of(facilitator, workshop)
    as_room = state_of(facilitator, workshop, **{"X-Workshop-As": "room"})
    assert "Private remark" == own["notes"][0]["text"]
    assert [] == as_room["notes"]
    page = facilitator.get(f"/w/{workshop['code']}/board?as=room").get_data(as_text=True)
    assert "facilitator-bar" not in page
    assert '"as_room": {"header": "X-Workshop-As", "value": "room"}' in page


def test_asking_as_the_room_never_writes(facilitator, workshop):
    refused = facilitator.put(
        URL.format(code=workshop["code"]),
        json={"view": "ranked"},
        headers={"X-Workshop-As": "room"},
    )
    assert 403 == refused.status_code


def test_the_projected_screens_socket_joins_the_public_boards(
    app, facilitator, workshop, hidden_note
):
    screen = connect(app, workshop["code"], "board", http=facilitator, **{"as": "room"})
    laptop = connect(app, workshop["code"], "board", http=facilitator)
    assert "board" == received(screen, "welcome")[0][1]["role"]
    assert "facilitator" == received(laptop, "welcome")[0][1]["role"]
    facilitator.patch(f"/api/notes/{hidden_note['id']}", json={"text": "Still private"})
    assert [{"id": hidden_note["id"], "hidden": True}] == [
        {k: v for k, v in payload.items() if k != "seq"}
        for _, payload in received(screen, "note.updated")
    ]
    assert "Still private" == received(laptop, "note.updated")[0][1]["text"]
