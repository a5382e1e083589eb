"""The pages people open: home, facilitator sign-in, phone page, board, join QR, and the
facilitator's console."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

import printables
from workshop import codes, protocol, roomphotos, tokens, workshops
from workshop.notes import COLORS
from workshop.printing import PAGE_SIZES
from workshop.qrsvg import qr_svg
from workshop.settings import WORKSHOP_SETTINGS
from workshop.web.context import (
    Unauthenticated,
    is_facilitator,
    join_url,
    public_url,
    require_facilitator,
    services,
    sign_in_facilitator,
)

bp = Blueprint("pages", __name__)


@lru_cache(maxsize=64)
def _file_hash(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


@bp.app_template_global()
def asset(filename: str) -> str:
    """A static URL carrying the file's content hash, so a new version is never stale."""
    path = Path(current_app.static_folder or "") / filename
    version = _file_hash(str(path), path.stat().st_mtime) if path.exists() else "missing"
    return url_for("static", filename=filename, v=version)


def page_data(**data: object) -> dict:
    return {"protocol": protocol.protocol_json(), **data}


@bp.get("/")
def home() -> str:
    if not is_facilitator():
        return render_template("join.html", code=request.args.get("code", ""))
    db = services().store.db
    return render_template(
        "home.html",
        workshops=workshops.list_workshops(db),
        defaults=workshops.DEFAULT_SECTIONS,
        data=page_data(settings=[s.__dict__ for s in WORKSHOP_SETTINGS]),
    )


@bp.get("/join")
def join_by_code() -> Response:
    code = codes.normalise(request.args.get("code", ""))
    return redirect(url_for("pages.phone", code=code) if code else url_for("pages.home"))


@bp.get("/facilitator")
def facilitator_sign_in() -> Response:
    """The link `workshop serve` prints: signs this browser in, then drops the token from
    the address bar."""
    token = request.args.get("token", "")
    if not tokens.token_matches(token, services().token_hash):
        raise Unauthenticated(
            "That facilitator link is not valid (the server may have restarted with a new one)."
        )
    sign_in_facilitator()
    return redirect(url_for("pages.home"))


@bp.post("/sign-out")
def sign_out() -> Response:
    session.clear()
    return redirect(url_for("pages.home"))


@bp.get("/j/<code>")
def phone(code: str) -> str:
    db = services().store.db
    workshop = workshops.get_workshop(db, code)
    if workshop["code"] != code:
        return redirect(url_for("pages.phone", code=workshop["code"]))
    return render_template(
        "phone.html",
        workshop=workshop,
        data=page_data(workshop=workshop, colors=list(COLORS)),
    )


@bp.get("/w/<code>/board")
def board(code: str) -> str:
    db = services().store.db
    workshop = workshops.get_workshop(db, code)
    workshop["join_url"] = join_url(workshop["code"])
    facilitator = is_facilitator()
    return render_template(
        "board.html",
        workshop=workshop,
        facilitator=facilitator,
        data=page_data(workshop=workshop, facilitator=facilitator, colors=list(COLORS)),
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
    require_facilitator("manage this workshop (open the facilitator link on this device first)")
    db = services().store.db
    workshop = workshops.get_workshop(db, code)
    workshop["join_url"] = join_url(workshop["code"])
    return render_template(
        "manage.html",
        workshop=workshop,
        layouts=[(name, layout.description) for name, layout in printables.LAYOUTS.items()],
        page_sizes=PAGE_SIZES,
        settings=WORKSHOP_SETTINGS,
        data=page_data(
            workshop=workshop,
            photos=roomphotos.list_photos(db, code),
            # The QR of a scribe link, once the server can draw one (see the manage page).
            scribe_qr="paper_pages.scribe_qr" in current_app.view_functions,
        ),
    )
