"""GET /api/workshops/<code>/suggestions and /similar over HTTP, on the labelled set."""

from __future__ import annotations

import pytest

from tests.suggestion_set import ari, duplicate_precision_recall, labelled
from workshop.workshops import workshops

ARI_GOAL = 0.6
DUPLICATE_RECALL_GOAL = 0.9
DUPLICATE_PRECISION_GOAL = 0.8


@pytest.fixture
def labelled_room(app, facilitator):
    """The labelled set posted to a workshop on its plan: (code, {note id: set note})."""
    data = labelled()
    workshop = workshops.create_workshop(
        app.extensions["workshop"].store, title="Safer walking routes", sections=data["plan"]
    )
    code = workshop["code"]
    posted = {}
    for number, note in enumerate(data["notes"]):
        response = facilitator.post(
            f"/api/workshops/{code}/notes", json={"text": note["text"], "client_id": f"s{number}"}
        )
        assert 201 == response.status_code
        posted[response.json["id"]] = note
    return code, posted


def test_the_labelled_set_meets_the_goals_through_the_api(facilitator, labelled_room):
    code, posted = labelled_room
    response = facilitator.get(f"/api/workshops/{code}/suggestions")
    assert 200 == response.status_code
    found = response.json
    assert {"groups", "duplicates", "sections"} == set(found)
    theme_ari = ari(
        [group["note_ids"] for group in found["groups"]],
        {note_id: note["theme"] for note_id, note in posted.items()},
    )
    precision, recall = duplicate_precision_recall(
        found["duplicates"],
        {note_id: note["dup"] for note_id, note in posted.items() if note.get("dup")},
    )
    assert theme_ari >= ARI_GOAL
    assert recall >= DUPLICATE_RECALL_GOAL
    assert precision >= DUPLICATE_PRECISION_GOAL
    for group in found["groups"]:
        assert len(group["note_ids"]) >= 2
        assert group["label"].strip()
        assert 0 < group["score"] <= 1
    # Notes that fit nowhere mostly stay alone.
    grouped = {note_id for group in found["groups"] for note_id in group["note_ids"]}
    alone = [i for i, note in posted.items() if note["theme"].startswith("alone")]
    assert sum(note_id not in grouped for note_id in alone) >= len(alone) / 2


def test_suggestions_change_nothing_and_hidden_notes_are_left_out(facilitator, labelled_room):
    code, posted = labelled_room
    hidden = next(iter(posted))
    assert 200 == facilitator.patch(f"/api/notes/{hidden}", json={"hidden": True}).status_code
    before = facilitator.get(f"/api/workshops/{code}/state").json
    found = facilitator.get(f"/api/workshops/{code}/suggestions").json
    assert before == facilitator.get(f"/api/workshops/{code}/state").json
    named = {i for g in found["groups"] for i in g["note_ids"]}
    named |= {i for d in found["duplicates"] for i in d}
    named |= {hint["note_id"] for hint in found["sections"]}
    assert hidden not in named
    assert named <= set(posted)


def test_section_hints_follow_the_sorted_notes(facilitator, labelled_room):
    code, posted = labelled_room
    sections = {
        s["title"]: s["id"] for s in facilitator.get(f"/api/workshops/{code}").json["sections"]
    }
    seen: dict[str, int] = {}
    unsorted = {}
    for note_id, note in posted.items():
        count = seen[note["theme"]] = seen.get(note["theme"], 0) + 1
        if note["section"] is not None and count % 2 == 1:
            response = facilitator.post(
                f"/api/notes/{note_id}/move", json={"section_id": sections[note["section"]]}
            )
            assert 200 == response.status_code
        elif note["section"] is not None:
            unsorted[note_id] = sections[note["section"]]
    hints = facilitator.get(f"/api/workshops/{code}/suggestions").json["sections"]
    placeable = [hint for hint in hints if hint["note_id"] in unsorted]
    right = [hint for hint in placeable if unsorted[hint["note_id"]] == hint["section_id"]]
    assert len(placeable) >= 0.6 * len(unsorted)  # most unsorted notes get a hint
    assert len(right) >= 0.8 * len(placeable)  # and most hints are right


def test_only_the_facilitator_sees_suggestions(attendee, workshop):
    response = attendee.get(f"/api/workshops/{workshop['code']}/suggestions")
    assert (403, "only the facilitator can see suggested groups") == (
        response.status_code,
        response.json["error"],
    )


def test_an_unknown_workshop_is_404(facilitator):
    response = facilitator.get("/api/workshops/ZZZZ/suggestions")
    assert 404 == response.status_code
    assert "error" in response.json


def test_an_empty_board_has_no_suggestions(facilitator, workshop):
    found = facilitator.get(f"/api/workshops/{workshop['code']}/suggestions").json
    assert {"groups": [], "duplicates": [], "sections": []} == found


def _post(client, code, text, client_id):
    response = client.post(
        f"/api/workshops/{code}/notes", json={"text": text, "client_id": client_id}
    )
    assert 201 == response.status_code
    return response.json["id"]


def test_a_phone_typing_a_near_duplicate_sees_the_note_but_never_a_hidden_one(
    app, facilitator, workshop
):
    code = workshop["code"]
    shown = _post(facilitator, code, "Maps in Spanish and Vietnamese, please.", "a")
    hidden = _post(facilitator, code, "Maps in Spanish and Vietnamese please!", "b")
    _post(facilitator, code, "Three sessions in April collide with spring break", "c")
    assert 200 == facilitator.patch(f"/api/notes/{hidden}", json={"hidden": True}).status_code
    phone = app.test_client()
    assert 200 == phone.post(f"/api/workshops/{code}/join", json={}).status_code

    found = phone.get(f"/api/workshops/{code}/similar?text=maps in spanish pls").json["notes"]

    assert [shown] == [note["id"] for note in found]
    assert "Maps in Spanish and Vietnamese, please." == found[0]["text"]
    assert 0 < found[0]["score"] <= 1


def test_blind_writing_offers_no_similar_notes(app, facilitator, workshop):
    code = workshop["code"]
    _post(facilitator, code, "Maps in Spanish and Vietnamese, please.", "a")
    response = facilitator.patch(f"/api/workshops/{code}/settings", json={"blind_writing": True})
    assert 200 == response.status_code, response.json
    phone = app.test_client()
    assert 200 == phone.post(f"/api/workshops/{code}/join", json={}).status_code
    found = phone.get(f"/api/workshops/{code}/similar?text=maps in spanish").json
    assert {"notes": []} == found


def test_similar_notes_need_a_joined_phone(client, workshop):
    response = client.get(f"/api/workshops/{workshop['code']}/similar?text=maps in spanish")
    assert 403 == response.status_code
    assert "error" in response.json
