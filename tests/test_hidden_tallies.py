"""Hidden means hidden: while tallies are hidden, nothing a non-facilitator can fetch or
receive carries a count, for notes or groups.

Every route of the app (its url_map, as tests/test_authorisation.py walks it) is called by
every role but the facilitator's, and every event reaches a board view and a phone view over
Socket.IO, after dots of every kind were placed.
"""

import re

from tests.test_authorisation import BODIES, app_routes, fill
from workshop.realtime.sockets import socketio

ROLES = ("none", "attendee", "author", "scribe", "other_scribe")
COUNT_KEYS = {"votes", "paper_dots", "plus_ones"}
# A count written out in a page: "3 votes", "2 dots", or a tally in embedded JSON.
COUNT_IN_TEXT = re.compile(r'\b\d+ (votes?|dots?|\+1s?)\b|"(votes|paper_dots|plus_ones)": ?\d')


def counts_in(value, path="$"):
    """Where a JSON value carries a count (a ``votes``/``paper_dots`` that is not null)."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in COUNT_KEYS and item is not None:
                found.append(f"{path}.{key}={item}")
            found += counts_in(item, f"{path}.{key}")
    elif isinstance(value, list):
        for number, item in enumerate(value):
            found += counts_in(item, f"{path}[{number}]")
    return found


def leaks(response):
    if response.mimetype == "application/json":
        return counts_in(response.get_json(silent=True))
    if response.mimetype in ("text/html", "text/markdown", "text/plain", "image/svg+xml"):
        return [m.group(0) for m in COUNT_IN_TEXT.finditer(response.get_data(as_text=True))]
    return []


def test_no_route_and_no_event_shows_a_count_while_tallies_are_hidden(world):
    clients, values = world["clients"], world["values"]
    code = values["code"]
    facilitator = clients["facilitator"]
    app = facilitator.application
    assert (
        200
        == facilitator.patch(
            f"/api/workshops/{code}/settings", json={"hide_tallies": True}
        ).status_code
    )
    # A "+1" while the room writes: a count too.
    plus_one = clients["attendee"].post(f"/api/notes/{values['int:note_id']}/plus-one", json={})
    assert (200, None, True) == (
        plus_one.status_code,
        plus_one.json["plus_ones"],
        plus_one.json["mine"],
    )
    facilitator.put(f"/api/workshops/{code}/phase", json={"phase": "vote"})
    # Events recorded before the tallies were hidden (the world's notes, with their counts,
    # public then) may still wait in the phones' batch on a busy machine: deliver them now,
    # so what the clients below receive is only what happened while hidden.
    app.extensions["workshop_fanout"].flush_phones()
    board = socketio.test_client(app, auth={"code": code, "view": "board"})
    phones = [
        socketio.test_client(
            app, auth={"code": code, "view": "phone", **batch}, flask_test_client=clients[role]
        )
        for role in ("attendee", "none")
        for batch in ({}, {"batch": True})
    ]
    # Dots of every kind: a phone's, on a group, a card holder's, physical paper dots.
    attendee = clients["attendee"]
    answer = attendee.post(f"/api/notes/{values['int:note_id']}/votes", json={})
    assert 200 == answer.status_code
    assert {"note_id", "votes", "votes_left", "budget", "mine", "mine_groups"} == set(answer.json)
    assert (None, {values["int:note_id"]: 1}) == (
        answer.json["votes"],
        {int(k): v for k, v in answer.json["mine"].items()},
    )
    grouped = attendee.post(f"/api/groups/{values['int:group_id']}/votes", json={})
    assert (200, None) == (grouped.status_code, grouped.json["votes"])
    assert (
        200
        == clients["scribe"]
        .post(f"/api/notes/{world['second']}/votes", json={"card_code": values["card_code"]})
        .status_code
    )
    facilitator.put(f"/api/notes/{world['second']}/dots", json={"count": 4})
    # The facilitator sorts meanwhile: every note and group event carries the tallies.
    section = values["int:section_id"]
    facilitator.post(f"/api/notes/{world['second']}/move", json={"section_id": section})
    facilitator.patch(f"/api/groups/{values['int:group_id']}", json={"label": "Renamed"})
    facilitator.post(f"/api/workshops/{code}/undo", json={})
    # The facilitator sees the counts (so the test would see a leak).
    state = facilitator.get(f"/api/workshops/{code}/state").json
    assert counts_in(state)

    found = []
    for method, rule in sorted(app_routes()):
        path = fill(rule, values)
        for role in ROLES:
            client = clients[role]
            if method == "GET":
                with client.open(path, method=method) as response:
                    found += [(role, method, path, leak) for leak in leaks(response)]
            else:
                body = BODIES.get(rule, {})
                response = client.open(path, method=method, json=body)
                found += [(role, method, path, leak) for leak in leaks(response)]
    assert [] == found, "\n".join(map(str, found))

    app.extensions["workshop_fanout"].flush_phones()
    events = [(p["name"], p["args"][0]) for c in (board, *phones) for p in c.get_received()]
    assert {"votes.changed", "group.changed", "note.updated"} <= {name for name, _ in events} | {
        e["name"] for _, payload in events for e in _batched(payload)
    }
    assert [] == [(name, leak) for name, payload in events for leak in counts_in(payload)]


def _batched(payload):
    return [{"name": name} for name, _ in payload.get("events", [])] if "events" in payload else []


def test_the_vote_answer_says_only_mine_and_votes_left_while_hidden(world):
    clients, values = world["clients"], world["values"]
    code = values["code"]
    clients["facilitator"].patch(f"/api/workshops/{code}/settings", json={"hide_tallies": True})
    clients["facilitator"].put(f"/api/workshops/{code}/phase", json={"phase": "vote"})
    answer = clients["attendee"].post(f"/api/notes/{values['int:note_id']}/votes", json={})
    assert None is answer.json["votes"]
    mine, left = answer.json["mine"], answer.json["votes_left"]
    assert ({str(values["int:note_id"]): 1}, answer.json["budget"] - 1) == (mine, left)
    clients["facilitator"].put(
        f"/api/workshops/{code}/reveal", json={"what": "tallies", "revealed": True}
    )
    again = clients["attendee"].delete(f"/api/notes/{values['int:note_id']}/votes", json={})
    assert 0 == again.json["votes"]
