"""The HTTP JSON API under /api: parse, check the role, call the domain, answer.

Broadcasting happens on commit (workshop.realtime listens to the store), so routes never
emit by hand.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from workshop.board import sorting
from workshop.core.errors import Invalid, NotAllowed
from workshop.core.i18n import N_
from workshop.notes import edits as noteedits
from workshop.notes import notes
from workshop.web.context import (
    attendee_id,
    ensure_attendee_id,
    is_facilitator,
    join_url,
    require_facilitator,
    require_joined,
    services,
)
from workshop.workshops import allowed, attendees, workshops

bp = Blueprint("api", __name__, url_prefix="/api")

MUTATING = ("POST", "PUT", "PATCH", "DELETE")


@bp.before_request
def require_json_body() -> None:
    """Changes must come as JSON, or as an upload carrying our own header: a cross-site form
    can send neither without a CORS preflight, which this server never grants."""
    if request.method not in MUTATING or not request.content_length or request.is_json:
        return
    if request.mimetype == "multipart/form-data":
        if request.headers.get("X-Workshop-Upload") != "1":
            raise Invalid("uploads must come from the app (X-Workshop-Upload header)")
        return
    raise Invalid("send JSON (Content-Type: application/json)")


def body() -> dict[str, Any]:
    if not request.content_length:
        return {}
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Invalid("the body must be a JSON object")
    return data


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
    after it may already be included: applying them again changes nothing)."""
    db = services().store.db
    row = workshops.workshop_row(db, code)
    return jsonify(
        seq=row["seq"],
        participants=workshops.participants(db, row["id"]),
        workshop=workshop_json(code),
        notes=notes.list_notes(db, code, include_hidden=is_facilitator()),
        groups=sorting.list_groups(db, workshops.workshop_row(db, code)["id"]),
    )


@bp.put("/workshops/<code>/phase")
def set_phase(code: str) -> Response:
    require_facilitator(N_("change the phase"))
    workshops.set_phase(services().store, code, body().get("phase"))
    return jsonify(workshop_json(code))


@bp.post("/workshops/<code>/join")
def join(code: str) -> Response:
    return jsonify(join_phone(code, body().get("name")))


def join_phone(code: str, name: Any = None) -> dict:
    """This browser joins (or renames itself in) the workshop; the API and the no-JS form."""
    workshops.workshop_row(services().store.db, code)  # 404 before setting a cookie
    if attendee_id() is None:
        # New attendees per address: generous, since a whole venue may share one address.
        services().limiter.take(
            f"join/{request.remote_addr}",
            per_minute=current_app.config["NEW_PHONES_PER_MINUTE"],
            burst=current_app.config["NEW_PHONES_BURST"],
            what=N_("new phones"),
            per=N_("one address"),
        )
    return attendees.join(services().store, code, ensure_attendee_id(), name)


@bp.get("/workshops/<code>/me")
def me(code: str) -> Response:
    """This phone: its attendee record (or null) and its own notes, hidden ones included."""
    db = services().store.db
    workshop = workshops.workshop_row(db, code)
    aid = attendee_id()
    attendee = attendees.get_attendee(db, code, aid)
    own = notes.notes_by_attendee(db, code, aid) if attendee else []
    return jsonify(
        seq=workshop["seq"],
        phase=workshop["phase"],
        attendee=attendee,
        notes=own,
        facilitator=is_facilitator(),
    )


@bp.post("/workshops/<code>/notes")
def post_note(code: str) -> tuple[Response, int]:
    data = body()
    store = services().store
    facilitator = is_facilitator()
    aid = attendee_id()
    if not facilitator:
        attendee = require_joined(code)
    existing = notes.find_by_client_id(store.db, code, data.get("client_id"))
    if existing is not None:  # a resend: no second note, no rate-limit cost
        return jsonify(existing), 200
    if not facilitator:
        take_note_allowance(code, aid)
    note, created = notes.create_note(
        store,
        code,
        text=data.get("text"),
        client_id=data.get("client_id"),
        attendee_id=None if facilitator else aid,
        prompt_id=data.get("prompt_id"),
        section_id=data.get("section_id"),
        color=data.get("color"),
        source="facilitator" if facilitator else "phone",
        author_label=None if facilitator else attendee["name"],
    )
    return jsonify(note), 201 if created else 200


def take_note_allowance(code: str, aid: str | None) -> None:
    """One note from this phone against the workshop's rate limit (429 when spent)."""
    settings = workshops.workshop_row(services().store.db, code)["settings"]
    services().limiter.take(
        f"{code}/{aid}",
        per_minute=settings["notes_per_minute"],
        burst=settings["note_burst"],
    )


@bp.get("/workshops/<code>/notes")
def list_notes(code: str) -> Response:
    db = services().store.db
    return jsonify(notes.list_notes(db, code, include_hidden=is_facilitator()))


@bp.patch("/notes/<int:note_id>")
def update_note(note_id: int) -> Response:
    """The facilitator changes anything; an attendee may correct the text of their own note."""
    data = body()
    store = services().store
    if is_facilitator():
        return jsonify(noteedits.update_note(store, note_id, data))
    if set(data) - {"text"}:
        raise NotAllowed("only the facilitator can move, group or hide notes")
    return jsonify(noteedits.edit_own_note(store, note_id, attendee_id(), data.get("text")))


@bp.delete("/notes/<int:note_id>")
def delete_note(note_id: int) -> Response:
    """An attendee withdraws their own note (the facilitator hides notes instead)."""
    return jsonify(noteedits.delete_own_note(services().store, note_id, attendee_id()))
