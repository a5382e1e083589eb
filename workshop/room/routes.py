"""Running the room over HTTP: dots, reveals, the timer, settings.

Attendees vote with their own cookie (a phone cannot vote as another); a scribe or the
facilitator records dots for the holder of a printed card; only the facilitator reveals,
counts physical dots, runs the timer or changes settings.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, jsonify, request

from workshop.board.sorting import get_group, group_items
from workshop.core.errors import Invalid, NotAllowed, NotFound
from workshop.core.i18n import N_
from workshop.core.settings import validate_workshop_settings
from workshop.notes import notes
from workshop.paper import cards
from workshop.room import room
from workshop.voting import ballots, votes
from workshop.web.bodies import body
from workshop.web.context import (
    is_facilitator,
    is_scribe,
    require_facilitator,
    require_joined,
    services,
)
from workshop.workshops import workshops

bp = Blueprint("room_api", __name__, url_prefix="/api")


def _ballot_allowance(code: str) -> Callable[[], None]:
    """A new ballot from this address against the workshop's per-address allowance (429
    when spent), taken by workshop.voting.votes only at a phone's first dot."""

    def take() -> None:
        limits = workshops.workshop_row(services().store.db, code)["settings"]
        services().limiter.take(
            f"ballots/{code}/{request.remote_addr}",
            per_minute=limits["ballots_per_address_per_minute"],
            burst=limits["ballots_per_address_burst"],
            what=N_("new ballots"),
            per=N_("one address"),
        )

    return take


def _voter(note_id: int) -> tuple[str, str]:
    """Whose dot this is: a card holder's (by a scribe or the facilitator) or this phone's."""
    store = services().store
    note = notes.get_note(store.db, note_id)
    card_code = body().get("card_code")
    if card_code is not None:
        card = cards.get_card(store.db, card_code)
        if card["workshop"] != note["workshop"]:
            raise Invalid("that card belongs to another workshop")
        if not (is_facilitator() or is_scribe(card["workshop"])):
            raise NotAllowed("only a scribe or the facilitator can vote for a paper card")
        return f"card:{card['code']}", "paper"
    aid = require_joined(note["workshop"])["attendee_id"]
    settings = workshops.workshop_row(store.db, note["workshop"])["settings"]
    services().limiter.take(
        f"votes/{note['workshop']}/{aid}",
        per_minute=settings["votes_per_minute"],
        # Room to place every dot, take some back and place them again in a few seconds.
        burst=2 * settings["votes_per_attendee"] + 4,
        what=N_("votes"),
    )
    return aid, "phone"


def _group_voter(group_id: int) -> tuple[str, str]:
    """Whose dot on a group this is (the group's first note tells the workshop)."""
    members = group_items(services().store.db, get_group(services().store.db, group_id)["id"])
    if not members:
        raise NotFound("no group %(id)s", id=group_id)
    return _voter(members[0][1])


def _workshop_of_group(group_id: int) -> str:
    from workshop.board.sorting import get_group

    group = get_group(services().store.db, group_id)
    (code,) = (
        services()
        .store.db.execute("SELECT code FROM workshops WHERE id = ?", [group["workshop_id"]])
        .fetchone()
    )
    return code


@bp.post("/groups/<int:group_id>/votes")
def add_group_vote(group_id: int) -> Response:
    voter, source = _group_voter(group_id)
    allowance = _ballot_allowance(_workshop_of_group(group_id))
    return jsonify(
        votes.add_group_vote(services().store, group_id, voter, source=source, allowance=allowance)
    )


@bp.delete("/groups/<int:group_id>/votes")
def remove_group_vote(group_id: int) -> Response:
    voter, _ = _group_voter(group_id)
    return jsonify(votes.remove_group_vote(services().store, group_id, voter))


@bp.post("/notes/<int:note_id>/votes")
def add_vote(note_id: int) -> Response:
    voter, source = _voter(note_id)
    allowance = _ballot_allowance(notes.get_note(services().store.db, note_id)["workshop"])
    return jsonify(
        votes.add_vote(services().store, note_id, voter, source=source, allowance=allowance)
    )


@bp.delete("/notes/<int:note_id>/votes")
def remove_vote(note_id: int) -> Response:
    voter, _ = _voter(note_id)
    return jsonify(votes.remove_vote(services().store, note_id, voter))


@bp.get("/workshops/<code>/votes/me")
def my_votes(code: str) -> Response:
    aid = require_joined(code)["attendee_id"]
    return jsonify(votes.my_votes(services().store.db, code, aid))


@bp.get("/workshops/<code>/ballots")
def ballots_report(code: str) -> Response:
    """How many ballots came from each address, and the dots by channel (facilitator)."""
    require_facilitator(N_("see the ballots"))
    return jsonify(ballots.ballot_report(services().store.db, code))


@bp.put("/notes/<int:note_id>/dots")
def paper_dots(note_id: int) -> Response:
    require_facilitator(N_("count physical dots"))
    return jsonify(votes.set_paper_dots(services().store, note_id, body().get("count")))


@bp.put("/workshops/<code>/reveal")
def reveal(code: str) -> Response:
    require_facilitator(N_("reveal notes or tallies"))
    data = body()
    return jsonify(
        room.set_revealed(services().store, code, data.get("what"), data.get("revealed"))
    )


@bp.post("/workshops/<code>/timer")
def timer(code: str) -> Response:
    require_facilitator(N_("run the timer"))
    data = body()
    state = room.control_timer(
        services().store, code, data.get("action"), data.get("seconds"), data.get("label")
    )
    return jsonify(timer=state)


@bp.patch("/workshops/<code>/settings")
def change_settings(code: str) -> Response:
    require_facilitator(N_("change the settings"))
    store = services().store
    current = workshops.workshop_row(store.db, code)["settings"]
    settings = validate_workshop_settings(body(), current)
    return jsonify(room.set_settings(store, code, settings))
