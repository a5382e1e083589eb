"""Suggestions over HTTP: the facilitator's themes, duplicates and section hints, and the
phone's similar notes while typing. Both only read; accepting a suggestion is the board's
own routes (group, merge, move)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from workshop.core.i18n import N_
from workshop.suggestions import suggestions
from workshop.web.context import (
    attendee_id,
    is_facilitator,
    is_scribe,
    require_facilitator,
    require_joined,
    services,
)
from workshop.web.offload import run_blocking

bp = Blueprint("suggestions_api", __name__, url_prefix="/api")


@bp.get("/workshops/<code>/suggestions")
def suggest(code: str) -> Response:
    """Read the board here (the store's connection), work it out in a real thread: 2,000
    notes take about a second of CPU (docs/performance.md)."""
    require_facilitator(N_("see suggested groups"))
    board = suggestions.gather(services().store.db, code)
    return jsonify(run_blocking(suggestions.suggest, board))


@bp.get("/workshops/<code>/similar")
def similar(code: str) -> Response:
    """A phone (joined), a scribe or the facilitator typing a note: the room's notes like it."""
    if not (is_facilitator() or is_scribe(code)):
        require_joined(code)
    text = request.args.get("text", "")
    found = suggestions.similar_for_room(services().store.db, code, text, asker=attendee_id())
    return jsonify({"notes": found})
