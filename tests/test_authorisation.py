"""Who may call what: every route and socket handler of the app against every role.

The table below is the decision for each route. A route added without a decision fails
`test_every_route_has_a_decision`, so no route can slip in unguarded.
"""

import pytest

from workshop.notes import notes
from workshop.realtime.sockets import socketio
from workshop.web.app import create_app

EVERYONE = {"none", "attendee", "scribe", "other_scribe", "facilitator"}
FACILITATOR = {"facilitator"}
PHONE = {"attendee"}
NOBODY: set[str] = set()

ALLOWED = {
    ("GET", "/"): EVERYONE,
    ("GET", "/join"): EVERYONE,
    ("GET", "/facilitator"): NOBODY,  # only with the token in the link
    ("GET", "/scribe"): NOBODY,  # only with a scribe token in the link
    ("POST", "/sign-out"): EVERYONE,
    # The printed link's page posts its one-time ticket; the route asks for its form token.
    ("POST", "/facilitator"): EVERYONE,
    ("GET", "/static/<path:filename>"): EVERYONE,
    ("GET", "/j/<code>"): EVERYONE,
    # Any browser may post the phone form; the route itself asks for its CSRF token (400).
    ("POST", "/j/<code>/note"): EVERYONE,
    ("GET", "/w/<code>/board"): EVERYONE,
    ("GET", "/w/<code>/join-qr.svg"): EVERYONE,
    ("GET", "/w/<code>/summary-qr.svg"): EVERYONE,
    ("GET", "/api/workshops/<code>/card-sorts"): EVERYONE,
    ("GET", "/w/<code>/summary"): EVERYONE,
    ("GET", "/c/<card_code>"): EVERYONE,
    ("GET", "/card"): EVERYONE,
    ("GET", "/api/workshops/<code>/photos"): EVERYONE,
    ("GET", "/w/<code>/scribe-qr.svg"): FACILITATOR,
    ("GET", "/photos/<name>"): EVERYONE,
    ("GET", "/api/workshops/<code>"): EVERYONE,
    ("GET", "/api/workshops/<code>/state"): EVERYONE,
    ("GET", "/api/workshops/<code>/suggestions"): FACILITATOR,
    # A joined phone, this workshop's scribe, the facilitator: never another room's scribe.
    ("GET", "/api/workshops/<code>/similar"): {"attendee", "scribe", "facilitator"},
    ("GET", "/api/workshops/<code>/notes"): EVERYONE,
    ("GET", "/api/workshops/<code>/me"): EVERYONE,
    ("POST", "/api/workshops/<code>/join"): EVERYONE,
    ("GET", "/api/workshops/<code>/next-steps"): EVERYONE,
    ("GET", "/api/workshops/<code>/card-sorts/current"): EVERYONE,
    ("GET", "/api/card-sorts/<int:sort_id>/results"): EVERYONE,
    ("GET", "/api/workshops/<code>/plan-check"): EVERYONE,
    ("GET", "/api/cards/<card_code>"): EVERYONE,
    ("POST", "/api/workshops/<code>/notes"): {"attendee", "facilitator"},
    ("POST", "/api/notes/<int:note_id>/votes"): PHONE,
    ("DELETE", "/api/notes/<int:note_id>/votes"): PHONE,
    # A joined phone's "+1" on a note of its room (never a scribe's or the facilitator's).
    ("POST", "/api/notes/<int:note_id>/plus-one"): PHONE,
    ("DELETE", "/api/notes/<int:note_id>/plus-one"): PHONE,
    ("POST", "/api/groups/<int:group_id>/votes"): PHONE,
    ("DELETE", "/api/groups/<int:group_id>/votes"): PHONE,
    ("GET", "/api/workshops/<code>/votes/me"): PHONE,
    ("POST", "/api/card-sorts/<int:sort_id>/placements"): PHONE,
    ("POST", "/api/workshops/<code>/plan-check/ratings"): PHONE,
    ("POST", "/api/cards/<card_code>/note"): {"attendee", "scribe", "facilitator"},
    ("PUT", "/api/cards/<card_code>/note"): {"scribe", "facilitator"},
    ("GET", "/api/plans/<code>"): EVERYONE,
    ("GET", "/api/plans/<code>/next-steps"): EVERYONE,
    ("GET", "/api/plan-sections/<int:section_id>/revisions"): EVERYONE,
    ("GET", "/api/plans/<code>/plan.pdf"): EVERYONE,  # the published plan
    ("GET", "/p/<code>"): EVERYONE,
    ("POST", "/api/workshops/<code>/scans"): {"scribe", "facilitator"},
    ("GET", "/api/workshops/<code>/scans/<scan_id>"): {"scribe", "facilitator"},
    ("POST", "/api/workshops/<code>/transcriptions/next"): {"scribe", "facilitator"},
    ("POST", "/api/notes/<int:note_id>/transcription"): {"scribe", "facilitator"},
    ("GET", "/w/<code>/paper"): {"scribe", "facilitator"},
    # The note is a third phone's: only the facilitator may change it, nobody may withdraw it.
    ("PATCH", "/api/notes/<int:note_id>"): FACILITATOR,
    ("DELETE", "/api/notes/<int:note_id>"): NOBODY,
    # Check the room: the probe and the test phone's page are open to anyone on the Wi-Fi.
    ("GET", "/api/room-check/ping"): EVERYONE,
    ("GET", "/check/<check_id>"): EVERYONE,
    ("POST", "/api/room-check/phone/<check_id>/reached"): EVERYONE,
}
FACILITATOR_ONLY = [
    ("POST", "/api/workshops"),
    ("GET", "/api/workshops"),
    ("PUT", "/api/workshops/<code>/phase"),
    ("POST", "/api/workshops/<code>/archive"),
    ("POST", "/api/workshops/<code>/card-sorts"),
    ("POST", "/api/card-sorts/<int:sort_id>/apply"),
    ("POST", "/api/card-sorts/<int:sort_id>/close"),
    ("POST", "/api/workshops/<code>/plan-check"),
    ("DELETE", "/api/workshops/<code>/plan-check"),
    ("PATCH", "/api/groups/<int:group_id>"),
    ("DELETE", "/api/groups/<int:group_id>"),
    ("POST", "/api/workshops/<code>/groups"),
    ("PATCH", "/api/next-steps/<int:step_id>"),
    ("DELETE", "/api/next-steps/<int:step_id>"),
    ("POST", "/api/workshops/<code>/next-steps"),
    ("PUT", "/api/notes/<int:note_id>/dots"),
    ("GET", "/api/notes/<int:note_id>/history"),
    ("POST", "/api/notes/<int:note_id>/merge"),
    ("POST", "/api/notes/<int:note_id>/move"),
    ("PUT", "/api/notes/<int:note_id>/outcome"),
    ("PATCH", "/api/photos/<int:photo_id>"),
    ("DELETE", "/api/photos/<int:photo_id>"),
    ("PATCH", "/api/sections/<int:section_id>"),
    ("DELETE", "/api/sections/<int:section_id>"),
    ("POST", "/api/sections/<int:section_id>/move"),
    ("GET", "/api/sections/<int:section_id>/revisions"),
    ("POST", "/api/workshops/<code>/sections"),
    ("GET", "/api/workshops/<code>/cards.pdf"),
    ("POST", "/api/workshops/<code>/decks"),
    ("POST", "/w/<code>/decks"),
    ("POST", "/api/facilitator/tickets"),
    ("GET", "/api/facilitator/sessions"),
    ("POST", "/api/facilitator/sessions/sign-out-others"),
    ("GET", "/api/workshops/<code>/poster.pdf"),
    ("GET", "/api/workshops/<code>/signs.pdf"),
    ("GET", "/api/workshops/<code>/report.pdf"),
    ("GET", "/api/workshops/<code>/export.csv"),
    ("GET", "/api/workshops/<code>/export.json"),
    ("GET", "/api/workshops/<code>/export.md"),
    ("PUT", "/api/workshops/<code>/feedback-window"),
    ("GET", "/api/workshops/<code>/moderation"),
    ("GET", "/api/workshops/<code>/outcomes/missing"),
    ("POST", "/api/workshops/<code>/photos"),
    ("PUT", "/api/workshops/<code>/reveal"),
    ("PUT", "/api/workshops/<code>/projection"),
    ("GET", "/api/workshops/<code>/ballots"),
    ("POST", "/api/workshops/<code>/scribe-links"),
    ("POST", "/api/workshops/<code>/wall-placements"),
    ("PATCH", "/api/workshops/<code>/settings"),
    ("GET", "/w/<code>/manage"),
    ("POST", "/api/workshops/<code>/timer"),
    ("POST", "/api/workshops/<code>/undo"),
    ("DELETE", "/api/notes/<int:note_id>/forever"),
    ("DELETE", "/api/workshops/<code>"),
    ("POST", "/api/plans"),
    ("GET", "/api/plans"),
    ("POST", "/api/plans/<code>/sessions"),
    ("GET", "/api/plans/<code>/heard"),
    ("POST", "/api/plan-sections/<int:section_id>/revisions"),
    ("POST", "/api/plans/<code>/next-steps"),
    ("POST", "/api/plan-steps/<int:step_id>/updates"),
    ("POST", "/api/plans/import"),
    ("GET", "/api/plans/<code>/poster.pdf"),
    ("GET", "/plans/<code>"),
    ("GET", "/api/room-check"),
    ("PUT", "/api/room-check/address"),
    ("POST", "/api/room-check/phone"),
    ("GET", "/api/room-check/phone/<check_id>"),
]
ALLOWED.update({route: FACILITATOR for route in FACILITATOR_ONLY})

