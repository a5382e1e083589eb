"""After the session: next steps, outcomes, the room's photos, the feedback window, the
summary page, the report and the exports."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Blueprint, Response, jsonify, render_template, request, stream_with_context

import printables
from workshop.core.errors import Invalid, NotFound
from workshop.core.i18n import N_
from workshop.core.images import MAX_UPLOAD_BYTES, clean_photo, remove_photo_file, stored_photo
from workshop.followup import nextsteps, reportdata, roomphotos, summary
from workshop.records import exports
from workshop.room import room
from workshop.web.bodies import body
from workshop.web.context import (
    attendee_id,
    join_url,
    photos_dir,
    public_url,
    require_facilitator,
    services,
)
from workshop.web.i18n import gettext
from workshop.web.offload import photo_slots, run_blocking
from workshop.workshops import workshops

api = Blueprint("followup_api", __name__, url_prefix="/api")
pages = Blueprint("followup_pages", __name__)


@api.get("/workshops/<code>/next-steps")
def list_steps(code: str) -> Response:
    return jsonify(nextsteps.list_next_steps(services().store.db, code))


@api.post("/workshops/<code>/next-steps")
def create_step(code: str) -> tuple[Response, int]:
    require_facilitator(N_("record next steps"))
    return jsonify(nextsteps.create_next_step(services().store, code, body())), 201


@api.patch("/next-steps/<int:step_id>")
def update_step(step_id: int) -> Response:
    require_facilitator(N_("change next steps"))
    return jsonify(nextsteps.update_next_step(services().store, step_id, body()))


@api.delete("/next-steps/<int:step_id>")
def delete_step(step_id: int) -> Response:
    require_facilitator(N_("remove next steps"))
    return jsonify(nextsteps.delete_next_step(services().store, step_id))


@api.put("/notes/<int:note_id>/outcome")
def set_outcome(note_id: int) -> Response:
    require_facilitator(N_("record outcomes"))
    data = body()
    return jsonify(
        nextsteps.set_outcome(services().store, note_id, data.get("outcome"), data.get("reason"))
    )


@api.get("/workshops/<code>/outcomes/missing")
def missing_outcomes(code: str) -> Response:
    require_facilitator(N_("review outcomes"))
    return jsonify(note_ids=nextsteps.notes_without_outcome(services().store.db, code))


@api.get("/workshops/<code>/photos")
def list_photos(code: str) -> Response:
    return jsonify(roomphotos.list_photos(services().store.db, code))


@api.post("/workshops/<code>/photos")
def add_photo(code: str) -> tuple[Response, int]:
    """A photo of a flip chart or diagram (multipart: photo, caption)."""
    require_facilitator(N_("add photos of the room's paper"))
    known = workshops.workshop_row(services().store.db, code)["code"]  # as stored, not as typed
    request.max_content_length = MAX_UPLOAD_BYTES + 64 * 1024
    upload = request.files.get("photo")
    if upload is None or not upload.filename:
        raise Invalid("send the photo as a form field called photo")
    cleaned = run_blocking(clean_photo, upload.read(), slots=photo_slots)
    with stored_photo(photos_dir(), cleaned, f"room-{known}") as stored:
        photo = roomphotos.add_photo(
            services().store, code, stored.name, request.form.get("caption")
        )
        stored.kept = True
    return jsonify(photo), 201


@api.patch("/photos/<int:photo_id>")
def caption_photo(photo_id: int) -> Response:
    require_facilitator(N_("caption photos"))
    return jsonify(roomphotos.caption_photo(services().store, photo_id, body().get("caption")))


@api.delete("/photos/<int:photo_id>")
def remove_photo(photo_id: int) -> Response:
    require_facilitator(N_("remove photos"))
    file = roomphotos.get_photo(services().store.db, photo_id)["file"]
    gone = roomphotos.remove_photo(services().store, photo_id)
    if not roomphotos.photo_in_use(services().store.db, file):  # not kept on the laptop either
        remove_photo_file(photos_dir(), file)
    return jsonify(gone)


@api.put("/workshops/<code>/feedback-window")
def feedback_window(code: str) -> Response:
    require_facilitator(N_("open the workshop for online comments"))
    return jsonify(room.set_feedback_window(services().store, code, body().get("days")))


def _filename(code: str, pattern: str) -> str:
    """A download's name with the workshop's own code, never the typed one: the lookup
    forgives spaces and dashes (even a newline), and a header must not carry them."""
    return pattern.format(code=workshops.workshop_row(services().store.db, code)["code"])


def _download(content: str | bytes | Iterable[str], mimetype: str, filename: str) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@api.get("/workshops/<code>/export.json")
def export_json(code: str) -> Response:
    require_facilitator(N_("export the workshop"))
    data = exports.export_json(services().store.db, code, photos_dir())
    return _download(
        exports.dumps(data), "application/json", _filename(code, "workshop-{code}.json")
    )


@api.get("/workshops/<code>/export.csv")
def export_csv(code: str) -> Response:
    require_facilitator(N_("export the workshop"))
    rows = exports.export_csv(services().store.db, code)
    first = next(rows)  # a missing workshop is a 404 before streaming starts
    lines = stream_with_context(iter([first, *rows]))
    return _download(lines, "text/csv", _filename(code, "notes-{code}.csv"))


@api.get("/workshops/<code>/export.md")
def export_md(code: str) -> Response:
    require_facilitator(N_("export the workshop"))
    text = summary.markdown(services().store.db, code)
    return _download(text, "text/markdown", _filename(code, "summary-{code}.md"))


@api.get("/workshops/<code>/report.pdf")
def report(code: str) -> Response:
    require_facilitator(N_("print the report"))
    data = reportdata.report_data(
        services().store.db,
        code,
        photos_dir(),
        place=request.args.get("place", "")[:120],
        facilitator=request.args.get("facilitator", "")[:120],
    )
    pdf = run_blocking(printables.build_report, data)
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'inline; filename="{_filename(code, "report-{code}.pdf")}"'
    )
    return response


@pages.get("/w/<code>/summary")
def summary_page(code: str) -> str:
    """What we heard, what we will do: server-rendered, works without JavaScript, prints."""
    db = services().store.db
    data = summary.summary(db, code, attendee_id(), gettext)
    card = None
    typed = request.args.get("card", "").strip()
    if typed:
        try:
            card = summary.card_outcome(db, typed, gettext)
        except NotFound:  # an unknown code is answered on the page, not as an error page
            card = None
        card = card or {"missing": typed[:12]}
    return render_template(
        "summary.html",
        s=data,
        card=card,
        summary_url=f"{public_url()}/w/{data['workshop']['code']}/summary",
        join_url=join_url(data["workshop"]["code"]),
    )
