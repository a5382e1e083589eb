"""Signing the facilitator in and out: the printed link's sign-in page, signing in another
device, and the signed-in browsers (the rules are in workshop.core.signin)."""

from __future__ import annotations

import base64
from datetime import timedelta

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from flask import Response as FlaskResponse
from werkzeug.wrappers import Response as BaseResponse  # what redirect() returns

from workshop.core import signin, tokens
from workshop.core.errors import Phrase
from workshop.core.i18n import N_
from workshop.web.context import (
    Unauthenticated,
    check_guesses,
    facilitator_session,
    public_url,
    require_facilitator,
    services,
    sign_in_facilitator,
    sign_out_facilitator,
    wrong_guess,
)
from workshop.web.forgery import form_route
from workshop.web.qrsvg import qr_svg

bp = Blueprint("signin", __name__)

NEW_LINK = N_(
    "Ask for a new one: on a screen that is signed in, use “Sign in another device”, or run "
    "“workshop token --link” on the laptop."
)


def _refuse(state: str) -> Unauthenticated:
    wrong_guess()
    if state == "used":
        return Unauthenticated(
            "This sign-in link has been used already. %(next)s", next=Phrase(NEW_LINK)
        )
    if state == "expired":
        return Unauthenticated("This sign-in link has expired. %(next)s", next=Phrase(NEW_LINK))
    return Unauthenticated(
        "That facilitator link is not valid (the server may have restarted with a new one)."
    )


@bp.get("/facilitator")
def sign_in_page() -> str | BaseResponse:
    """The link `workshop serve` prints. With a one-time ticket: a page that signs this
    browser in by a POST (its script sends it at once; a button without JavaScript), so a
    link preview cannot spend the ticket. With the facilitator token itself (scripts, tests):
    signed in at once — but that address, token and all, stays in the browser's history."""
    given = request.args.get("token", "")
    check_guesses()
    if tokens.token_matches(given, services().token_hash):
        sign_in_facilitator()
        return redirect(url_for("pages.home"))
    state = signin.ticket_state(services().store.db, given)
    if state != "valid":
        raise _refuse(state)
    return render_template("signin.html", ticket=given)


@bp.post("/facilitator")
@form_route()
def sign_in_with_ticket() -> BaseResponse:
    check_guesses()
    ticket = request.form.get("ticket", "")
    if not signin.spend_ticket(services().store, ticket):
        raise _refuse(signin.ticket_state(services().store.db, ticket))
    sign_in_facilitator()
    return redirect(url_for("pages.home"), code=303)


@bp.post("/sign-out")
@form_route()
def sign_out() -> BaseResponse:
    sign_out_facilitator()
    return redirect(url_for("pages.home"), code=303)


@bp.post("/api/facilitator/tickets")
def device_ticket() -> tuple[dict, int]:
    """A short-lived link (and its QR code) that signs one more device in, once."""
    require_facilitator(N_("sign in another device"))
    minutes = signin.DEVICE_TICKET_MINUTES
    ticket = signin.new_ticket(services().store, lifetime=timedelta(minutes=minutes))
    url = f"{public_url()}/facilitator?token={ticket}"
    svg = base64.b64encode(qr_svg(url)).decode()
    return {"url": url, "minutes": minutes, "qr": f"data:image/svg+xml;base64,{svg}"}, 201


@bp.get("/api/facilitator/sessions")
def sessions() -> FlaskResponse:
    require_facilitator(N_("see the signed-in browsers"))
    return jsonify({"sessions": signin.open_sessions(services().store.db)})


@bp.post("/api/facilitator/sessions/sign-out-others")
def sign_out_others() -> dict:
    """Sign out every facilitator browser but this one (a lost phone, a borrowed laptop)."""
    require_facilitator(N_("sign out other browsers"))
    closed = signin.close_sessions(services().store, keep=facilitator_session())
    return {"signed_out": closed}
