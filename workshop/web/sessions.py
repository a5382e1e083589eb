"""Flask's signed-cookie sessions, with the work of opening one done once per cookie.

Every request a phone makes carries the same signed cookie; Flask built a new signing
serializer, derived its key, checked the HMAC and decoded the payload on each of them (about
a tenth of a millisecond of the laptop's CPU for every note posted: docs/performance.md).
This interface keeps the serializer, and remembers for a minute what a cookie it has already
verified holds. A cookie is the key, so nothing is believed that was not verified once: a
changed or forged cookie is another key and is checked in full. What a request reads is a
copy, so changing its session never changes what the next request with that cookie sees.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from itsdangerous import BadSignature, URLSafeTimedSerializer

REMEMBER_SECONDS = 60.0
REMEMBERED = 8192  # cookies: a few per phone in the room, many rooms on one laptop


class RememberingSessions(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._serializer: tuple[tuple, URLSafeTimedSerializer | None] | None = None
        self._opened: dict[str, tuple[float, dict[str, Any]]] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if self._serializer is None or self._serializer[0] != keys:
            self._serializer = (keys, super().get_signing_serializer(app))
            self._opened.clear()  # a new key: what the old one verified counts for nothing
        return self._serializer[1]

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        now = time.monotonic()
        remembered = self._opened.get(value)
        if remembered is not None and remembered[0] > now:
            return self.session_class(_copy(remembered[1]))
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if isinstance(data, dict) and _plain(data):
            age = time.time() - signed_at.timestamp()
            until = now + min(REMEMBER_SECONDS, max_age - age)  # never past its own expiry
            if len(self._opened) >= REMEMBERED:
                self._opened.pop(next(iter(self._opened)))  # the oldest
            self._opened[value] = (until, _copy(data))
        return self.session_class(data)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        refresh = session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]
        if not session.modified and not refresh:  # nothing to write: Flask's own shortcut, early
            if session.accessed:
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)


def _plain(data: dict) -> bool:
    """Only text, numbers, flags and lists of them (what this app keeps in a session) are
    remembered: they copy exactly."""
    return all(
        _scalar(item) or (isinstance(item, list) and all(_scalar(x) for x in item))
        for item in data.values()
    )


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _copy(data: dict[str, Any]) -> dict[str, Any]:
    return {key: list(item) if isinstance(item, list) else item for key, item in data.items()}
