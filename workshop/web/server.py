"""Serving under gevent: one process holds hundreds of phones (docs/measurements.md).

Call :func:`patch` before anything imports socket or threading. Accepted sockets get
TCP_NODELAY: neither pywsgi nor simple-websocket sets it, and with Nagle's algorithm an
acknowledgement that follows a broadcast waited ~40 ms.

Two calls here are POSIX-only and guarded: ``resource`` (the open-file limit; Windows has
none of that kind) and gevent's ``signal_handler`` (Windows gets Ctrl+C as a
KeyboardInterrupt, which the CLI handles).
"""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
import sys
from types import ModuleType
from typing import Any

resource: ModuleType | None
try:
    import resource
except ImportError:  # Windows
    resource = None


def patch() -> None:
    from gevent import monkey

    monkey.patch_all()


def raise_open_file_limit(wanted: int = 8192) -> int:
    """Each phone holds a socket; macOS shells start with 256 open files."""
    if resource is None:
        return wanted
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return target
    return soft


def listen(host: str, port: int) -> socket.socket:
    """Bind the port before anything else happens: a start that cannot listen must change
    nothing (it used to overwrite the running server's facilitator token first)."""
    return socket.create_server((host, port), backlog=1024)


def free_port_near(host: str, port: int, tries: int = 20) -> int | None:
    """The first port after ``port`` that can be bound on ``host``, to suggest one."""
    for candidate in range(port + 1, min(port + 1 + tries, 65536)):
        with contextlib.suppress(OSError), socket.create_server((host, candidate)):
            return candidate
    return None


def serve(
    app: Any,
    listener: socket.socket,
    *,
    per_address: int = 64,
    header_seconds: float = 10,
) -> None:
    """Serve ``app`` (its Socket.IO in gevent mode) on ``listener`` (from :func:`listen`)
    until interrupted.

    The venue's Wi-Fi is open to anyone in the room, so no one address may hold more than
    ``per_address`` connections (the rest get a 503 and are closed at once), and a
    connection that takes longer than ``header_seconds`` to send a request's headers, or
    sits idle that long between requests, is closed: without both, one laptop holding
    half-sent requests ran the server out of file descriptors and every board, phone and
    facilitator request timed out (docs/security.md).
    """
    from gevent import pywsgi, signal_handler, spawn

    class GuardedHandler(pywsgi.WSGIHandler):
        # pywsgi makes each handler with these three (its rfile argument is deprecated, unused).
        def __init__(self, sock: socket.socket, address: Any, server: Any) -> None:
            with contextlib.suppress(OSError):  # not TCP (e.g. a UNIX socket)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            super().__init__(sock, address, server)

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
        listener,
        app,
        handler_class=GuardedHandler,
        log=None,
        error_log=logging.getLogger("workshop.http"),
    )
    # Ctrl+C stops the server from gevent's own loop. Left to a KeyboardInterrupt, it was lost
    # when the terminal's pipe was already gone (`workshop serve | tee log`: tee dies first,
    # printing the interrupt fails) and the server went on serving.
    if sys.platform != "win32":
        signal_handler(signal.SIGINT, lambda: spawn(server.stop, timeout=2))
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
