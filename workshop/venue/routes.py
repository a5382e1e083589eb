"""Check the room: the facilitator's panel (JSON) and the tiny page a test phone opens.

The panel asks ``GET /api/room-check`` for the addresses and the findings (the server asks
itself on the QR's address), makes a phone check (``POST /api/room-check/phone``: a QR code
to ``/check/<id>``) and polls it; the phone's page posts back (``…/reached``), so the
laptop knows a phone on the Wi-Fi reached it, and from which address.
"""

from __future__ import annotations

import base64
import sys
from pathlib import Path

from flask import Blueprint, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue

from workshop.core.errors import Invalid
from workshop.core.i18n import N_
from workshop.records import backups
from workshop.venue import checks, network
from workshop.venue.phonecheck import PhoneChecks
from workshop.web.bodies import body
from workshop.web.context import public_url, require_facilitator, services
from workshop.web.i18n import gettext
from workshop.web.qrsvg import qr_svg

bp = Blueprint("venue", __name__)


def _phone_checks() -> PhoneChecks:
    return current_app.extensions.setdefault("workshop_phone_checks", PhoneChecks())


def _report() -> dict:
    qr_url = public_url()
    host, port = checks.qr_address(qr_url)
    answers = network.server_answers(host, port) if network.is_address(host) else None
    return checks.report(
        qr_url=qr_url,
        listen_host=current_app.config.get("LISTEN_HOST"),
        interfaces=network.lan_interfaces(),
        answers=answers,
        platform=sys.platform,
        gettext=gettext,
    )


@bp.get(network.PING_PATH)
def ping() -> ResponseReturnValue:
    """What `workshop check` and the panel ask, to know this program answers there."""
    return jsonify(network.PING_ANSWER)


@bp.get("/api/room-check")
def room_check() -> ResponseReturnValue:
    require_facilitator(N_("check the room"))
    return jsonify(_report())


@bp.put("/api/room-check/address")
def choose_address() -> ResponseReturnValue:
    """Put another of the laptop's addresses into join links and QR codes from now on."""
    require_facilitator(N_("choose the address in the QR codes"))
    address = body().get("address")
    if address not in network.lan_addresses():
        raise Invalid("address must be one of this laptop's network addresses")
    port = current_app.config.get("LISTEN_PORT") or checks.qr_address(public_url())[1]
    url = f"http://{address}:{port}"
    services().public_url = url
    if current_app.config.get("DATA_DIR"):  # printing commands take the running server's URL
        backups.update_server_url(Path(current_app.config["DATA_DIR"]), url)
    return jsonify(_report())


@bp.post("/api/room-check/phone")
def start_phone_check() -> ResponseReturnValue:
    require_facilitator(N_("check the room"))
    check_id = _phone_checks().start()
    url = f"{public_url()}/check/{check_id}"
    svg = base64.b64encode(qr_svg(url)).decode()
    return jsonify({"id": check_id, "url": url, "qr": f"data:image/svg+xml;base64,{svg}"}), 201


@bp.get("/api/room-check/phone/<check_id>")
def phone_check(check_id: str) -> ResponseReturnValue:
    require_facilitator(N_("check the room"))
    return jsonify({"visits": _phone_checks().visits(check_id)})


@bp.get("/check/<check_id>")
def check_page(check_id: str) -> ResponseReturnValue:
    """The page the test QR opens on the facilitator's phone; its script reports back."""
    _phone_checks().visits(check_id)  # 404 for an id that is not (or no longer) a check
    return render_template("check.html", data={"check_id": check_id})


@bp.post("/api/room-check/phone/<check_id>/reached")
def phone_reached(check_id: str) -> ResponseReturnValue:
    visit = _phone_checks().reached(check_id, request.remote_addr or "?")
    return jsonify({"reached": True, "address": visit["address"]})
