"""Per-phone rate limits: a token bucket per key, in memory.

A short burst is fine (people type two notes and send both); the sustained rate is what is
limited. One bucket per attendee, so one phone flooding never slows the rest of the room.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from workshop.errors import Phrase, RateLimited
from workshop.i18n import N_


class RateLimiter:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last time)
        self._lock = threading.Lock()

    def take(
        self,
        key: str,
        *,
        per_minute: int,
        burst: int,
        what: str = N_("notes"),
        per: str = N_("one phone"),
    ) -> None:
        """Spend one token from ``key``'s bucket, or raise :class:`RateLimited`. ``what`` and
        ``per`` are words of its message (marked with ``N_``, translated when shown)."""
        rate = per_minute / 60.0
        with self._lock:
            now = self._clock()
            tokens, last = self._buckets.get(key, (float(burst), now))
            tokens = min(float(burst), tokens + (now - last) * rate)
            if tokens < 1.0:
                wait = (1.0 - tokens) / rate
                self._buckets[key] = (tokens, now)
                raise RateLimited(
                    "Slow down: at most %(count)s %(what)s a minute from %(per)s. "
                    "Try again in %(seconds)s s.",
                    retry_after=wait,
                    count=per_minute,
                    what=Phrase(what),
                    per=Phrase(per),
                    seconds=max(1, round(wait)),
                )
            self._buckets[key] = (tokens - 1.0, now)
            if len(self._buckets) > 100_000:  # forget idle phones; a full bucket is the default
                self._buckets = {
                    k: v for k, v in self._buckets.items() if now - v[1] < 3600 / max(rate, 1e-9)
                }
