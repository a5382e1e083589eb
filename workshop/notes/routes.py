"""Notes over HTTP: post one, list them, the edits and withdrawals allowed to each role, and
a phone's "+1" on another's note."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, jsonify

from workshop.core.errors import NotAllowed
from workshop.core.i18n import N_
from workshop.notes import edits, notes, plusones
from workshop.web.bodies import body
from workshop.web.context import (
    attendee_id,
    is_facilitator,
    note_allowance,
    require_joined,
    services,
)
from workshop.workshops.workshops import workshop_row

bp = Blueprint("notes_api", __name__, url_prefix="/api")


@bp.post("/workshops/<code>/notes")
def post_note(code: str) -> tuple[Response, int]:
    """A phone's note (joined first, against its rate limit) or the facilitator's own."""
    data = body()
    store = services().store
    workshop = workshop_row(store.db, code)  # read once for the whole post (the hot path)
    facilitator = is_facilitator()
    attendee = None if facilitator else require_joined(code, workshop=workshop)
    note, created = notes.post_note(
        store,
        code,
        workshop=workshop,
        allowance=None
        if attendee is None
        else note_allowance(code, attendee["attendee_id"], workshop=workshop),
        text=data.get("text"),
        client_id=data.get("client_id"),
        attendee_id=None if attendee is None else attendee["attendee_id"],
        prompt_id=data.get("prompt_id"),
        section_id=data.get("section_id"),
        color=data.get("color"),
        source="facilitator" if attendee is None else "phone",
        author_label=None if attendee is None else attendee["name"],
    )
    if not facilitator:
        note = notes.own_json(note, code, store.db, workshop=workshop)
    return jsonify(note), 201 if created else 200


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
        return jsonify(edits.update_note(store, note_id, data))
    if set(data) - {"text"}:
        raise NotAllowed("only the facilitator can move, group or hide notes")
    note = edits.edit_own_note(store, note_id, attendee_id(), data.get("text"))
    return jsonify(notes.own_json(note, note["workshop"], store.db))


@bp.delete("/notes/<int:note_id>")
def withdraw_note(note_id: int) -> Response:
    """An attendee withdraws their own note: kept, marked withdrawn, gone from public views
    (the facilitator hides notes instead, or deletes one for good)."""
    store = services().store
    answer = edits.withdraw_own_note(store, note_id, attendee_id())
    return jsonify(notes.own_json(answer, answer["workshop"], store.db))


@bp.get("/notes/<int:note_id>/history")
def note_history(note_id: int) -> Response:
    """A note's earlier texts: for the facilitator, and for its author."""
    db = services().store.db
    note = notes.get_note(db, note_id)
    author = note["attendee_id"] is not None and note["attendee_id"] == attendee_id()
    if not (is_facilitator() or author):
        raise NotAllowed("only the facilitator or the note's author can read its history")
    return jsonify(edits.note_history(db, note["id"]))


def _plus_one_allowance(code: str, aid: str) -> Callable[[], None]:
    """One new +1 from this phone, at the pace its notes may come (429 when spent)."""

    def take() -> None:
        limits = workshop_row(services().store.db, code)["settings"]
        services().limiter.take(
            f"plus-ones/{code}/{aid}",
            per_minute=limits["notes_per_minute"],
            burst=limits["note_burst"],
            what=N_("+1s"),
        )

    return take


@bp.post("/notes/<int:note_id>/plus-one")
def add_plus_one(note_id: int) -> Response:
    """A joined phone's "+1 this instead?": idempotent, one per phone per note."""
    code = notes.get_note(services().store.db, note_id)["workshop"]
    aid = require_joined(code)["attendee_id"]
    allowance = _plus_one_allowance(code, aid)
    return jsonify(plusones.add_plus_one(services().store, note_id, aid, allowance=allowance))


@bp.delete("/notes/<int:note_id>/plus-one")
def remove_plus_one(note_id: int) -> Response:
    code = notes.get_note(services().store.db, note_id)["workshop"]
    aid = require_joined(code)["attendee_id"]
    return jsonify(plusones.remove_plus_one(services().store, note_id, aid))
