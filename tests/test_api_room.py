"""Voting, reveals, the timer and settings over HTTP and the socket test client."""

import pytest

from tests.liveserver import TOKEN
from tests.test_realtime import connect, received

BEARER = {"Authorization": f"Bearer {TOKEN}"}  # a script's call: prints new cards by GET


def vote_url(note_id):
    return f"/api/notes/{note_id}/votes"


@pytest.fixture
def voting(attendee, facilitator, workshop):
    url = f"/api/workshops/{workshop['code']}/notes"
    ids = [
        attendee.post(url, json={"text": f"n{i}", "client_id": f"c{i}"}).json["id"]
        for i in range(4)
    ]
    facilitator.put(f"/api/workshops/{workshop['code']}/phase", json={"phase": "vote"})
    return ids


def test_a_phone_votes_within_its_budget(app, attendee, workshop, voting):
    answers = [attendee.post(vote_url(note_id)) for note_id in voting[:3]]
    assert [200] * 3 == [a.status_code for a in answers]
    assert 0 == answers[-1].json["votes_left"]
    refused = attendee.post(vote_url(voting[3]))
    assert (409, "You have used all 3 of your dots. Take one back to place it elsewhere.") == (
        refused.status_code,
        refused.json["error"],
    )
    assert 200 == attendee.delete(vote_url(voting[0])).status_code
    me = attendee.get(f"/api/workshops/{workshop['code']}/votes/me").json
    assert (1, {str(voting[1]): 1, str(voting[2]): 1}) == (me["votes_left"], me["mine"])


def test_a_phone_cannot_vote_without_joining_or_as_a_card(app, voting):
    stranger = app.test_client()
    refused = stranger.post(vote_url(voting[0]))
    assert (403, "join the workshop first (open its join link)") == (
        refused.status_code,
        refused.json["error"],
    )
    assert 404 == stranger.post(vote_url(voting[0]), json={"card_code": "AAAAAA"}).status_code
    assert 403 == stranger.get(f"/api/notes/{voting[0]}/history").status_code


def test_a_scribe_records_dots_for_a_paper_participant(app, facilitator, workshop, voting):
    deck = facilitator.get(f"/api/workshops/{workshop['code']}/cards.pdf?count=1", headers=BEARER)
    assert 200 == deck.status_code
    card = app.extensions["workshop"].store.db.execute("SELECT code FROM cards").fetchone()[0]
    link = facilitator.post(f"/api/workshops/{workshop['code']}/scribe-links").json["url"]
    scribe = app.test_client()
    scribe.get(link.replace("http://lan:5000", ""))
    answer = scribe.post(vote_url(voting[0]), json={"card_code": card})
    assert (200, 1, 2) == (answer.status_code, answer.json["votes"], answer.json["votes_left"])


def test_voting_outside_the_vote_phase_is_409(attendee, facilitator, workshop, voting):
    facilitator.put(f"/api/workshops/{workshop['code']}/phase", json={"phase": "next-steps"})
    response = attendee.post(vote_url(voting[0]))
    assert (409, "Voting is not open right now.") == (response.status_code, response.json["error"])


def test_tallies_reach_boards_live(app, attendee, workshop, voting):
    board = connect(app, workshop["code"], "board")
    board.get_received()
    attendee.post(vote_url(voting[0]))
    assert [("votes.changed", {"note_id": voting[0], "votes": 1, "seq": 7})] == received(board)


def test_only_the_facilitator_reveals_counts_times_and_sets(
    attendee, facilitator, workshop, voting
):
    code = workshop["code"]
    calls = [
        ("put", f"/api/notes/{voting[0]}/dots", {"count": 4}),
        ("put", f"/api/workshops/{code}/reveal", {"what": "tallies", "revealed": True}),
        ("post", f"/api/workshops/{code}/timer", {"action": "start", "seconds": 60}),
        ("patch", f"/api/workshops/{code}/settings", {"hide_tallies": True}),
    ]
    for method, path, body in calls:
        assert 403 == getattr(attendee, method)(path, json=body).status_code
    for method, path, body in calls:
        assert 200 == getattr(facilitator, method)(path, json=body).status_code
    state = attendee.get(f"/api/workshops/{code}").json
    assert (True, True, 60) == (
        state["settings"]["hide_tallies"],
        state["revealed"]["tallies"],
        state["timer"]["total"],
    )
    assert 4 == attendee.get(f"/api/workshops/{code}/notes").json[0]["votes"]


def test_a_phone_cannot_post_while_writing_is_closed(attendee, workshop, voting):
    response = attendee.post(
        f"/api/workshops/{workshop['code']}/notes", json={"text": "late", "client_id": "late"}
    )
    assert (409, "Writing is closed right now (now: Voting).") == (
        response.status_code,
        response.json["error"],
    )


def test_a_vote_flood_is_limited(app, facilitator, workshop, voting):
    facilitator.patch(
        f"/api/workshops/{workshop['code']}/settings",
        json={"votes_per_minute": 1, "several_dots_per_note": True, "votes_per_attendee": 40},
    )
    phone = app.test_client()
    phone.post(f"/api/workshops/{workshop['code']}/join", json={})
    statuses = [phone.post(vote_url(voting[0])).status_code for _ in range(100)]
    assert 429 in statuses
    assert 2 * 40 + 4 == statuses.index(429)  # a burst of twice the budget, and a few


def test_a_phone_votes_on_a_group_as_one(attendee, facilitator, workshop, voting):
    group = facilitator.post(
        f"/api/workshops/{workshop['code']}/groups", json={"note_ids": voting[:2], "label": "Snow"}
    ).json
    first = attendee.post(f"/api/groups/{group['id']}/votes")
    assert (200, 1, 2) == (first.status_code, first.json["votes"], first.json["votes_left"])
    again = attendee.post(f"/api/groups/{group['id']}/votes")
    assert (409, "You already put a dot on this group (one dot per group).") == (
        again.status_code,
        again.json["error"],
    )
    state = attendee.get(f"/api/workshops/{workshop['code']}/state").json
    assert [1] == [g["votes"] for g in state["groups"]]
