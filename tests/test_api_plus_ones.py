"""POST/DELETE /api/notes/<id>/plus-one over HTTP: a joined phone's "+1 this instead?"."""

import pytest

from workshop.realtime.sockets import socketio
from workshop.workshops import workshops


def join(app, code):
    phone = app.test_client()
    assert 200 == phone.post(f"/api/workshops/{code}/join", json={}).status_code
    return phone


def post(client, code, text, client_id):
    response = client.post(
        f"/api/workshops/{code}/notes", json={"text": text, "client_id": client_id}
    )
    assert 201 == response.status_code, response.json
    return response.json["id"]


@pytest.fixture
def room(app, facilitator, workshop):
    """A workshop with an author's note, and another phone that has joined."""
    code = workshop["code"]
    author = join(app, code)
    note = post(author, code, "Maps in Spanish and Vietnamese, please.", "n1")
    return {"code": code, "author": author, "note": note, "phone": join(app, code)}


def board_count(client, code, note_id):
    (note,) = [n for n in client.get(f"/api/workshops/{code}/notes").json if n["id"] == note_id]
    return note["plus_ones"]


def test_a_plus_one_is_counted_once_and_taken_back_once(room, client):
    phone, note, code = room["phone"], room["note"], room["code"]
    path = f"/api/notes/{note}/plus-one"
    for _ in range(2):
        response = phone.post(path, json={})
        assert 200 == response.status_code
        assert {"note_id": note, "plus_ones": 1, "mine": True} == response.json
    assert 1 == board_count(client, code, note)  # what every board shows
    for _ in range(2):
        response = phone.delete(path, json={})
        assert 200 == response.status_code
        assert {"note_id": note, "plus_ones": 0, "mine": False} == response.json
    assert 0 == board_count(client, code, note)


def test_every_phone_counts(app, room, client):
    for _ in range(3):
        join(app, room["code"]).post(f"/api/notes/{room['note']}/plus-one", json={})
    assert 3 == board_count(client, room["code"], room["note"])


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/api/notes/999/plus-one", 404, "no note with id 999"),
        ("/api/notes/abc/plus-one", 404, None),
        ("/api/notes/-1/plus-one", 404, None),
    ],
)
def test_an_unknown_note_is_404(room, path, status, message):
    for method in ("POST", "DELETE"):
        response = room["phone"].open(path, method=method, json={})
        assert status == response.status_code
        assert "error" in response.json
        if message:
            assert message == response.json["error"]


def test_only_a_joined_phone_gives_a_plus_one(room, client, facilitator):
    path = f"/api/notes/{room['note']}/plus-one"
    for stranger in (client, facilitator):
        response = stranger.post(path, json={})
        assert 403 == response.status_code
        assert "join the workshop first (open its join link)" == response.json["error"]
    assert 0 == board_count(client, room["code"], room["note"])


def test_a_phone_joined_elsewhere_cannot_plus_one_this_room(app, room, client):
    other = workshops.create_workshop(app.extensions["workshop"].store, title="Other")
    stranger = join(app, other["code"])
    response = stranger.post(f"/api/notes/{room['note']}/plus-one", json={})
    assert 403 == response.status_code
    assert 0 == board_count(client, room["code"], room["note"])


def test_a_form_body_is_refused(room, client):
    response = room["phone"].post(
        f"/api/notes/{room['note']}/plus-one",
        data="x=1",
        content_type="application/x-www-form-urlencoded",
    )
    assert 400 == response.status_code
    assert "send JSON (Content-Type: application/json)" == response.json["error"]
    assert 0 == board_count(client, room["code"], room["note"])


def test_a_hidden_note_takes_no_plus_one_and_says_why(room, facilitator, client):
    note, phone = room["note"], room["phone"]
    assert 200 == phone.post(f"/api/notes/{note}/plus-one", json={}).status_code
    assert 200 == facilitator.patch(f"/api/notes/{note}", json={"hidden": True}).status_code
    for method in ("POST", "DELETE"):
        response = phone.open(f"/api/notes/{note}/plus-one", method=method, json={})
        assert 409 == response.status_code
        assert "This note is not on the board, so it cannot get a +1." == response.json["error"]
    shown = facilitator.get(f"/api/workshops/{room['code']}/notes").json
    assert [1] == [n["plus_ones"] for n in shown if n["id"] == note]  # nothing changed


def test_a_withdrawn_note_takes_no_plus_one(room):
    note = room["note"]
    assert 200 == room["author"].delete(f"/api/notes/{note}").status_code
    response = room["phone"].post(f"/api/notes/{note}/plus-one", json={})
    assert 409 == response.status_code
    assert "This note is not on the board, so it cannot get a +1." == response.json["error"]


