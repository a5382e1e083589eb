"""One place that turns errors into responses: JSON under /api, a friendly page elsewhere."""

from __future__ import annotations

import logging
import sqlite3

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from workshop.errors import Conflict, Invalid, NotAllowed, NotFound, RateLimited, WorkshopError
from workshop.web.context import Unauthenticated

STATUS = {
    Invalid: 400,
    Unauthenticated: 401,
    NotAllowed: 403,
    NotFound: 404,
    Conflict: 409,
    RateLimited: 429,
}

FRIENDLY = {
    400: "That request could not be understood.",
    401: "Please sign in.",
    403: "That is not allowed.",
    404: "There is nothing here. Check the link or the join code.",
    405: "That method is not allowed here.",
    413: "That is too large to send.",
    415: "Send JSON (Content-Type: application/json).",
    429: "Too many requests. Please wait a moment.",
}

log = logging.getLogger(__name__)

# The database could not take a write just now; phones keep the note and send it again on a 5xx.
BUSY = "The laptop is busy saving; your note is kept and will be sent again."
CANNOT_SAVE = (
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


def register(app: Flask) -> None:
    @app.errorhandler(WorkshopError)
    def domain_error(error: WorkshopError) -> Response:
        response = _respond(status_of(error), error.message)
        if isinstance(error, RateLimited):
            response.headers["Retry-After"] = str(max(1, round(error.retry_after)))
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        status = error.code or 500
        message = FRIENDLY.get(status, error.description or "Something went wrong.")
        if status == 413:
            limit = request.max_content_length or app.config["MAX_CONTENT_LENGTH"]
            size = f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit // 1024} KB"
            message = f"That request is too large (the limit is {size})."
        return _respond(status, message)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return _respond(500, "Something went wrong on the laptop. Please try again.")

    @app.errorhandler(sqlite3.OperationalError)
    def database_unavailable(error: sqlite3.OperationalError) -> Response:
        """Locked by another process past busy_timeout, or the disk full: 503, retry later."""
        reason = str(error)
        if "locked" in reason or "busy" in reason:
            log.warning("database busy on %s %s: %s", request.method, request.path, reason)
            response = _respond(503, BUSY)
        elif "full" in reason or "disk I/O" in reason:
            log.error(
                "cannot write the database on %s %s: %s", request.method, request.path, reason
            )
            response = _respond(503, CANNOT_SAVE)
        else:
            return unexpected(error)
        response.headers["Retry-After"] = "5"
        return response
