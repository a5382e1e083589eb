"""Serving under gevent: one process holds hundreds of phones (docs/measurements.md).

Call :func:`patch` before anything imports socket or threading. Accepted sockets get
TCP_NODELAY: neither pywsgi nor simple-websocket sets it, and with Nagle's algorithm an
acknowledgement that follows a broadcast waited ~40 ms.
"""

from __future__ import annotations

import contextlib
import logging
import resource
import socket
from typing import Any


def patch() -> None:
    from gevent import monkey

    monkey.patch_all()


def raise_open_file_limit(wanted: int = 8192) -> int:
    """Each phone holds a socket; macOS shells start with 256 open files."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return target
    return soft


def serve(app: Any, host: str, port: int) -> None:
    """Serve ``app`` (its Socket.IO in gevent mode) until interrupted."""
    from gevent import pywsgi

    class NoDelayHandler(pywsgi.WSGIHandler):
        # pywsgi makes each handler with these three (its rfile argument is deprecated, unused).
        def __init__(self, sock: socket.socket, address: Any, server: Any) -> None:
            with contextlib.suppress(OSError):  # not TCP (e.g. a UNIX socket)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            super().__init__(sock, address, server)

    raise_open_file_limit()
    server = pywsgi.WSGIServer(
        (host, port),
        app,
        handler_class=NoDelayHandler,
        log=None,
        error_log=logging.getLogger("workshop.http"),
    )
    server.serve_forever()
