"""Paper at scale over HTTP: scans of the stack and photos of the wall
(workshop.paper.scans), the transcription queue (workshop.paper.queue) and the paper desk."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    jsonify,
    render_template,
    request,
)

from workshop.core.errors import Invalid, NotAllowed
from workshop.core.i18n import N_
from workshop.notes import notes
from workshop.paper import queue, scans, wall
from workshop.web.bodies import body
from workshop.web.context import (
    is_facilitator,
    is_scribe,
    photos_dir,
    require_facilitator,
    services,
)
from workshop.web.i18n import error_message, gettext
from workshop.web.pages import page_data
from workshop.workshops import workshops

api = Blueprint("paper_scans_api", __name__, url_prefix="/api")
pages = Blueprint("paper_scans_pages", __name__)

MAX_SCAN_REQUEST_BYTES = 120 * 1024 * 1024  # what one scan request may carry, all files
SCAN_ID_MAX = 64
scan_progress: dict[str, dict[str, int]] = {}


# -- scans, and the transcription queue ---------------------------------------------------
def paper_role(code: str) -> str:
    """facilitator or scribe of this workshop, else 403."""
    if is_facilitator():
        return "facilitator"
    if is_scribe(workshops.workshop_row(services().store.db, code)["code"]):
        return "scribe"
    raise NotAllowed("only a scribe or the facilitator can scan and type in paper cards")


def _progress_key(code: str, scan_id: Any) -> str | None:
    if not isinstance(scan_id, str) or not scan_id or len(scan_id) > SCAN_ID_MAX:
        return None
    return f"{workshops.workshop_row(services().store.db, code)['code']}/{scan_id}"


@api.post("/workshops/<code>/scans")
def scan(code: str) -> tuple[Response, int]:
    """Scanned pages or photos of cards (multipart, ``file`` fields; optional ``scan_id`` to
    follow its progress): every card found becomes or joins its note. The facilitator's wall
    photos also file the cards under their section signs."""
    role = paper_role(code)
    store = services().store
    request.max_content_length = MAX_SCAN_REQUEST_BYTES
    if request.mimetype != "multipart/form-data":
        raise Invalid("send the scans as a form with one or more fields called file")
    uploads = [upload for upload in request.files.getlist("file") if upload.filename]
    key = _progress_key(code, request.form.get("scan_id"))
    if len(scan_progress) > 100:
        scan_progress.clear()

    def progress(done: int, total: int) -> None:
        if key is not None:
            scan_progress[key] = {"done": done, "total": total}

    with tempfile.TemporaryDirectory(prefix="workshop-scan-") as folder:
        files = []
        for number, upload in enumerate(uploads, start=1):
            path = Path(folder) / str(number)
            upload.save(path)
            files.append((Path(upload.filename or str(number)).name[:100], path))
        report = scans.scan_files(
            store, code, files, photos=photos_dir(), entered_by=role, progress=progress
        )
    answer = report.as_json(error_message)
    filed: dict[str, list] = {"placed": [], "to_confirm": []}
    if report.placements and role == "facilitator":
        filed = wall.place_notes(store, code, report.placements, confirm=False)
    elif report.placements:  # a scribe's wall photo: the facilitator decides
        filed["to_confirm"] = [
            {"note_id": note_id, "section_id": section_id}
            for note_id, section_id in sorted(report.placements.items())
        ]
    answer.update(
        filed, waiting=queue.waiting_count(store.db, workshops.workshop_row(store.db, code)["id"])
    )
    found = report.card_count or any(image["signs"] for image in answer["images"])
    if not found:
        messages = [m for image in answer["images"] for m in image["unreadable"]]
        answer["error"] = messages[0] if messages else gettext("No card was found.")
        return jsonify(answer), 400
    return jsonify(answer), 201


@api.get("/workshops/<code>/scans/<scan_id>")
def scan_status(code: str, scan_id: str) -> dict:
    """How far a scan has got: ``{done, total}`` pages (zeros until it starts)."""
    paper_role(code)
    return scan_progress.get(_progress_key(code, scan_id) or "", {"done": 0, "total": 0})


@api.post("/workshops/<code>/wall-placements")
def wall_placements(code: str) -> dict:
    """The facilitator confirms moving cards a wall photo found under another sign:
    ``{placements: [{note_id, section_id}]}``."""
    require_facilitator(N_("file cards from a wall photo"))
    items = body().get("placements")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise Invalid("placements must be a list of {note_id, section_id}")
    placements = {}
    for item in items:
        note_id, section_id = item.get("note_id"), item.get("section_id")
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (note_id, section_id)):
            raise Invalid("placements must be a list of {note_id, section_id}")
        placements[note_id] = section_id
    return wall.place_notes(services().store, code, placements, confirm=True)


@api.post("/workshops/<code>/transcriptions/next")
def next_transcription(code: str) -> dict:
    """The next scanned card for this screen to type (``{holder, skip?}``), leased to it."""
    paper_role(code)
    fields = body()
    return queue.next_card(services().store, code, fields.get("holder"), fields.get("skip"))


@api.post("/notes/<int:note_id>/transcription")
def save_transcription(note_id: int) -> dict:
    """The text typed for a scanned card (``{text, holder}``)."""
    store = services().store
    role = paper_role(notes.get_note(store.db, note_id)["workshop"])
    fields = body()
    note = queue.transcribe(store, note_id, fields.get("text"), fields.get("holder"), by=role)
    return note if role == "facilitator" else notes.own_json(note, note["workshop"], store.db)


@pages.get("/w/<code>/paper")
def paper_desk(code: str) -> str:
    """The paper desk: upload scans of the cards, then type them in from the queue."""
    role = paper_role(code)
    db = services().store.db
    workshop = workshops.get_workshop(db, code)
    waiting = queue.waiting_count(db, workshops.workshop_row(db, code)["id"])
    return render_template(
        "paper.html",
        workshop=workshop,
        role=role,
        data=page_data(workshop=workshop, role=role, waiting=waiting),
    )
