"""Finding the laptop's address on the venue network, for join links and QR codes.

``gethostbyname(gethostname())`` often answers 127.0.0.1 and the UDP-connect trick fails on
a LAN with no default route (docs/measurements.md); listing the interfaces with ifaddr works
in both.
"""

from __future__ import annotations

import ipaddress

import ifaddr

# Adapters that are not the venue network: containers, VMs, VPN tunnels.
_VIRTUAL_PREFIXES = ("docker", "br-", "veth", "virbr", "vmnet", "vboxnet", "tun", "tap", "utun")


def lan_addresses() -> list[str]:
    """IPv4 addresses of real network adapters, private ones first."""
    found = []
    for adapter in ifaddr.get_adapters():
        name = (adapter.nice_name or adapter.name or "").lower()
        if name.startswith(_VIRTUAL_PREFIXES) or name == "lo":
            continue
        for ip in adapter.ips:
            if not isinstance(ip.ip, str):  # IPv6 comes as a tuple
                continue
            address = ipaddress.ip_address(ip.ip)
            if address.is_loopback or address.is_link_local or address.is_unspecified:
                continue
            found.append(address)
    found.sort(key=lambda address: (not address.is_private, str(address)))
    return [str(address) for address in found]


def public_base_url(host: str, port: int, override: str | None = None) -> str:
    """The base URL phones use: the override, the host served on, or the first LAN address."""
    if override:
        return override.rstrip("/")
    if host not in ("0.0.0.0", "", "::"):
        return f"http://{host}:{port}"
    addresses = lan_addresses()
    return f"http://{addresses[0] if addresses else '127.0.0.1'}:{port}"
