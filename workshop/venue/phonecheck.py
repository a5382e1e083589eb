"""A test QR code the facilitator scans with their own phone: did a phone on the Wi-Fi
reach the laptop, and from which address?

Kept in memory (a check lasts minutes and means nothing after a restart). Check ids are
random, few are kept, and each keeps its latest visits only: a stranger guessing ids can
at most add a line to a check they happened to guess.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime

from workshop.core.errors import NotFound

LIFETIME_SECONDS = 30 * 60
KEEP_CHECKS = 20
KEEP_VISITS = 10


class PhoneChecks:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._checks: OrderedDict[str, tuple[float, list[dict]]] = OrderedDict()

    def start(self) -> str:
        """A new check's id."""
        check_id = secrets.token_urlsafe(12)
        with self._lock:
            self._forget_old()
            self._checks[check_id] = (self._clock(), [])
            while len(self._checks) > KEEP_CHECKS:
                self._checks.popitem(last=False)
        return check_id

    def reached(self, check_id: str, address: str) -> dict:
        """A phone opened the check's page from ``address``."""
        visit = {"address": address, "at": datetime.now(UTC).isoformat(timespec="seconds")}
        with self._lock:
            visits = self._visits(check_id)
            visits.append(visit)
            del visits[:-KEEP_VISITS]
        return visit

    def visits(self, check_id: str) -> list[dict]:
        with self._lock:
            return list(self._visits(check_id))

    def _visits(self, check_id: str) -> list[dict]:
        self._forget_old()
        if check_id not in self._checks:
            raise NotFound(
                "no such room check (it lasts %(minutes)s minutes): start another",
                minutes=LIFETIME_SECONDS // 60,
            )
        return self._checks[check_id][1]

    def _forget_old(self) -> None:
        now = self._clock()
        for check_id in [
            k for k, (made, _) in self._checks.items() if now - made > LIFETIME_SECONDS
        ]:
            del self._checks[check_id]
