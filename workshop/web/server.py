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


def serve(
    app: Any,
    host: str,
    port: int,
    *,
    per_address: int = 64,
    header_seconds: float = 10,
) -> None:
    """Serve ``app`` (its Socket.IO in gevent mode) until interrupted.

    The venue's Wi-Fi is open to anyone in the room, so no one address may hold more than
    ``per_address`` connections (the rest get a 503 and are closed at once), and a
    connection that takes longer than ``header_seconds`` to send a request's headers, or
    sits idle that long between requests, is closed: without both, one laptop holding
    half-sent requests ran the server out of file descriptors and every board, phone and
    facilitator request timed out (docs/security.md).
    """
    from gevent import pywsgi

    class GuardedHandler(pywsgi.WSGIHandler):
        def __init__(self, sock: socket.socket, address: Any, server: Any, rfile: Any = None):
            with contextlib.suppress(OSError):  # not TCP (e.g. a UNIX socket)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            super().__init__(sock, address, server, rfile)

        def read_requestline(self) -> str:
            # A timeout here ends the connection quietly (pywsgi treats it as a reset).
            self.socket.settimeout(header_seconds)
            return super().read_requestline()

        def read_request(self, raw_requestline: str) -> Any:
            try:
                return super().read_request(raw_requestline)
            finally:
                # The body and a WebSocket's frames are read by the app: no deadline there
                # (a socket is idle between pings); the per-address cap bounds what one holds.
                if self.socket is not None:
                    self.socket.settimeout(None)

    class GuardedServer(pywsgi.WSGIServer):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.open_per_address: dict[str, int] = {}

        def handle(self, sock: socket.socket, address: Any) -> None:
            ip = address[0] if isinstance(address, tuple) else str(address)
            held = self.open_per_address.get(ip, 0)
            if held >= per_address:
                _refuse(sock)
                return
            self.open_per_address[ip] = held + 1
            try:
                super().handle(sock, address)
            finally:
                left = self.open_per_address[ip] - 1
                if left:
                    self.open_per_address[ip] = left
                else:
                    del self.open_per_address[ip]

    raise_open_file_limit()
    server = GuardedServer(
        (host, port),
        app,
        handler_class=GuardedHandler,
        log=None,
        error_log=logging.getLogger("workshop.http"),
    )
    server.serve_forever()


_TOO_MANY_BODY = b'{"error": "too many connections from this address at once"}'
TOO_MANY = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
    b"Retry-After: 5\r\nConnection: close\r\n"
    + f"Content-Length: {len(_TOO_MANY_BODY)}\r\n\r\n".encode()
    + _TOO_MANY_BODY
)


def _refuse(sock: socket.socket) -> None:
    """Tell an address over its share why, without waiting on it, and close."""
    with contextlib.suppress(OSError):
        sock.settimeout(0.5)
        sock.sendall(TOO_MANY)
    with contextlib.suppress(OSError):
        sock.close()
