"""Run CPU-heavy work (PDFs, photos) off the event loop.

Under gevent a 300-card deck built inside a handler froze every socket for 3.5 s
(docs/measurements.md); in gevent's thread pool the sockets kept answering in ~10 ms.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def run_blocking(function: Callable[..., T], *args: Any) -> T:
    """Call ``function(*args)`` in a real OS thread when serving under gevent."""
    try:
        from gevent import get_hub, monkey
    except ImportError:  # pragma: no cover - gevent is a dependency
        return function(*args)
    if not monkey.is_module_patched("socket"):
        return function(*args)
    return get_hub().threadpool.apply(function, args)
