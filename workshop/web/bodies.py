"""Reading what a request sends: changes come as one JSON object (or an upload that carries
our own header), so a cross-site form cannot make them."""

from __future__ import annotations

import math
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


# SQLite stores integers in 64 bits; a larger one raised OverflowError deep in a query.
SMALLEST, LARGEST = -(2**63), 2**63 - 1


def body() -> dict[str, Any]:
    """The request's JSON object; an empty body reads as ``{}``. Values no field can hold
    are refused here, once for every route: numbers past 64 bits, NaN and infinities (which
    Python's JSON reader accepts), and text that is not Unicode (a lone surrogate)."""
    if not request.content_length:
        return {}
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Invalid("the body must be a JSON object")
    check_values(data)
    return data


def check_values(value: Any) -> None:
    """Raise :class:`Invalid` for a value anywhere in ``value`` that nothing can store."""
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int):
        if not SMALLEST <= value <= LARGEST:
            raise Invalid("a number in the request is too large")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise Invalid("numbers must be finite (no NaN or Infinity)")
    elif isinstance(value, str):
        _check_text(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key)
            check_values(item)
    elif isinstance(value, list):
        for item in value:
            check_values(item)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid("text must be valid Unicode (it holds a lone surrogate)") from None
