"""The pages people open: home, facilitator sign-in, phone page, board, join QR, and the
facilitator's console."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response as BaseResponse  # what redirect() returns

import printables
from workshop.core import codes, protocol, signin
from workshop.core.errors import Conflict, Invalid, RateLimited
from workshop.core.i18n import N_
from workshop.core.settings import WORKSHOP_SETTINGS, Setting
from workshop.followup import roomphotos
from workshop.notes import notes
from workshop.notes.notes import COLORS
from workshop.paper.printing import PAGE_SIZES
from workshop.plans import plans
from workshop.web.context import (
    as_room,
    is_facilitator,
    join_url,
    note_allowance,
    public_url,
    require_facilitator,
    room_identity,
    services,
)
from workshop.web.errors import status_of
from workshop.web.forgery import form_route, form_token
from workshop.web.i18n import error_message, gettext, use_language
from workshop.web.modules import module_graph
from workshop.web.qrsvg import qr_svg
from workshop.workshops import allowed, workshops
from workshop.workshops.routes import join_phone

bp = Blueprint("pages", __name__)
bp.app_template_global("form_token")(form_token)


@lru_cache(maxsize=64)
def _file_hash(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


@bp.app_template_global()
def asset(filename: str) -> str:
    """A static URL carrying the file's content hash, so a new version is never stale."""
    path = Path(current_app.static_folder or "") / filename
    version = _file_hash(str(path), path.stat().st_mtime) if path.exists() else "missing"
    return url_for("static", filename=filename, v=version)


@bp.app_template_global()
def page_modules(entry: str) -> tuple[str, ...]:
    """``entry``'s module graph under static/js (for <link rel="modulepreload">)."""
    return module_graph(entry)


def page_data(**data: object) -> dict:
    """What a page hands its scripts: the protocol's names, the phases' labels in the page's
    language, and for a workshop what the room may do in each phase (workshops/allowed.py)."""
    workshop = data.get("workshop")
    if isinstance(workshop, dict):
        data["workshop"] = {**workshop, "allowed": allowed.allowed(workshop)}
    labels = allowed.phase_labels(gettext)
    return {"protocol": protocol.protocol_json(), "phase_labels": labels, **data}


def translated_settings() -> list[Setting]:
    """The workshop settings with their help text in the page's language."""
    return [replace(setting, help=gettext(setting.help)) for setting in WORKSHOP_SETTINGS]


@bp.get("/")
def home() -> str:
    if not is_facilitator():
        return render_template("join.html", code=request.args.get("code", ""))
    db = services().store.db
    return render_template(
        "home.html",
        workshops=workshops.list_workshops(db),
        plans=plans.list_plans(db),
        defaults=workshops.DEFAULT_SECTIONS,
        signed_in=len(signin.open_sessions(db)),
        ticket_minutes=signin.DEVICE_TICKET_MINUTES,
        data=page_data(settings=[s.__dict__ for s in translated_settings()]),
    )


@bp.get("/join")
def join_by_code() -> BaseResponse:
    code = codes.normalise(request.args.get("code", ""))
    return redirect(url_for("pages.phone", code=code) if code else url_for("pages.home"))


@bp.get("/j/<code>")
def phone(code: str) -> str | tuple[str, int] | BaseResponse:
    db = services().store.db
    workshop = workshops.get_workshop(db, code)
    if workshop["code"] != code:
        return redirect(url_for("pages.phone", code=workshop["code"]))
    if workshop["archived_at"] is not None and not is_facilitator():
        return _closed_for_good(workshop)
    return _phone_page(workshop, sent=request.args.get("sent") == "1")


def _closed_for_good(workshop: dict) -> tuple[str, int]:
    """410: the join code no longer opens the phone page; the summary stays."""
    message = gettext(
        "This workshop is over and closed for good. Thank you for taking part: what was "
        "heard, and what happens next, is on its summary page."
    )
    summary = url_for("followup_pages.summary_page", code=workshop["code"])
    return render_template("error.html", status=410, message=message, link=summary), 410


