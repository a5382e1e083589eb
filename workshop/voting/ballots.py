"""One person, one ballot, as far as an anonymous room allows (docs/security.md).

A phone is a cookie, and a cookie is free: one laptop could join forty times and vote forty
times. So each attendee's address is recorded when it joins — as a keyed hash, never the
address itself: the key is the workshop's own (``workshops.address_key``), so the hash tells
this workshop's addresses apart and nothing more — and a phone's first dot opens a *ballot*,
which the route takes from a per-address allowance (the workshop settings
``ballots_per_address_burst`` and ``ballots_per_address_per_minute``). Joining and writing
stay open to everyone: a venue whose phones all share one address can still take part, and
the facilitator, who sees here how many ballots each address holds, raises the allowance for
such a room. Paper ballots (a card holder's dots, physical dots) are counted apart.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from sqlite_utils import Database

from workshop.voting import tally
from workshop.workshops.workshops import workshop_row

# One address holding this many phone ballots is worth the facilitator's look.
SEVERAL = 2


def address_hash(db: Database, workshop_id: int, address: str | None) -> str | None:
    """The workshop's keyed hash of an address (made on first use of the workshop's key)."""
    if not address:
        return None
    (key,) = db.execute("SELECT address_key FROM workshops WHERE id = ?", [workshop_id]).fetchone()
    if key is None:
        key = secrets.token_hex(16)
        db.execute("UPDATE workshops SET address_key = ? WHERE id = ?", [key, workshop_id])
    digest = hmac.new(key.encode(), address.encode(), hashlib.sha256).hexdigest()
    return digest[:16]


def ballot_report(db: Database, code: Any) -> dict:
    """The ballots part of the facilitator's page, the report and the export:

    - ``dots``: every dot by channel (:func:`workshop.voting.tally.dots_cast`);
    - ``ballots``: voters holding at least one dot now, from ``phones`` and from printed
      ``cards`` (a scribe records those);
    - ``addresses``: per address (numbered 1, 2… by most ballots; the hash is never shown),
      the phones that joined from it and the ballots it holds;
    - ``shared``: how many addresses hold several ballots, and ``warning`` if any does.
    """
    workshop = workshop_row(db, code)
    voters = db.execute(
        "SELECT DISTINCT attendee_id FROM votes WHERE workshop_id = ?", [workshop["id"]]
    ).fetchall()
    cards = sum(1 for (voter,) in voters if voter.startswith("card:"))
    rows = db.execute(
        """SELECT a.address, count(*),
                  sum(EXISTS (SELECT 1 FROM votes v WHERE v.workshop_id = a.workshop_id
                                  AND v.attendee_id = a.id))
           FROM attendees a WHERE a.workshop_id = ? GROUP BY a.address
           ORDER BY 3 DESC, 2 DESC""",
        [workshop["id"]],
    ).fetchall()
    addresses = [
        {"address": number, "known": address is not None, "joined": joined, "ballots": held}
        for number, (address, joined, held) in enumerate(rows, start=1)
    ]
    shared = [a for a in addresses if a["known"] and a["ballots"] >= SEVERAL]
    phones = len(voters) - cards
    return {
        "dots": tally.dots_cast(db, workshop["id"]),
        "ballots": {"phones": phones, "cards": cards, "total": phones + cards},
        "addresses": addresses,
        "shared": len(shared),
        "most_from_one_address": max((a["ballots"] for a in shared), default=0),
        "warning": bool(shared),
        "limit": {
            "burst": workshop["settings"]["ballots_per_address_burst"],
            "per_minute": workshop["settings"]["ballots_per_address_per_minute"],
        },
    }
