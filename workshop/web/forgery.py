"""Refusing changes that another site's page made in a facilitator's or a phone's name.

A page elsewhere (another site, or another port of this laptop, which browsers count as the
same site and send our cookies to) can make a browser send a form, or an empty-bodied
``fetch`` in ``no-cors`` mode, to this server. Three rules, checked once for every request
that changes something:

- **Origin.** Browsers name the page that made a non-GET request in its ``Origin`` header
  (``null`` when the page hides it). A change whose Origin is not this server's own (the
  address the browser used, or the configured public URL) is refused, whatever its body.
  Scripts and the CLI send no Origin, and nothing a web page can do removes it.
- **Bodies.** A change's body is JSON, or an upload carrying ``X-Workshop-Upload``: a
  cross-site form can send neither without a CORS preflight, which this server never grants
  (a second wall, for a browser that sends no Origin).
- **Forms.** The few plain HTML forms (the phone's note form without JavaScript, signing in
  and out, printing cards) carry this browser's form token instead, which another site cannot
  read.

No GET changes anything on the server (printing new cards is a POST; see paper.routes).
"""

from __future__ import annotations

import functools
import hmac
import secrets
from collections.abc import Callable
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import current_app, request, session

from workshop.core.errors import Invalid, NotAllowed
from workshop.web.bodies import MUTATING, require_json_body
from workshop.web.context import services

View = TypeVar("View", bound=Callable[..., Any])


def form_route(*, role: Callable[[], None] | None = None) -> Callable[[View], View]:
    """A view that takes a plain HTML form: it needs this browser's form token, not JSON.
    ``role`` (e.g. the facilitator check) comes first, so a stranger is told 403, not 400."""

    def mark(view: View) -> View:
        @functools.wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            if role is not None:
                role()
            check_form_token()
            return view(*args, **kwargs)

        checked.takes_form = True  # type: ignore[attr-defined]  # read by check_request
        return cast(View, checked)

    return mark


def form_token() -> str:
    """This browser's token for the plain HTML forms: a cross-site page cannot read it."""
    if not isinstance(session.get("csrf"), str):
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_form_token() -> None:
    expected = session.get("csrf")
    given = request.form.get("csrf_token", "")
    if not isinstance(expected, str) or not hmac.compare_digest(given.encode(), expected.encode()):
        raise Invalid("This form has expired. Go back, reload the page and try again.")


@functools.lru_cache(maxsize=16)
def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def own_origins() -> set[str]:
    """The origins this server's pages are served from: as the browser reached it (its
    scheme and Host header, as a browser writes them in Origin), and the configured public
    URL (behind a proxy that rewrites Host, the two differ)."""
    origins = {f"{request.scheme}://{request.host}".lower()}
    if services().public_url:
        origins.add(_origin_of(services().public_url or ""))
    return origins


def check_request() -> None:
    """The app-wide ``before_request`` hook: every change obeys the three rules above."""
    if request.method not in MUTATING:
        return
    origin = request.headers.get("Origin")
    if origin is not None and origin.lower() not in own_origins():
        raise NotAllowed(
            "this change was sent by a page of another site (%(origin)s) and was refused",
            origin=origin[:100],
        )
    if request.endpoint is None:  # no such route: the 404 or 405 says so
        return
    view = current_app.view_functions.get(request.endpoint)
    if not getattr(view, "takes_form", False):  # a form route checks its token itself
        require_json_body()