def _phone_page(
    workshop: dict, *, sent: bool = False, error: str = "", form: Mapping[str, str] | None = None
) -> str:
    """The phone page. Its note form also works without JavaScript (see post_note_form);
    each render carries a fresh client_id, so submitting the same form twice is one note."""
    form = form or {}
    return render_template(
        "phone.html",
        workshop=workshop,
        colors=COLORS,
        sent=sent,
        error=error,
        form={
            "text": form.get("text", ""),
            "about": form.get("about", ""),
            "color": form.get("color") if form.get("color") in COLORS else COLORS[0],
            "client_id": form.get("client_id") or secrets.token_urlsafe(16),
            "csrf_token": form_token(),
        },
        data=page_data(workshop=workshop, colors=list(COLORS)),
    )


@bp.post("/j/<code>/note")
@form_route()
def post_note_form(code: str) -> BaseResponse | tuple[str, int]:
    """The phone's note form when JavaScript is off: the same domain calls as the JSON API
    (join, then the one post-a-note flow with the form's client_id), then back to the phone page."""
    store = services().store
    workshop = workshops.get_workshop(store.db, code)
    form = request.form
    try:
        prompt_id, section_id = _about(form.get("about", ""))
        attendee = join_phone(workshop["code"])
        notes.post_note(
            store,
            workshop["code"],
            allowance=note_allowance(workshop["code"], attendee["attendee_id"]),
            text=form.get("text"),
            client_id=form.get("client_id"),
            attendee_id=attendee["attendee_id"],
            prompt_id=prompt_id,
            section_id=section_id,
            color=form.get("color") or None,
            source="phone",
            author_label=attendee["name"],
        )
    except (Invalid, Conflict, RateLimited) as error:
        return _phone_page(workshop, error=error_message(error), form=form), status_of(error)
    return redirect(url_for("pages.phone", code=workshop["code"], sent=1), code=303)


def _about(value: str) -> tuple[int | None, int | None]:
    """The form's "About" choice, ``prompt:<id>`` or ``section:<id>``, as (prompt, section)."""
    kind, _, number = value.partition(":")
    if value and (kind not in ("prompt", "section") or not number.isdigit()):
        raise Invalid("choose what the note is about from the list")
    about_id = int(number) if number else None
    return (about_id, None) if kind == "prompt" else (None, about_id)


@bp.get("/w/<code>/board")
def board(code: str) -> str:
    db = services().store.db
    workshop = workshops.get_workshop(db, code)
    workshop["join_url"] = join_url(workshop["code"])
    facilitator = is_facilitator()  # False on the projected screen (?as=room): see as_room
    use_language(workshop["settings"]["language"])  # the room's screen speaks the room's language
    return render_template(
        "board.html",
        workshop=workshop,
        facilitator=facilitator,
        participants=workshops.participants(db, workshops.workshop_row(db, code)["id"]),
        data=page_data(
            workshop=workshop,
            facilitator=facilitator,
            as_room=room_identity() if as_room() else None,
            colors=list(COLORS),
        ),
    )


@bp.get("/w/<code>/join-qr.svg")
def join_qr(code: str) -> Response:
    workshop = workshops.workshop_row(services().store.db, code)
    return _qr_response(join_url(workshop["code"]))


@bp.get("/w/<code>/summary-qr.svg")
def summary_qr(code: str) -> Response:
    """For the board's closing screen: the "what we heard, what we will do" page."""
    workshop = workshops.workshop_row(services().store.db, code)
    return _qr_response(f"{public_url()}/w/{workshop['code']}/summary")


def _qr_response(url: str) -> Response:
    response = Response(qr_svg(url), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/w/<code>/manage")
def manage(code: str) -> str:
    """The facilitator's console: print, scribes, next steps, outcomes, photos, settings."""
    require_facilitator(N_("manage this workshop (open the facilitator link on this device first)"))
    db = services().store.db
    workshop = workshops.get_workshop(db, code)
    workshop["join_url"] = join_url(workshop["code"])
    return render_template(
        "manage.html",
        workshop=workshop,
        layouts=[
            (name, gettext(layout.description)) for name, layout in printables.LAYOUTS.items()
        ],
        page_sizes=PAGE_SIZES,
        settings=translated_settings(),
        data=page_data(
            workshop=workshop,
            photos=roomphotos.list_photos(db, code),
            # The QR of a scribe link, once the server can draw one (see the manage page).
            scribe_qr="paper_pages.scribe_qr" in current_app.view_functions,
        ),
    )
