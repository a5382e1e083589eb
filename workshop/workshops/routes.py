"""Workshops over HTTP: create, read, the board's state, the phase, and phones joining.

Broadcasting happens on commit (workshop.realtime listens to the store), so routes never
emit by hand.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from workshop.board import sorting
from workshop.core.i18n import N_
from workshop.notes import edits, notes
from workshop.web import statecache
from workshop.web.bodies import body
from workshop.web.context import (
    attendee_id,
    ensure_attendee_id,
    is_facilitator,
    join_url,
    require_facilitator,
    services,
)
from workshop.web.i18n import error_message
from workshop.workshops import allowed, attendees, workshops

bp = Blueprint("api", __name__, url_prefix="/api")


def workshop_json(code: str) -> dict:
    workshop = workshops.get_workshop(services().store.db, code)
    workshop["join_url"] = join_url(workshop["code"])
    workshop["allowed"] = allowed.allowed(workshop)  # what the screens show as open (allowed.py)
    return workshop


@bp.post("/workshops")
def create_workshop() -> tuple[Response, int]:
    require_facilitator(N_("create a workshop"))
    data = body()
    workshop = workshops.create_workshop(
        services().store,
        title=data.get("title"),
        description=data.get("description"),
        sections=data.get("sections"),
        prompts=data.get("prompts"),
        settings=data.get("settings"),
    )
    return jsonify(workshop_json(workshop["code"])), 201


@bp.get("/workshops")
def list_workshops() -> Response:
    require_facilitator(N_("list the workshops"))
    return jsonify(workshops.list_workshops(services().store.db))


@bp.get("/workshops/<code>")
def get_workshop(code: str) -> Response:
    return jsonify(workshop_json(code))


@bp.get("/workshops/<code>/state")
def state(code: str) -> Response:
    """Everything a board needs at once, and the seq it reflects (read first, so events
    after it may already be included: applying them again changes nothing). All but the
    timer and what is allowed now is kept per seq and viewer kind (web/statecache.py)."""
    db = services().store.db
    row = workshops.workshop_row(db, code)
    facilitator = is_facilitator()
    link = join_url(row["code"])

    def board() -> dict:
        workshop = workshops.get_workshop(db, code)
        workshop.pop("timer")
        return {
            "participants": workshops.participants(db, row["id"]),
            "notes": notes.list_notes(db, code, include_hidden=facilitator),
            "groups": sorting.list_groups(db, row["id"], public=None if facilitator else row),
            "workshop": {**workshop, "join_url": link},  # last: the fresh members follow
        }

    where = (row["id"], "facilitator" if facilitator else "public", link)
    kept = statecache.cache().get(where, (row["seq"], row["created_at"]), board)
    fresh = {"timer": workshops.timer_state(row["timer"]), "allowed": allowed.allowed(row)}
    return statecache.respond(kept, fresh, {"seq": row["seq"]})


@bp.put("/workshops/<code>/phase")
def set_phase(code: str) -> Response:
    require_facilitator(N_("change the phase"))
    workshops.set_phase(services().store, code, body().get("phase"))
    return jsonify(workshop_json(code))


@bp.post("/workshops/<code>/archive")
def archive(code: str) -> Response:
    """Close the workshop for good (after the session): its join code stops joining."""
    require_facilitator(N_("close a workshop for good"))
    workshops.archive_workshop(services().store, code)
    return jsonify(workshop_json(code))


@bp.put("/workshops/<code>/projection")
def set_projection(code: str) -> Response:
    """What every public board shows: {view, prompt_id?, frozen?} (facilitator)."""
    require_facilitator(N_("choose what the projector shows"))
    return jsonify(workshops.set_projection(services().store, code, body()))


@bp.post("/workshops/<code>/join")
def join(code: str) -> Response:
    return jsonify(join_phone(code, body().get("name")))


def join_phone(code: str, name: Any = None) -> dict:
    """This browser joins (or renames itself in) the workshop; the API and the no-JS form."""
    row = workshops.workshop_row(services().store.db, code)  # 404 before setting a cookie
    workshops.refuse_joining_once_archived(row)  # 410
    if attendee_id() is None:
        # New attendees per address: generous, since a whole venue may share one address;
        # what one address may not do is vote as a crowd (ballot_allowance, room/routes.py).
        services().limiter.take(
            f"join/{request.remote_addr}",
            per_minute=current_app.config["NEW_PHONES_PER_MINUTE"],
            burst=current_app.config["NEW_PHONES_BURST"],
            what=N_("new phones"),
            per=N_("one address"),
        )
    return attendees.join(
        services().store, code, ensure_attendee_id(), name, address=request.remote_addr
    )


@bp.get("/workshops/<code>/me")
def me(code: str) -> Response:
    """This phone: its attendee record (or null) and its own notes, hidden ones included,
    each saying whether its author may still edit or withdraw it, and if not why."""
    db = services().store.db
    workshop = workshops.workshop_row(db, code)
    aid = attendee_id()
    attendee = attendees.get_attendee(db, code, aid)
    own = [
        notes.own_json(edits.with_editability(db, note, workshop, error_message), code, db)
        for note in (notes.notes_by_attendee(db, code, aid) if attendee and aid else [])
    ]
    return jsonify(
        seq=workshop["seq"],
        phase=workshop["phase"],
        attendee=attendee,
        notes=own,
        facilitator=is_facilitator(),
    )
