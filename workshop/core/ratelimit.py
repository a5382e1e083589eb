"""Per-phone rate limits: a token bucket per key, in memory — or in Redis when several
server processes share a message queue, so a phone whose requests reach two processes still
has one allowance (docs/deploy.md).

A short burst is fine (people type two notes and send both); the sustained rate is what is
limited. One bucket per attendee, so one phone flooding never slows the rest of the room.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import redis

from workshop.core.errors import Phrase, RateLimited
from workshop.core.i18n import N_

log = logging.getLogger(__name__)


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
        spend: bool = True,
    ) -> None:
        """Spend one token from ``key``'s bucket, or raise :class:`RateLimited`. ``what`` and
        ``per`` are words of its message (marked with ``N_``, translated when shown). With
        ``spend=False`` only ask: raise if the bucket is empty, spend nothing."""
        rate = per_minute / 60.0
        allowed, tokens = self._spend(key, rate, float(burst), 1.0 if spend else 0.0)
        if not allowed:
            wait = (1.0 - tokens) / rate
            raise RateLimited(
                "Slow down: at most %(count)s %(what)s a minute from %(per)s. "
                "Try again in %(seconds)s s.",
                retry_after=wait,
                count=per_minute,
                what=Phrase(what),
                per=Phrase(per),
                seconds=max(1, round(wait)),
            )

    def wait(self, key: str, *, per_minute: int, burst: int, spend: bool = True) -> float:
        """Seconds until ``key``'s bucket holds a token: 0 when it holds one now (and then,
        with ``spend``, one is taken). For callers that word their own refusal."""
        rate = per_minute / 60.0
        if spend:
            allowed, tokens = self._spend(key, rate, float(burst), 1.0)
            if allowed:
                return 0.0
        else:
            tokens = self._peek(key, rate, float(burst))
            if tokens >= 1.0:
                return 0.0
        return (1.0 - tokens) / rate

    def _peek(self, key: str, rate: float, burst: float) -> float:
        """The tokens in ``key``'s bucket now, taking none."""
        with self._lock:
            now = self._clock()
            tokens, last = self._buckets.get(key, (burst, now))
            return min(burst, tokens + (now - last) * rate)

    def _spend(self, key: str, rate: float, burst: float, cost: float) -> tuple[bool, float]:
        """Refill ``key``'s bucket, take ``cost`` tokens if there is one: (there was, tokens)."""
        with self._lock:
            now = self._clock()
            tokens, last = self._buckets.get(key, (burst, now))
            tokens = min(burst, tokens + (now - last) * rate)
            allowed = tokens >= 1.0
            self._buckets[key] = (tokens - cost if allowed else tokens, now)
            if len(self._buckets) > 100_000:  # forget idle phones; a full bucket is the default
                self._buckets = {
                    k: v for k, v in self._buckets.items() if now - v[1] < 3600 / max(rate, 1e-9)
                }
            return allowed, tokens


# The same bucket, atomic in Redis, on Redis's clock (every process agrees on the time).
_SPEND = """
local now = redis.call('TIME')
now = tonumber(now[1]) + tonumber(now[2]) / 1000000
local rate, burst, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local held = redis.call('HMGET', KEYS[1], 'tokens', 'last')
local tokens = tonumber(held[1]) or burst
local last = tonumber(held[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - last) * rate)
local allowed = 0
if tokens >= 1 then allowed = 1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - allowed * cost), 'last', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(burst / rate) + 60)
return {allowed, tostring(tokens)}
"""


_PEEK = """
local now = redis.call('TIME')
now = tonumber(now[1]) + tonumber(now[2]) / 1000000
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local held = redis.call('HMGET', KEYS[1], 'tokens', 'last')
local tokens = tonumber(held[1]) or burst
local last = tonumber(held[2]) or now
return tostring(math.min(burst, tokens + math.max(0, now - last) * rate))
"""


class SharedRateLimiter(RateLimiter):
    """Buckets in Redis (``redis_url``: the processes' message queue), shared by every
    process. If Redis cannot be reached, this process limits on its own meanwhile: a post is
    never refused because the queue is down."""

    PREFIX = "workshop:rate:"

    def __init__(self, redis_url: str, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(clock)
        self._redis: Any = redis.Redis.from_url(redis_url, socket_timeout=1.0)
        self._script = self._redis.register_script(_SPEND)
        self._peek_script = self._redis.register_script(_PEEK)
        self._warned = False

    def _peek(self, key: str, rate: float, burst: float) -> float:
        try:
            return float(self._peek_script(keys=[self.PREFIX + key], args=[rate, burst]))
        except redis.RedisError:
            return super()._peek(key, rate, burst)

    def _spend(self, key: str, rate: float, burst: float, cost: float) -> tuple[bool, float]:
        try:
            allowed, tokens = self._script(keys=[self.PREFIX + key], args=[rate, burst, cost])
        except redis.RedisError as error:
            if not self._warned:
                log.warning("rate limits kept per process while Redis is unreachable: %s", error)
                self._warned = True
            return super()._spend(key, rate, burst, cost)
        self._warned = False
        return bool(allowed), float(tokens)
