"""Reading what a request sends: changes come as one JSON object (or an upload that carries
our own header), so a cross-site form cannot make them."""

from __future__ import annotations

from typing import Any

from flask import request

from workshop.core.errors import Invalid

MUTATING = ("POST", "PUT", "PATCH", "DELETE")


def require_json_body() -> None:
    """Changes must come as JSON, or as an upload carrying our own header: a cross-site form
    can send neither without a CORS preflight, which this server never grants."""
    if request.method not in MUTATING or not request.content_length or request.is_json:
        return
    if request.mimetype == "multipart/form-data":
        if request.headers.get("X-Workshop-Upload") != "1":
            raise Invalid("uploads must come from the app (X-Workshop-Upload header)")
        return
    raise Invalid("send JSON (Content-Type: application/json)")


def body() -> dict[str, Any]:
    """The request's JSON object; an empty body reads as ``{}``."""
    if not request.content_length:
        return {}
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Invalid("the body must be a JSON object")
    return data
