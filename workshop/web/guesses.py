"""Guessing join codes, card codes and scribe links, slowed per network address.

A join code is 4 characters of 21 (194,481 codes): unthrottled, one laptop on the venue
Wi-Fi tried them all in about 7 minutes, past workshops included, and every hit opens a
board, its notes and its phone page. So every lookup that finds nothing (a join code no
workshop has, a scribe link that is not valid, over HTTP or a socket) spends one guess
from the address's bucket (core/ratelimit.py: ``GUESSES_BURST`` at once, then
``GUESSES_PER_MINUTE``). While an address has none left, every request naming a join
code, and every scribe link, is ``429`` with a message and ``Retry-After``, hit or miss,
so the answers say nothing about which codes exist. Printed cards' codes count the same way
(a card's code is how a phone posts that card's note): a code no card has spends a guess,
and while an address has none left, a card is looked up only for a browser its workshop knows.

Except for a browser the workshop already knows: its facilitator, its scribes and phones
that joined it before go on as usual. A venue behind one NAT address shares a bucket, and
one person trying codes must not stop the room's phones (a phone that mistypes a code once
or twice spends a guess or two of 20 and is never refused).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, current_app, request, session

from workshop.core.codes import normalise
from workshop.core.errors import NoSuchCard, NoSuchWorkshop, RateLimited, WorkshopError
from workshop.core.i18n import N_
from workshop.paper.cards import get_card
from workshop.web.context import attendee_id, is_facilitator, is_scribe, services
from workshop.workshops.attendees import get_attendee

T = TypeVar("T")

BURST = 20
PER_MINUTE = 6
# Endpoints that look a secret up without a join code in their path.
LOOKUPS = {"paper_pages.scribe_sign_in"}
CARD_LOOKUPS = {"paper_pages.card_lookup"}  # a card's code typed in its query string

TOO_MANY = N_(
    "Too many wrong codes or links from this address. Check the code on the poster or the "
    "card (or ask the facilitator for a new link) and try again in %(seconds)s s."
)


def _wait(*, spend: bool) -> float:
    config = current_app.config
    return services().limiter.wait(
        f"guess/{request.remote_addr}",
        per_minute=config.get("GUESSES_PER_MINUTE", PER_MINUTE),
        burst=config.get("GUESSES_BURST", BURST),
        spend=spend,
    )


def _refusal(wait: float) -> RateLimited:
    return RateLimited(TOO_MANY, retry_after=wait, seconds=max(1, round(wait)))


def _known(code: Any) -> bool:
    """This browser is the facilitator, or a scribe or a joined phone of workshop ``code``."""
    if not isinstance(code, str):
        return False
    if is_facilitator() or is_scribe(normalise(code)):
        return True
    aid = attendee_id()
    try:
        return aid is not None and get_attendee(services().store.db, code, aid) is not None
    except NoSuchWorkshop:
        return False


def check(code: Any = None) -> None:
    """Raise 429 if this address has no guesses left (unless the workshop knows it)."""
    wait = _wait(spend=False)
    if wait > 0 and not _known(code):
        raise _refusal(wait)


def missed() -> None:
    """A lookup found nothing: spend a guess; 429 instead of the miss when none is left."""
    wait = _wait(spend=True)
    if wait > 0:
        raise _refusal(wait)


def lookup(code: Any, find: Callable[[], T]) -> T:
    """``find()`` a workshop by ``code`` (a socket's), counted like an HTTP lookup."""
    check(code)
    try:
        return find()
    except NoSuchWorkshop:
        missed()
        raise


def _card_known(card_code: Any) -> bool:
    """Whether the workshop of this card knows this browser (it says nothing to anyone else:
    a card that does not exist and one that does are refused alike)."""
    try:
        return _known(get_card(services().store.db, card_code)["workshop"])
    except NoSuchCard:
        return False


def trusted() -> bool:
    """The facilitator and scribes look cards up all day, some from other rooms: their
    misses cost nothing."""
    scribes = session.get("scribes")
    return bool(isinstance(scribes, list) and scribes) or is_facilitator()


def check_card(card_code: Any) -> None:
    """Raise 429 if this address has no guesses left, unless the card's workshop knows it."""
    wait = _wait(spend=False)
    if wait > 0 and not trusted() and not _card_known(card_code):
        raise _refusal(wait)


def missed_card() -> None:
    """A card code that no card has: a guess, except from the facilitator or a scribe."""
    if not trusted():
        missed()


def _before_request() -> None:
    args = request.view_args or {}
    if "card_code" in args:
        check_card(args["card_code"])
    elif request.endpoint in CARD_LOOKUPS and request.args.get("code"):
        check_card(request.args["code"])
    elif "code" in args or request.endpoint in LOOKUPS:
        check(args.get("code"))


def init_app(app: Flask, render: Callable[[WorkshopError], Response]) -> None:
    """Count lookups of HTTP routes; ``render`` is the app's own error response."""
    app.before_request(_before_request)

    def counted(error: NoSuchWorkshop | NoSuchCard) -> Response:
        """A code that finds nothing spends a guess (429 instead, once none is left)."""
        try:
            missed_card() if isinstance(error, NoSuchCard) else missed()
        except RateLimited as refusal:
            return render(refusal)
        return render(error)

    app.register_error_handler(NoSuchWorkshop, counted)
    app.register_error_handler(NoSuchCard, counted)