# Socket.IO: clients only connect and disconnect; every change goes through HTTP.
SOCKET_HANDLERS = {"connect", "disconnect"}


def app_routes():
    app = create_app({"TESTING": True})
    routes = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    app.extensions["workshop"].store.close()
    return routes


def test_every_route_has_a_decision():
    assert sorted(app_routes()) == sorted(ALLOWED)


def test_every_socket_handler_has_a_decision():
    app = create_app({"TESTING": True})
    assert SOCKET_HANDLERS == set(socketio.server.handlers["/"])
    app.extensions["workshop"].store.close()


BODIES = {
    "/api/workshops": {"title": "New"},
    "/api/workshops/<code>/notes": {"text": "hi", "client_id": "auth-test"},
    "/api/cards/<card_code>/note": {"text": "hi", "client_id": "auth-test"},
    "/api/workshops/<code>/phase": {"phase": "vote"},
    "/api/notes/<int:note_id>": {"text": "changed"},
}


def fill(rule, values):
    for name, value in values.items():
        rule = rule.replace(f"<{name}>", str(value))
    return rule


@pytest.mark.parametrize("route", sorted(ALLOWED), ids=lambda r: f"{r[0]} {r[1]}")
def test_each_role_is_allowed_or_refused_as_decided(world, route):
    method, rule = route
    path = fill(rule, world["values"])
    body = BODIES.get(rule, {})
    for role in ("none", "attendee", "scribe", "other_scribe", "facilitator"):
        client = world["clients"][role]
        if method == "GET":
            with client.open(path, method=method) as response:
                status = response.status_code
        else:
            status = client.open(path, method=method, json=body).status_code
        assert status < 500, (role, status)
        if role in ALLOWED[route]:
            assert status not in (401, 403), (role, status)
        else:
            assert status in (401, 403), (role, status)


def test_a_phone_emitting_server_events_changes_nothing(world):
    app_client = world["clients"]["attendee"]
    code = world["values"]["code"]
    before = app_client.get(f"/api/workshops/{code}/state").json
    app = app_client.application
    phone = socketio.test_client(
        app, auth={"code": code, "view": "phone"}, flask_test_client=app_client
    )
    for event in (
        "note.updated",
        "phase.changed",
        "votes.changed",
        "timer.changed",
        "undo",
        "move",
    ):
        phone.emit(event, {"id": world["values"]["int:note_id"], "hidden": True, "phase": "closed"})
    assert before == app_client.get(f"/api/workshops/{code}/state").json
    assert notes.get_note_json(app.extensions["workshop"].store.db, world["second"])["text"]
