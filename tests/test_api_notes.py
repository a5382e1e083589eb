"""Posting and reading notes over HTTP: idempotency, limits, roles, hidden notes."""

import pytest

from tests.liveserver import TOKEN
from workshop.web.app import create_app
from workshop.workshops import workshops

BEARER = {"Authorization": f"Bearer {TOKEN}"}


def notes_url(workshop):
    return f"/api/workshops/{workshop['code']}/notes"


def test_a_phone_posts_a_note(attendee, workshop):
    response = attendee.post(notes_url(workshop), json={"text": "Snow", "client_id": "n1"})
    assert 201 == response.status_code
    note = response.json
    assert {
        "id",
        "workshop",
        "text",
        "color",
        "source",
        "prompt_id",
        "section_id",
        "position",
        "group_id",
        "hidden",
        "votes",
        "card_code",
        "created_at",
    } <= set(note)
    assert ("Snow", "phone", workshop["code"]) == (note["text"], note["source"], note["workshop"])
    assert [note] == attendee.get(notes_url(workshop)).json


def test_the_same_client_id_answers_200_with_the_same_note(attendee, workshop):
    first = attendee.post(notes_url(workshop), json={"text": "Snow", "client_id": "n1"})
    again = attendee.post(notes_url(workshop), json={"text": "Snow", "client_id": "n1"})
    assert (201, 200) == (first.status_code, again.status_code)
    assert first.json == again.json
    assert 1 == len(attendee.get(notes_url(workshop)).json)


def test_a_phone_must_join_first(client, workshop):
    response = client.post(notes_url(workshop), json={"text": "Snow", "client_id": "n1"})
    assert (403, {"error": "join the workshop first (open its join link)"}) == (
        response.status_code,
        response.json,
    )


def test_the_name_given_on_joining_labels_the_notes(client, workshop):
    joined = client.post(f"/api/workshops/{workshop['code']}/join", json={"name": " Ana "})
    assert "Ana" == joined.json["name"]
    note = client.post(notes_url(workshop), json={"text": "Hi", "client_id": "n1"}).json
    assert "Ana" == note["author_label"]
    me = client.get(f"/api/workshops/{workshop['code']}/me").json
    assert ({"attendee_id": joined.json["attendee_id"], "name": "Ana"}, [note["id"]]) == (
        me["attendee"],
        [n["id"] for n in me["notes"]],
    )


@pytest.mark.parametrize(
    "body, status, message",
    [
        ({"text": "", "client_id": "x"}, 400, "note is empty"),
        ({"text": "\u200b\x00 \u200d", "client_id": "x"}, 400, "note is empty"),
        ({"text": "x" * 281, "client_id": "x"}, 400, "the limit is 280"),
        ({"text": 12, "client_id": "x"}, 400, "note must be text"),
        ({"text": "Hi"}, 400, "client_id must be text"),
        ({"text": "Hi", "client_id": "x" * 65}, 400, "client_id is too long"),
        ({"text": "Hi", "client_id": "x", "prompt_id": 99999}, 404, "no prompt 99999"),
        ({"text": "Hi", "client_id": "x", "prompt_id": "1"}, 400, "prompt_id must be a whole"),
        ({"text": "Hi", "client_id": "x", "color": "red"}, 400, "color must be one of"),
    ],
)
def test_bad_notes_are_refused_clearly(attendee, workshop, body, status, message):
    response = attendee.post(notes_url(workshop), json=body)
    assert status == response.status_code
    assert message in response.json["error"]
    assert [] == attendee.get(notes_url(workshop)).json


def test_unknown_workshop_is_404(attendee):
    response = attendee.post("/api/workshops/ZZZZ/notes", json={"text": "Hi", "client_id": "x"})
    assert 404 == response.status_code


def test_a_flooding_phone_gets_429_and_others_are_unaffected(app, workshop):
    flooder, neighbour = app.test_client(), app.test_client()
    for phone in (flooder, neighbour):
        phone.post(f"/api/workshops/{workshop['code']}/join", json={})
    statuses = [
        flooder.post(notes_url(workshop), json={"text": f"n{i}", "client_id": f"f{i}"}).status_code
        for i in range(8)
    ]
    assert [201] * 5 + [429] * 3 == statuses
    refused = flooder.post(notes_url(workshop), json={"text": "more", "client_id": "f99"})
    assert "at most 20 notes a minute" in refused.json["error"]
    assert int(refused.headers["Retry-After"]) >= 1
    # A resend of an acknowledged note is not a new post: it is answered, not limited.
    assert (
        200 == flooder.post(notes_url(workshop), json={"text": "n0", "client_id": "f0"}).status_code
    )
    ok = neighbour.post(notes_url(workshop), json={"text": "mine", "client_id": "m1"})
    assert 201 == ok.status_code
    assert 6 == len(neighbour.get(notes_url(workshop)).json)


