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
import json
import logging
import signal
import socket
import sys
from collections.abc import Callable
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

    Many addresses together, each within its share, can still fill every socket the process
    may open. So the server keeps a reserve of files for itself (its database, backups,
    photos), and once the connections reach the rest, a newcomer takes the oldest
    connection still waiting for a request's headers from the address holding the most, if
    that address holds more than the newcomer would; otherwise the newcomer gets the 503.
    WebSockets and requests under way are never taken.
    """
    from gevent import pywsgi, signal_handler, spawn

    connections = Connections(per_address)

    class GuardedHandler(pywsgi.WSGIHandler):
        # pywsgi makes each handler with these three (its rfile argument is deprecated, unused).
        def __init__(self, sock: socket.socket, address: Any, server: Any) -> None:
            with contextlib.suppress(OSError):  # not TCP (e.g. a UNIX socket)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            super().__init__(sock, address, server)

        def read_requestline(self) -> str:
            # A timeout here ends the connection quietly (pywsgi treats it as a reset).
            self.socket.settimeout(header_seconds)
            connections.waiting(self.socket)
            return super().read_requestline()

        def read_request(self, raw_requestline: str) -> Any:
            try:
                return super().read_request(raw_requestline)
            finally:
                # The body and a WebSocket's frames are read by the app: no deadline there
                # (a socket is idle between pings); the per-address cap bounds what one holds.
                if self.socket is not None:
                    connections.served(self.socket)
                    self.socket.settimeout(None)

    class GuardedServer(pywsgi.WSGIServer):
        def handle(self, sock: socket.socket, address: Any) -> None:
            ip = address[0] if isinstance(address, tuple) else str(address)
            refusal = connections.open(sock, ip)
            if refusal:
                _refuse(sock, refusal)
                return
            try:
                super().handle(sock, address)
            finally:
                connections.closed(sock, ip)

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


RESERVED_FILES = 48  # the process's own: database, WAL, backups, photos, logs, the listener


def _unavailable(message: str) -> bytes:
    body = json.dumps({"error": message}).encode()
    return (
        b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
        b"Retry-After: 5\r\nConnection: close\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )


TOO_MANY = _unavailable("too many connections from this address at once")
FULL = _unavailable("the server has no connection free: try again in a few seconds")


class Connections:
    """Who holds the server's connections: each address's count (at most ``per_address``),
    all of them against the open-file limit, and those waiting for a request's headers."""

    def __init__(self, per_address: int, budget: Callable[[], int] | None = None) -> None:
        """``budget``: how many connections the process may hold now (from its open-file
        limit, by default)."""
        self.per_address = per_address
        self.budget = budget or _budget
        self.by_address: dict[str, int] = {}
        self.total = 0
        self._address: dict[socket.socket, str] = {}
        self._waiting: dict[str, dict[socket.socket, None]] = {}  # oldest first

    def open(self, sock: socket.socket, ip: str) -> bytes | None:
        """Count a new connection in, or the 503 to refuse it with."""
        held = self.by_address.get(ip, 0)
        if held >= self.per_address:
            return TOO_MANY
        if self.total >= self.budget() and not self._take_one_for(held):
            return FULL
        self.by_address[ip] = held + 1
        self.total += 1
        self._address[sock] = ip
        return None

    def closed(self, sock: socket.socket, ip: str) -> None:
        self.served(sock)
        self._address.pop(sock, None)
        self.total -= 1
        left = self.by_address[ip] - 1
        if left:
            self.by_address[ip] = left
        else:
            del self.by_address[ip]

    def waiting(self, sock: socket.socket) -> None:
        """``sock`` waits for a request's headers (its first, or its next on a keep-alive)."""
        ip = self._address.get(sock)
        if ip is not None:
            self._waiting.setdefault(ip, {})[sock] = None

    def served(self, sock: socket.socket) -> None:
        ip = self._address.get(sock)
        if ip is not None and sock in self._waiting.get(ip, ()):
            del self._waiting[ip][sock]
            if not self._waiting[ip]:
                del self._waiting[ip]

    def _take_one_for(self, held: int) -> bool:
        """End the oldest waiting connection of the address holding the most, if it holds
        more than a newcomer holding ``held`` would; whether one was taken."""
        if not self._waiting:
            return False
        most = max(self._waiting, key=lambda ip: self.by_address.get(ip, 0))
        if self.by_address.get(most, 0) <= held + 1:
            return False
        oldest = next(iter(self._waiting[most]))
        self.served(oldest)
        with contextlib.suppress(OSError):
            # Its reader sees the end and closes it (it counts until then: a file still).
            oldest.shutdown(socket.SHUT_RDWR)
        return True


def _budget() -> int:
    """How many connections the open-file limit leaves room for, now (it can be changed
    while the server runs)."""
    if resource is None:
        return sys.maxsize
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return sys.maxsize
    return soft - max(RESERVED_FILES, soft // 8)


def _refuse(sock: socket.socket, answer: bytes = TOO_MANY) -> None:
    """Tell an address over its share (or everyone, when no connection is free) why,
    without waiting on it, and close."""
    with contextlib.suppress(OSError):
        sock.settimeout(0.5)
        sock.sendall(answer)
    with contextlib.suppress(OSError):
        sock.close()
