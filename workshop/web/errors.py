"""One place that turns errors into responses: JSON under /api, a friendly page elsewhere."""

from __future__ import annotations

import logging
import sqlite3

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from workshop.core.errors import (
    Conflict,
    Gone,
    Invalid,
    NotAllowed,
    NotFound,
    RateLimited,
    WorkshopError,
)
from workshop.core.i18n import N_
from workshop.web.context import Unauthenticated
from workshop.web.i18n import error_message, gettext

STATUS = {
    Invalid: 400,
    Unauthenticated: 401,
    NotAllowed: 403,
    NotFound: 404,
    Conflict: 409,
    Gone: 410,
    RateLimited: 429,
}

FRIENDLY = {
    400: N_("That request could not be understood."),
    401: N_("Please sign in."),
    403: N_("That is not allowed."),
    404: N_("There is nothing here. Check the link or the join code."),
    405: N_("That method is not allowed here."),
    413: N_("That is too large to send."),
    415: N_("Send JSON (Content-Type: application/json)."),
    429: N_("Too many requests. Please wait a moment."),
}

log = logging.getLogger(__name__)

# The database could not take a write just now; phones keep the note and send it again on a 5xx.
BUSY = N_("The laptop is busy saving; your note is kept and will be sent again.")
CANNOT_SAVE = N_(
    "The laptop cannot save right now (its disk may be full); your note is kept and will be "
    "sent again."
)


def status_of(error: WorkshopError) -> int:
    for kind, status in STATUS.items():
        if isinstance(error, kind):
            return status
    return 400


def _respond(status: int, message: str) -> Response:
    if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
        response = jsonify(error=message)
    else:
        response = Response(
            render_template("error.html", status=status, message=message), mimetype="text/html"
        )
    response.status_code = status
    return response


def domain_response(error: WorkshopError) -> Response:
    """A domain error as JSON under /api, as a page elsewhere, in the caller's language."""
    response = _respond(status_of(error), error_message(error))
    if isinstance(error, RateLimited):
        response.headers["Retry-After"] = str(max(1, round(error.retry_after)))
    return response


def register(app: Flask) -> None:
    app.register_error_handler(WorkshopError, domain_response)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        status = error.code or 500
        if status in FRIENDLY:
            message = gettext(FRIENDLY[status])
        else:
            message = error.description or gettext("Something went wrong.")
        if status == 413:
            limit = request.max_content_length or app.config["MAX_CONTENT_LENGTH"]
            size = f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit // 1024} KB"
            message = gettext("That request is too large (the limit is %(size)s).", size=size)
        return _respond(status, message)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return _respond(500, gettext("Something went wrong on the laptop. Please try again."))

    @app.errorhandler(sqlite3.OperationalError)
    def database_unavailable(error: sqlite3.OperationalError) -> Response:
        """Locked by another process past busy_timeout, or the disk full: 503, retry later."""
        reason = str(error)
        if "locked" in reason or "busy" in reason:
            log.warning("database busy on %s %s: %s", request.method, request.path, reason)
            response = _respond(503, gettext(BUSY))
        elif "full" in reason or "disk I/O" in reason:
            log.error(
                "cannot write the database on %s %s: %s", request.method, request.path, reason
            )
            response = _respond(503, gettext(CANNOT_SAVE))
        else:
            return unexpected(error)
        response.headers["Retry-After"] = "5"
        return response
