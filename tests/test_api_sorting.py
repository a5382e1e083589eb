"""Sorting over HTTP and sockets: only the facilitator, clear errors, boards converging."""

import pytest

from workshop.realtime.sockets import socketio


@pytest.fixture
def posted(attendee, workshop):
    url = f"/api/workshops/{workshop['code']}/notes"
    return [
        attendee.post(url, json={"text": f"n{i}", "client_id": f"c{i}"}).json["id"]
        for i in range(3)
    ]


def board_routes(app):
    """Every route of the sorting blueprint, with sample ids filled in."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("board_api."):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                path = rule.rule
                for name in ("note_id", "group_id", "section_id"):
                    path = path.replace(f"<int:{name}>", "1")
                yield method, path.replace("<code>", "{code}")


def test_no_one_but_the_facilitator_sorts(app, attendee, workshop, posted):
    routes = sorted(board_routes(app))
    assert 12 == len(routes)  # a note's history is in notes_api: its author reads it too
    before = attendee.get(f"/api/workshops/{workshop['code']}/state").json
    for method, path in routes:
        response = attendee.open(path.format(code=workshop["code"]), method=method, json={})
        assert (403, "only the facilitator can sort the board or edit the plan") == (
            response.status_code,
            response.json["error"],
        ), (method, path)
    assert before == attendee.get(f"/api/workshops/{workshop['code']}/state").json


def test_the_facilitator_moves_groups_and_undoes(facilitator, workshop, posted):
    timeline = workshop["sections"][3]["id"]
    moved = facilitator.post(f"/api/notes/{posted[0]}/move", json={"section_id": timeline})
    assert (200, timeline) == (moved.status_code, moved.json["section_id"])
    group = facilitator.post(
        f"/api/workshops/{workshop['code']}/groups", json={"note_ids": posted[:2], "label": "Snow"}
    )
    assert (201, "Snow", timeline) == (
        group.status_code,
        group.json["label"],
        group.json["section_id"],
    )
    state = facilitator.get(f"/api/workshops/{workshop['code']}/state").json
    assert [group.json["id"]] == [g["id"] for g in state["groups"]]
    log = facilitator.get(f"/api/workshops/{workshop['code']}/moderation").json
    assert ["move", "group"] == [entry["action"] for entry in log]
    undone = facilitator.post(f"/api/workshops/{workshop['code']}/undo")
    assert (200, "group") == (undone.status_code, undone.json["action"])
    assert [] == facilitator.get(f"/api/workshops/{workshop['code']}/state").json["groups"]


@pytest.mark.parametrize(
    "path, body, status, message",
    [
        ("/api/notes/{a}/move", {"section_id": 99999}, 404, "no section 99999"),
        ("/api/notes/{a}/move", {"section_id": None, "group_id": 99999}, 404, "no group 99999"),
        ("/api/notes/99999/move", {"section_id": None}, 404, "no note with id 99999"),
        ("/api/notes/{a}/move", {"section_id": None, "index": "top"}, 400, "index must be"),
        ("/api/notes/{a}/merge", {"note_ids": "b"}, 400, "note_ids must list"),
        ("/api/workshops/{code}/groups", {"note_ids": ["a"]}, 400, "at least two"),
        ("/api/sections/99999/move", {"index": 0}, 404, "no section 99999"),
    ],
)
def test_bad_sorting_requests_change_nothing(
    facilitator, workshop, posted, path, body, status, message
):
    state = facilitator.get(f"/api/workshops/{workshop['code']}/state").json
    url = path.format(a=posted[0], code=workshop["code"])
    if body.get("note_ids") == ["a"]:
        body = {"note_ids": [posted[0]]}
    response = facilitator.post(url, json=body)
    assert (status, True) == (response.status_code, message in response.json["error"])
    assert state == facilitator.get(f"/api/workshops/{workshop['code']}/state").json


def test_undo_with_nothing_to_undo_is_409(facilitator, workshop):
    response = facilitator.post(f"/api/workshops/{workshop['code']}/undo")
    assert (409, "there is nothing left to undo") == (response.status_code, response.json["error"])


def test_two_boards_see_the_same_moves_in_the_same_order(app, facilitator, workshop, posted):
    boards = [
        socketio.test_client(app, auth={"code": workshop["code"], "view": "board"})
        for _ in range(2)
    ]
    for board in boards:
        board.get_received()
    timeline = workshop["sections"][3]["id"]
    for note_id in reversed(posted):
        facilitator.post(f"/api/notes/{note_id}/move", json={"section_id": timeline, "index": 0})
    streams = [
        [(p["name"], p["args"][0]["id"], p["args"][0]["seq"]) for p in board.get_received()]
        for board in boards
    ]
    assert streams[0] == streams[1]
    assert [("note.updated", n) for n in reversed(posted)] == [
        (name, i) for name, i, _ in streams[0]
    ]
    order = [
        n["id"]
        for n in sorted(
            facilitator.get(f"/api/workshops/{workshop['code']}/notes").json,
            key=lambda n: n["position"],
        )
    ]
    assert posted == order
