"""Who is calling, and the app's services, for the route and socket handlers."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app, request, session

from workshop.core import signin, tokens
from workshop.core.db import Store
from workshop.core.errors import NotAllowed, Phrase, WorkshopError
from workshop.core.i18n import N_
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
        check_guesses()
        if tokens.token_matches(token, services().token_hash):
            return True
        wrong_guess()
        raise Unauthenticated("the facilitator token is not recognised")
    session_id = session.get("fsid")
    if not isinstance(session_id, str):
        return False
    # Signed in before the last `workshop token --rotate`: signed out.
    if session.get("facilitator_generation", 0) != services().facilitator_key.generation:
        return False
    return signin.session_open(services().store.db, session_id)  # closed by a sign-out?


# Wrong tokens and sign-in tickets, per address: a script guessing them gets 429 for a while,
# its right guesses included (or a 429 would tell it which guesses were wrong). A bucket of its
# own: guessed join codes (web.guesses) do not lock the facilitator out.
GUESS_BURST, GUESSES_PER_MINUTE = 20, 10


def check_guesses() -> None:
    """429 while this address has used up its wrong guesses."""
    _guess(spend=False)


def wrong_guess() -> None:
    """Count a wrong token or ticket from this address (429 once there were too many)."""
    _guess(spend=True)


def _guess(*, spend: bool) -> None:
    services().limiter.take(
        f"sign-in/{request.remote_addr}",
        per_minute=GUESSES_PER_MINUTE,
        burst=GUESS_BURST,
        what=N_("wrong sign-in attempts"),
        per=N_("one address"),
        spend=spend,
    )


def require_facilitator(action: str) -> None:
    """403 unless the facilitator calls; ``action`` (marked with ``N_``) ends the message."""
    if not is_facilitator():
        raise NotAllowed("only the facilitator can %(action)s", action=Phrase(action))


def attendee_id() -> str | None:
    """The attendee id in this browser's signed cookie, if it has joined."""
    value = session.get("aid")
    return value if isinstance(value, str) else None


def require_joined(code: str, *, workshop: dict | None = None) -> dict:
    """The attendee this browser is in the workshop, or 403: phones act only as themselves.
    ``workshop``: its row, when the caller has just read it."""
    attendee = get_attendee(services().store.db, code, attendee_id(), workshop=workshop)
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


def note_allowance(code: str, aid: str, *, workshop: dict | None = None) -> Callable[[], None]:
    """One note from this phone against the workshop's rate limit (429 when spent), taken
    by :func:`workshop.notes.notes.post_note` only when the note is not a resend.
    ``workshop``: its row as this request read it (else it is read when taken)."""

    def take() -> None:
        limits = (workshop or workshop_row(services().store.db, code))["settings"]
        services().limiter.take(
            f"{code}/{aid}",
            per_minute=limits["notes_per_minute"],
            burst=limits["note_burst"],
        )

    return take


def sign_in_facilitator() -> None:
    """Open a server-side session for this browser (docs/security.md: signing in and out)."""
    device = request.headers.get("User-Agent", "")
    session["fsid"] = signin.open_session(services().store, device)
    session["facilitator_generation"] = services().facilitator_key.generation
    session.pop("facilitator", None)  # the old, stateless mark
    session.permanent = True


def facilitator_session() -> str | None:
    """This browser's facilitator session id, if it holds one."""
    value = session.get("fsid")
    return value if isinstance(value, str) else None


def sign_out_facilitator() -> None:
    """Close this browser's session on the server (a copy of the cookie stops working too)."""
    session_id = facilitator_session()
    if session_id:
        signin.close_sessions(services().store, only=session_id)
    session.clear()
