"""Socket.IO through Flask-SocketIO's test client: rooms, roles, payloads, batching."""

import pytest

from tests.liveserver import TOKEN
from workshop.realtime.sockets import socketio
from workshop.web.app import create_app


@pytest.fixture
def app():
    # A long batch interval: these tests flush the phones' batch by hand.
    app = create_app({"TESTING": True, "FACILITATOR_TOKEN": TOKEN, "PHONE_BATCH_SECONDS": 3600})
    yield app
    app.extensions["workshop"].store.close()


@pytest.fixture
def feed(app):
    return app.extensions["workshop_fanout"]


def connect(app, code, view, http=None, **auth):
    return socketio.test_client(
        app, auth={"code": code, "view": view, **auth}, flask_test_client=http
    )


def received(client, name=None):
    return [(p["name"], p["args"][0]) for p in client.get_received() if name in (None, p["name"])]


def post_note(http, workshop, text, client_id):
    return http.post(
        f"/api/workshops/{workshop['code']}/notes", json={"text": text, "client_id": client_id}
    ).json


def test_a_board_gets_a_welcome_and_every_note_at_once(app, attendee, workshop):
    board = connect(app, workshop["code"], "board")
    assert [("welcome", {"role": "board", "seq": 0})] == received(board)
    note = post_note(attendee, workshop, "Snow", "c1")
    assert [("note.created", {**note, "seq": 1})] == received(board)


def test_a_second_board_sees_the_same_stream(app, attendee, workshop):
    boards = [connect(app, workshop["code"], "board") for _ in range(2)]
    for board in boards:
        board.get_received()
    post_note(attendee, workshop, "one", "c1")
    post_note(attendee, workshop, "two", "c2")
    streams = [[(n, p["text"], p["seq"]) for n, p in received(b)] for b in boards]
    assert [[("note.created", "one", 1), ("note.created", "two", 2)]] * 2 == streams


@pytest.mark.parametrize(
    "auth",
    [
        {"code": "ZZZZ", "view": "board"},
        {"view": "board"},
        {"code": None, "view": "phone"},
        {"code": "<the workshop>", "view": "projector"},
        {"code": "<the workshop>"},
        "KX7P",
    ],
)
def test_a_bad_connect_is_refused(app, workshop, auth):
    if isinstance(auth, dict) and auth.get("code") == "<the workshop>":
        auth = {**auth, "code": workshop["code"]}
    client = socketio.test_client(app, auth=auth)
    assert not client.is_connected()


def test_a_wrong_token_is_refused(app, workshop):
    client = connect(app, workshop["code"], "board", token="guess")
    assert not client.is_connected()


def test_phones_get_the_room_in_batches(app, feed, attendee, workshop):
    phone = connect(app, workshop["code"], "phone", http=attendee)
    phone.get_received()
    first = post_note(attendee, workshop, "one", "c1")
    second = post_note(attendee, workshop, "two", "c2")
    assert [] == received(phone)  # nothing until the batch goes out
    assert 2 == feed.flush_phones()
    assert [("note.created", {**first, "seq": 1}), ("note.created", {**second, "seq": 2})] == (
        received(phone)
    )


def test_a_hidden_note_never_reaches_a_public_view(app, feed, attendee, facilitator, workshop):
    board = connect(app, workshop["code"], "board")
    phone = connect(app, workshop["code"], "phone", http=attendee)
    own = connect(app, workshop["code"], "board", http=facilitator)
    assert [("welcome", {"role": "facilitator", "seq": 0})] == received(own)
    board.get_received()
    phone.get_received()
    note = post_note(attendee, workshop, "Rude joke", "c1")
    facilitator.patch(f"/api/notes/{note['id']}", json={"hidden": True})
    feed.flush_phones()
    public = [("note.created", "Rude joke"), ("note.updated", None)]
    for client in (board, phone):
        events = received(client)
        assert public == [(name, payload.get("text")) for name, payload in events]
        assert {"id": note["id"], "hidden": True, "seq": 2} == events[1][1]
    full = received(own)
    assert ("Rude joke", True) == (full[1][1]["text"], full[1][1]["hidden"])


def test_the_facilitator_token_in_auth_gives_the_facilitator_role(app, workshop):
    client = connect(app, workshop["code"], "board", token=TOKEN)
    assert [("welcome", {"role": "facilitator", "seq": 0})] == received(client)


def test_events_from_clients_change_nothing(app, attendee, workshop):
    phone = connect(app, workshop["code"], "phone", http=attendee)
    phone.emit("note.updated", {"id": 1, "hidden": True})
    phone.emit("phase.changed", {"phase": "closed"})
    assert "gather" == attendee.get(f"/api/workshops/{workshop['code']}").json["phase"]
    assert phone.is_connected()


def test_presence_counts_phones_and_who_took_part(app, feed, attendee, workshop):
    from functools import partial

    from workshop.realtime.sockets import _presence_state

    state = partial(_presence_state, reports=feed.reports)

    board = connect(app, workshop["code"], "board")
    phones = [connect(app, workshop["code"], "phone") for _ in range(3)]
    post_note(attendee, workshop, "Snow", "c1")
    board.get_received()
    with app.app_context():
        feed.flush_presence(state)
    expected = {"phones": 3, "boards": 1, "seq": 1, "participants": 1}
    assert [("presence", expected)] == received(board)
    phones[0].disconnect()
    with app.app_context():
        feed.flush_presence(state)
    assert [2] == [payload["phones"] for _, payload in received(board, "presence")]
    state = attendee.get(f"/api/workshops/{workshop['code']}/state").json
    assert 1 == state["participants"]


def test_a_phase_change_reaches_boards_and_phones(app, feed, facilitator, workshop):
    board = connect(app, workshop["code"], "board")
    phone = connect(app, workshop["code"], "phone")
    board.get_received()
    phone.get_received()
    facilitator.put(f"/api/workshops/{workshop['code']}/phase", json={"phase": "vote"})
    feed.flush_phones()
    code = workshop["code"]
    expected = [
        ("phase.changed", {"code": code, "phase": "vote", "seq": 1}),
        # and the projector goes to the phase's own view (workshop/workshops/projection.py)
        (
            "projection.changed",
            {"code": code, "view": "board", "prompt_id": None, "frozen": False, "seq": 2},
        ),
    ]
    assert (expected, expected) == (received(board), received(phone))


def test_phones_that_ask_get_one_message_per_batch(app, feed, attendee, workshop):
    from workshop.core.protocol import for_phone_page

    phone = connect(app, workshop["code"], "phone", http=attendee, batch=True)
    named = connect(app, workshop["code"], "phone")
    phone.get_received()
    named.get_received()
    first = post_note(attendee, workshop, "one", "c1")
    second = post_note(attendee, workshop, "two", "c2")
    feed.flush_phones()
    # The batch carries what the phone page reads of each note; named events the whole note.
    expected = [
        ["note.created", {**for_phone_page("note.created", first), "seq": n}]
        for n, first in ((1, first), (2, second))
    ]
    assert [("batch", {"events": expected})] == received(phone)
    assert [("note.created", {**first, "seq": 1}), ("note.created", {**second, "seq": 2})] == [
        (name, payload) for name, payload in received(named)
    ]