def test_no_plus_one_on_ones_own_note(room):
    response = room["author"].post(f"/api/notes/{room['note']}/plus-one", json={})
    assert 409 == response.status_code
    assert "This is your own note." == response.json["error"]


def test_in_the_vote_the_phone_places_a_dot_instead(room, facilitator):
    code = room["code"]
    assert (
        200 == facilitator.put(f"/api/workshops/{code}/phase", json={"phase": "vote"}).status_code
    )
    response = room["phone"].post(f"/api/notes/{room['note']}/plus-one", json={})
    assert 409 == response.status_code
    assert "The room is voting: put a dot on the note instead." == response.json["error"]
    assert 200 == room["phone"].post(f"/api/notes/{room['note']}/votes", json={}).status_code


def test_while_tallies_are_hidden_nobody_but_the_facilitator_sees_the_count(
    room, facilitator, client
):
    code, note = room["code"], room["note"]
    response = facilitator.patch(f"/api/workshops/{code}/settings", json={"hide_tallies": True})
    assert 200 == response.status_code
    answer = room["phone"].post(f"/api/notes/{note}/plus-one", json={}).json
    assert {"note_id": note, "plus_ones": None, "mine": True} == answer
    assert None is board_count(client, code, note)
    assert None is board_count(room["phone"], code, note)
    assert [None] == [
        n["plus_ones"] for n in client.get(f"/api/workshops/{code}/state").json["notes"]
    ]
    assert [None] == [
        n["plus_ones"] for n in room["author"].get(f"/api/workshops/{code}/me").json["notes"]
    ]
    assert 1 == board_count(facilitator, code, note)
    # The author is told the room acted, not that it was a +1 (which would be a count).
    response = room["author"].patch(f"/api/notes/{note}", json={"text": "Other words"})
    assert 409 == response.status_code
    assert "The room has already acted on this note" in response.json["error"]


def test_a_plus_one_fixes_the_authors_words(room):
    note = room["note"]
    room["phone"].post(f"/api/notes/{note}/plus-one", json={})
    response = room["author"].patch(f"/api/notes/{note}", json={"text": "Other words"})
    assert 409 == response.status_code
    assert (
        "Others gave this note a +1, so its words can no longer change." == response.json["error"]
    )


def test_new_plus_ones_are_rate_limited_like_notes_and_repeats_cost_nothing(app, room, facilitator):
    code = room["code"]
    burst = workshops.workshop_row(app.extensions["workshop"].store.db, code)["settings"][
        "note_burst"
    ]
    targets = [post(facilitator, code, f"Idea {i}", f"f{i}") for i in range(burst + 1)]
    phone = room["phone"]
    answers = [phone.post(f"/api/notes/{n}/plus-one", json={}) for n in targets[:burst]]
    assert [200] * burst == [a.status_code for a in answers]
    for _ in range(3):  # the same +1 again is no new one
        assert 200 == phone.post(f"/api/notes/{targets[0]}/plus-one", json={}).status_code
    response = phone.post(f"/api/notes/{targets[-1]}/plus-one", json={})
    assert 429 == response.status_code
    assert response.json["error"].startswith("Slow down: at most 20 +1s a minute from one phone.")
    assert 0 == board_count(facilitator, code, targets[-1])
    # Another phone is not slowed down.
    other = join(app, code)
    assert 200 == other.post(f"/api/notes/{targets[-1]}/plus-one", json={}).status_code


def test_boards_hear_the_new_count_at_once(app, room):
    code, note = room["code"], room["note"]
    board = socketio.test_client(app, auth={"code": code, "view": "board"})
    board.get_received()
    room["phone"].post(f"/api/notes/{note}/plus-one", json={})
    updates = [p["args"][0] for p in board.get_received() if p["name"] == "note.updated"]
    assert [(note, 1)] == [(u["id"], u["plus_ones"]) for u in updates]
    board.disconnect()


def test_a_phone_is_never_offered_a_hidden_note_to_plus_one(app, room, facilitator):
    code, phone = room["code"], room["phone"]
    hidden = post(facilitator, code, "Maps in Spanish and Vietnamese please!", "h")
    assert 200 == facilitator.patch(f"/api/notes/{hidden}", json={"hidden": True}).status_code
    offered = phone.get(f"/api/workshops/{code}/similar?text=maps in spanish and vietnamese")
    assert [room["note"]] == [n["id"] for n in offered.json["notes"]]
    assert all(n["id"] != hidden for n in offered.json["notes"])
