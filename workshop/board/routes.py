"""The facilitator's board: move, group, merge, edit the plan, read the log, undo.

Every route here is the facilitator's alone, checked before anything is read from the body.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from workshop.board import moderation, sections, sorting, undo
from workshop.core.errors import NotFound
from workshop.core.i18n import N_
from workshop.notes import notes
from workshop.web.bodies import body
from workshop.web.context import require_facilitator, services
from workshop.web.i18n import request_language
from workshop.workshops import workshops

bp = Blueprint("board_api", __name__, url_prefix="/api")


@bp.before_request
def facilitator_only() -> None:
    require_facilitator(N_("sort the board or edit the plan"))


@bp.post("/notes/<int:note_id>/move")
def move_note(note_id: int) -> Response:
    data = body()
    return jsonify(
        sorting.move_note(
            services().store,
            note_id,
            section_id=data.get("section_id"),
            group_id=data.get("group_id"),
            index=data.get("index"),
        )
    )


@bp.post("/notes/<int:note_id>/merge")
def merge_notes(note_id: int) -> Response:
    return jsonify(sorting.merge_notes(services().store, note_id, body().get("note_ids")))


@bp.post("/workshops/<code>/groups")
def create_group(code: str) -> tuple[Response, int]:
    data = body()
    note_ids = data.get("note_ids")
    if isinstance(note_ids, list) and note_ids:  # the notes must belong to this workshop
        first = notes.get_note(services().store.db, note_ids[0])
        if first["workshop"] != workshops.workshop_row(services().store.db, code)["code"]:
            raise NotFound("no note %(id)s in this workshop", id=note_ids[0])
    group = sorting.create_group(services().store, note_ids, data.get("label"))
    return jsonify(group), 201


@bp.patch("/groups/<int:group_id>")
def update_group(group_id: int) -> Response:
    return jsonify(sorting.update_group(services().store, group_id, body()))


@bp.delete("/groups/<int:group_id>")
def ungroup(group_id: int) -> Response:
    return jsonify(sorting.ungroup(services().store, group_id))


@bp.post("/workshops/<code>/sections")
def add_section(code: str) -> tuple[Response, int]:
    data = body()
    section = sections.add_section(
        services().store, code, data.get("title"), data.get("body"), data.get("index")
    )
    return jsonify(section), 201


@bp.patch("/sections/<int:section_id>")
def edit_section(section_id: int) -> Response:
    return jsonify(sections.edit_section(services().store, section_id, body()))


@bp.post("/sections/<int:section_id>/move")
def move_section(section_id: int) -> Response:
    return jsonify(sections.move_section(services().store, section_id, body().get("index")))


@bp.delete("/sections/<int:section_id>")
def remove_section(section_id: int) -> Response:
    return jsonify(sections.remove_section(services().store, section_id))


@bp.get("/sections/<int:section_id>/revisions")
def section_revisions(section_id: int) -> Response:
    return jsonify(sections.section_revisions(services().store.db, section_id))


@bp.get("/workshops/<code>/moderation")
def moderation_log(code: str) -> Response:
    return jsonify(moderation.moderation_log(services().store.db, code, request_language()))


@bp.post("/workshops/<code>/undo")
def undo_last(code: str) -> Response:
    return jsonify(undo.undo_last(services().store, code, request_language()))