def test_hidden_notes_are_only_for_the_facilitator(attendee, facilitator, workshop):
    note = attendee.post(notes_url(workshop), json={"text": "Joke", "client_id": "j"}).json
    hidden = facilitator.patch(f"/api/notes/{note['id']}", json={"hidden": True})
    assert (200, True) == (hidden.status_code, hidden.json["hidden"])
    assert [] == attendee.get(notes_url(workshop)).json
    assert [note["id"]] == [n["id"] for n in facilitator.get(notes_url(workshop)).json]
    state = attendee.get(f"/api/workshops/{workshop['code']}/state").json
    assert ([], 2) == (state["notes"], state["seq"])


def test_attendees_cannot_move_or_hide_notes(attendee, workshop):
    note = attendee.post(notes_url(workshop), json={"text": "Mine", "client_id": "m"}).json
    for change in ({"hidden": True}, {"section_id": workshop["sections"][0]["id"]}):
        response = attendee.patch(f"/api/notes/{note['id']}", json=change)
        assert (403, "only the facilitator can move, group or hide notes") == (
            response.status_code,
            response.json["error"],
        )
    assert [note] == attendee.get(notes_url(workshop)).json


def test_an_author_edits_and_withdraws_their_note(attendee, app, workshop):
    note = attendee.post(notes_url(workshop), json={"text": "Tyop", "client_id": "m"}).json
    edited = attendee.patch(f"/api/notes/{note['id']}", json={"text": "Typo"})
    assert (200, "Typo") == (edited.status_code, edited.json["text"])
    stranger = app.test_client()
    stranger.post(f"/api/workshops/{workshop['code']}/join", json={})
    assert 403 == stranger.patch(f"/api/notes/{note['id']}", json={"text": "Mine"}).status_code
    assert 403 == stranger.delete(f"/api/notes/{note['id']}").status_code
    assert 200 == attendee.delete(f"/api/notes/{note['id']}").status_code
    again = attendee.delete(f"/api/notes/{note['id']}")
    assert (409, "You have withdrawn this note.") == (again.status_code, again.json["error"])
    assert [] == attendee.get(notes_url(workshop)).json


def test_an_author_cannot_edit_a_sorted_note(attendee, facilitator, workshop):
    note = attendee.post(notes_url(workshop), json={"text": "Mine", "client_id": "m"}).json
    facilitator.patch(
        f"/api/notes/{note['id']}", json={"section_id": workshop["sections"][2]["id"]}
    )
    response = attendee.patch(f"/api/notes/{note['id']}", json={"text": "Changed"})
    assert 409 == response.status_code
    assert "already sorted" in response.json["error"]


def test_the_facilitator_posts_notes_without_a_rate_limit(facilitator, workshop):
    for i in range(10):
        response = facilitator.post(
            notes_url(workshop), json={"text": f"n{i}", "client_id": f"{i}"}
        )
        assert (201, "facilitator") == (response.status_code, response.json["source"])


def test_unknown_note_is_404(facilitator):
    assert 404 == facilitator.patch("/api/notes/999", json={"hidden": True}).status_code
    assert 404 == facilitator.patch("/api/notes/abc", json={"hidden": True}).status_code


def test_a_note_survives_a_new_app_on_the_same_data_dir(tmp_path):
    config = {"DATA_DIR": str(tmp_path), "FACILITATOR_TOKEN": TOKEN}
    first = create_app(config)
    code = first.test_client().post("/api/workshops", json={"title": "T"}, headers=BEARER).json
    phone = first.test_client()
    phone.post(f"/api/workshops/{code['code']}/join", json={})
    phone.post(f"/api/workshops/{code['code']}/notes", json={"text": "Kept", "client_id": "k"})
    first.extensions["workshop"].store.close()
    second = create_app(config)
    notes = second.test_client().get(f"/api/workshops/{code['code']}/notes").json
    assert ["Kept"] == [n["text"] for n in notes]
    second.extensions["workshop"].store.close()


def test_new_phones_from_one_address_are_limited(workshop):
    app = create_app({"TESTING": True, "NEW_PHONES_PER_MINUTE": 1, "NEW_PHONES_BURST": 3})
    code = workshops.create_workshop(app.extensions["workshop"].store, title="T")["code"]
    join = f"/api/workshops/{code}/join"
    returning = app.test_client()
    returning.post(join, json={})
    statuses = [app.test_client().post(join).status_code for _ in range(2)]
    refused = app.test_client().post(join)
    assert ([200, 200], 429) == (statuses, refused.status_code)
    assert refused.json["error"].startswith(
        "Slow down: at most 1 new phones a minute from one address."
    )
    assert 200 == returning.post(join, json={"name": "Ana"}).status_code  # joined before: fine
    app.extensions["workshop"].store.close()


def test_the_defaults_welcome_a_whole_venue_behind_one_address(app):
    assert (600, 1000) == (app.config["NEW_PHONES_PER_MINUTE"], app.config["NEW_PHONES_BURST"])
