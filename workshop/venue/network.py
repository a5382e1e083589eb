"""Finding the laptop's address on the venue network, for join links and QR codes, and
asking whether the server answers there.

``gethostbyname(gethostname())`` often answers 127.0.0.1 and the UDP-connect trick fails on
a LAN with no default route (docs/measurements.md); listing the interfaces with ifaddr works
in both.
"""

from __future__ import annotations

import ipaddress
import json
import urllib.request
from dataclasses import dataclass

import ifaddr

# Adapters that are not the venue network: containers, VMs, VPN tunnels.
_VIRTUAL_PREFIXES = ("docker", "br-", "veth", "virbr", "vmnet", "vboxnet", "tun", "tap", "utun")
# What the server answers at PING_PATH, so a probe knows it reached this program and not
# another one on the same port.
PING_PATH = "/api/room-check/ping"
PING_ANSWER = {"app": "workshop-companion"}
ANY_ADDRESS = ("0.0.0.0", "", "::")


@dataclass(frozen=True)
class Address:
    address: str  # an IPv4 address
    adapter: str  # the network interface's name, as the system shows it ("Wi-Fi", "wlan0")


def lan_interfaces() -> list[Address]:
    """IPv4 addresses of real network adapters, private ones first."""
    found = []
    for adapter in ifaddr.get_adapters():
        name = adapter.nice_name or adapter.name or ""
        if name.lower().startswith(_VIRTUAL_PREFIXES) or name.lower() == "lo":
            continue
        for ip in adapter.ips:
            if not isinstance(ip.ip, str):  # IPv6 comes as a tuple
                continue
            address = ipaddress.ip_address(ip.ip)
            if address.is_loopback or address.is_link_local or address.is_unspecified:
                continue
            found.append((address, name))
    found.sort(key=lambda item: (not item[0].is_private, str(item[0])))
    return [Address(str(address), name) for address, name in found]


def lan_addresses() -> list[str]:
    return [found.address for found in lan_interfaces()]


def public_base_url(host: str, port: int, override: str | None = None) -> str:
    """The base URL phones use: the override, the host served on, or the first LAN address."""
    if override:
        return override.rstrip("/")
    if host not in ANY_ADDRESS:
        return f"http://{host}:{port}"
    addresses = lan_addresses()
    return f"http://{addresses[0] if addresses else '127.0.0.1'}:{port}"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_address(host: str) -> bool:
    """An IP address (asking a name would wait on DNS, which a venue may not have)."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def server_answers(host: str, port: int, timeout: float = 3.0) -> bool:
    """Whether this program answers on ``host``:``port``, asked from this machine.

    That proves it listens on that address; only a phone proves the Wi-Fi and the firewall
    let others through (a firewall does not stop a machine reaching itself)."""
    try:
        with urllib.request.urlopen(f"http://{host}:{port}{PING_PATH}", timeout=timeout) as answer:
            return bool(json.loads(answer.read(1024)) == PING_ANSWER)
    except (OSError, ValueError):
        return False
