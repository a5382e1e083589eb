"""The server's share rule (workshop.web.server.Connections) on real sockets: each address
within its cap, and once every connection the process may hold is taken, a newcomer gets
one from the address holding the most, never from a request under way."""

from __future__ import annotations

import contextlib
import socket

import pytest

from workshop.web.server import FULL, TOO_MANY, Connections


@pytest.fixture
def pairs():
    made: list[tuple[socket.socket, socket.socket]] = []

    def pair() -> tuple[socket.socket, socket.socket]:
        """(the server's end, the client's end)"""
        made.append(socket.socketpair())
        return made[-1]

    yield pair
    for ends in made:
        for end in ends:
            with contextlib.suppress(OSError):
                end.close()


def ended(client: socket.socket) -> bool:
    """Whether the server's end was shut: the client reads the end of the stream."""
    client.settimeout(0)
    try:
        return client.recv(1) == b""
    except BlockingIOError:
        return False


def hold(connections: Connections, pair, ip: str, *, waiting: bool = True):
    server, client = pair()
    assert connections.open(server, ip) is None
    if waiting:
        connections.waiting(server)
    return server, client


def test_an_address_past_its_share_is_refused_and_counted_out_when_it_closes(pairs):
    connections = Connections(2, budget=lambda: 100)
    held = [hold(connections, pairs, "10.0.0.5") for _ in range(2)]
    extra, _ = pairs()
    assert TOO_MANY == connections.open(extra, "10.0.0.5")
    assert connections.open(extra, "10.0.0.6") is None  # another address is not affected
    connections.closed(held[0][0], "10.0.0.5")
    again, _ = pairs()
    assert connections.open(again, "10.0.0.5") is None
    assert (3, {"10.0.0.5": 2, "10.0.0.6": 1}) == (connections.total, connections.by_address)


def test_when_full_a_newcomer_takes_the_oldest_waiting_connection_of_the_biggest_holder(pairs):
    connections = Connections(10, budget=lambda: 5)
    big = [hold(connections, pairs, "10.0.0.1") for _ in range(3)]
    small = [hold(connections, pairs, "10.0.0.2") for _ in range(2)]
    newcomer, _ = pairs()
    assert connections.open(newcomer, "10.0.0.9") is None
    assert [True, False, False] == [ended(client) for _, client in big]  # the oldest
    assert [False, False] == [ended(client) for _, client in small]
    connections.closed(big[0][0], "10.0.0.1")  # its reader saw the end and closed it
    assert (5, 2) == (connections.total, connections.by_address["10.0.0.1"])


def test_when_shares_are_even_the_newcomer_is_refused(pairs):
    connections = Connections(10, budget=lambda: 4)
    held = {ip: hold(connections, pairs, ip)[0] for ip in ("10.0.0.1", "10.0.0.2", "10.0.0.3")}
    hold(connections, pairs, "10.0.0.4")
    # One each: taking one would leave its address with none, and the newcomer with one.
    newcomer, _ = pairs()
    assert FULL == connections.open(newcomer, "10.0.0.9")
    # An address already holding one may not take the second of another holding two.
    connections.closed(held["10.0.0.3"], "10.0.0.3")
    hold(connections, pairs, "10.0.0.1")
    second, _ = pairs()
    assert FULL == connections.open(second, "10.0.0.4")
    assert {"10.0.0.1": 2, "10.0.0.2": 1, "10.0.0.4": 1} == connections.by_address


def test_requests_under_way_and_websockets_are_never_taken(pairs):
    connections = Connections(10, budget=lambda: 3)
    busy = [hold(connections, pairs, "10.0.0.1", waiting=False) for _ in range(2)]
    served, served_client = hold(connections, pairs, "10.0.0.1")
    connections.served(served)  # its headers arrived: the app has it now
    newcomer, _ = pairs()
    assert FULL == connections.open(newcomer, "10.0.0.9")
    assert not any(ended(client) for _, client in [*busy, (served, served_client)])
