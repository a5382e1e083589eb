"""Card sorting by everyone and the plan check, over HTTP.

The facilitator starts, closes and applies; each phone places notes and rates sections
with its own cookie.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from workshop.activities import cardsort, plancheck
from workshop.core.i18n import N_
from workshop.web.bodies import body
from workshop.web.context import attendee_id, require_facilitator, require_joined, services

bp = Blueprint("activities_api", __name__, url_prefix="/api")


joined_attendee = require_joined


@bp.post("/workshops/<code>/card-sorts")
def start_sort(code: str) -> tuple[Response, int]:
    require_facilitator(N_("start a card sort"))
    return jsonify(cardsort.start_sort(services().store, code, body().get("note_ids"))), 201


@bp.get("/workshops/<code>/card-sorts")
def list_sorts(code: str) -> Response:
    return jsonify(cardsort.list_sorts(services().store.db, code))


@bp.get("/workshops/<code>/card-sorts/current")
def current_sort(code: str) -> Response:
    return jsonify(cardsort.current_sort(services().store.db, code, attendee_id()))


@bp.post("/card-sorts/<int:sort_id>/placements")
def place(sort_id: int) -> Response:
    sort = cardsort.get_sort(services().store.db, sort_id)
    attendee = joined_attendee(sort["workshop"])
    data = body()
    return jsonify(
        cardsort.place(
            services().store,
            sort_id,
            attendee["attendee_id"],
            data.get("note_id"),
            data.get("section_id"),
        )
    )


@bp.get("/card-sorts/<int:sort_id>/results")
def sort_results(sort_id: int) -> Response:
    return jsonify(cardsort.results(services().store.db, sort_id))


@bp.post("/card-sorts/<int:sort_id>/close")
def close_sort(sort_id: int) -> Response:
    require_facilitator(N_("end a card sort"))
    return jsonify(cardsort.close_sort(services().store, sort_id))


@bp.post("/card-sorts/<int:sort_id>/apply")
def apply_sort(sort_id: int) -> Response:
    require_facilitator(N_("place the notes"))
    return jsonify(cardsort.apply_results(services().store, sort_id))


@bp.post("/workshops/<code>/plan-check")
def open_check(code: str) -> tuple[Response, int]:
    require_facilitator(N_("open the plan check"))
    return jsonify(plancheck.open_check(services().store, code)), 201


@bp.delete("/workshops/<code>/plan-check")
def close_check(code: str) -> Response:
    require_facilitator(N_("close the plan check"))
    return jsonify(plancheck.close_check(services().store, code))


@bp.get("/workshops/<code>/plan-check")
def check(code: str) -> Response:
    db = services().store.db
    results = plancheck.check_results(db, code)
    aid = attendee_id()
    mine = plancheck.my_ratings(db, code, aid) if aid else {}
    return jsonify(check=results, mine=mine)


@bp.post("/workshops/<code>/plan-check/ratings")
def rate(code: str) -> Response:
    attendee = joined_attendee(code)
    data = body()
    return jsonify(
        plancheck.rate(
            services().store,
            code,
            attendee["attendee_id"],
            data.get("section_id"),
            data.get("rating"),
            data.get("comment"),
            attendee["name"],
        )
    )
