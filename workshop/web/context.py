"""Who is calling, and the app's services, for the route and socket handlers."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app, request, session

from workshop.core import tokens
from workshop.core.db import Store
from workshop.core.errors import NotAllowed, Phrase, WorkshopError
from workshop.core.ratelimit import RateLimiter
from workshop.workshops.attendees import get_attendee, new_attendee_id
from workshop.workshops.workshops import workshop_row


class Unauthenticated(WorkshopError):
    """A facilitator token was given and is wrong (401, unlike a plain refusal's 403)."""


@dataclass
class Services:
    store: Store
    facilitator_key: tokens.FacilitatorKey
    public_url: str | None
    limiter: RateLimiter = field(default_factory=RateLimiter)

    @property
    def token_hash(self) -> str | None:
        """The current facilitator token's hash (a rotation takes effect at once)."""
        return self.facilitator_key.token_hash


def services() -> Services:
    return current_app.extensions["workshop"]


def public_url() -> str:
    """Base URL for links and QR codes: the configured one, else the address the browser used."""
    return services().public_url or request.host_url.rstrip("/")


def join_url(code: str) -> str:
    return f"{public_url()}/j/{code}"


# A facilitator's screen may ask to be answered as the room would be: the projected screen
# opened from the console (``/w/<code>/board?as=room``) sends this header with every call and
# ``as: "room"`` when its socket connects, so it never gets what the room may not see
# (hidden notes, blind notes, hidden tallies), whoever is signed in on that laptop.
AS_ROOM_HEADER = "X-Workshop-As"
AS_ROOM = "room"


def as_room() -> bool:
    """This request asked to be answered as a public screen (it gives up the facilitator's
    role; it never gains one)."""
    return request.headers.get(AS_ROOM_HEADER) == AS_ROOM or request.args.get("as") == AS_ROOM


def room_identity() -> dict[str, str]:
    """What a projected screen's scripts send to be answered as the room: the header on
    every call, the ``as`` field of the socket's auth."""
    return {"header": AS_ROOM_HEADER, "value": AS_ROOM}


def is_facilitator(token: Any = None) -> bool:
    """True for a request (or socket connect) carrying the facilitator's token or cookie,
    unless it asked to be answered as the room (:func:`as_room`)."""
    if as_room():
        return False
    header = request.headers.get("Authorization", "")
    if token is None and header.startswith("Bearer "):
        token = header[len("Bearer ") :].strip()
    if token is not None:
        if tokens.token_matches(token, services().token_hash):
            return True
        raise Unauthenticated("the facilitator token is not recognised")
    if session.get("facilitator") is not True:
        return False
    # Signed in before the last `workshop token --rotate`: signed out.
    return session.get("facilitator_generation", 0) == services().facilitator_key.generation


def require_facilitator(action: str) -> None:
    """403 unless the facilitator calls; ``action`` (marked with ``N_``) ends the message."""
    if not is_facilitator():
        raise NotAllowed("only the facilitator can %(action)s", action=Phrase(action))


def attendee_id() -> str | None:
    """The attendee id in this browser's signed cookie, if it has joined."""
    value = session.get("aid")
    return value if isinstance(value, str) else None


def require_joined(code: str) -> dict:
    """The attendee this browser is in the workshop, or 403: phones act only as themselves."""
    attendee = get_attendee(services().store.db, code, attendee_id())
    if attendee is None:
        raise NotAllowed("join the workshop first (open its join link)")
    return attendee


def ensure_attendee_id() -> str:
    if attendee_id() is None:
        session["aid"] = new_attendee_id()
        session.permanent = True
    return session["aid"]


def is_scribe(code: str) -> bool:
    """True for a browser that opened this workshop's scribe link."""
    scribes = session.get("scribes")
    return isinstance(scribes, list) and code in scribes


def sign_in_scribe(code: str) -> None:
    scribes = session.get("scribes")
    scribes = scribes if isinstance(scribes, list) else []
    session["scribes"] = [*(c for c in scribes if c != code), code][-20:]
    session.permanent = True


def data_dir() -> Path | None:
    value = current_app.config.get("DATA_DIR")
    return Path(value) if value else None


def photos_dir() -> Path:
    """Where photos of cards and of the room's paper are kept: the data dir's ``photos``
    (a temporary folder when the app runs on an in-memory database)."""
    return (data_dir() or Path(tempfile.gettempdir()) / "workshop-photos") / "photos"


def note_allowance(code: str, aid: str) -> Callable[[], None]:
    """One note from this phone against the workshop's rate limit (429 when spent), taken
    by :func:`workshop.notes.notes.post_note` only when the note is not a resend."""

    def take() -> None:
        limits = workshop_row(services().store.db, code)["settings"]
        services().limiter.take(
            f"{code}/{aid}",
            per_minute=limits["notes_per_minute"],
            burst=limits["note_burst"],
        )

    return take


def sign_in_facilitator() -> None:
    session["facilitator"] = True
    session["facilitator_generation"] = services().facilitator_key.generation
    session.permanent = True
