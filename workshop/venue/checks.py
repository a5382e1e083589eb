"""Checking the room before the doors open: which address the QR codes use, whether the
server answers there, and what to try when phones cannot reach the laptop.

Plain data in, findings out: the CLI (`workshop check`) and the facilitator's "Check the
room" panel show the same findings, each a message template (translated by whoever shows
it) with its parameters. docs/venue.md is the guide for the day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from workshop.core.errors import Gettext
from workshop.core.i18n import N_
from workshop.venue.network import ANY_ADDRESS, Address, is_loopback

# What a firewall on the laptop needs, by sys.platform's prefix.
FIREWALL_HINTS = {
    "win32": N_(
        "Windows: the first time the server starts, Windows Defender Firewall asks whether "
        "Python may accept connections: tick Private networks and choose Allow. If it was "
        "cancelled: Windows Security, Firewall & network protection, Allow an app through "
        "firewall, and tick Python. The venue's network must be set to Private, not Public."
    ),
    "darwin": N_(
        "macOS: when macOS asks whether Python may accept incoming network connections, "
        "choose Allow. If it was denied: System Settings, Network, Firewall, Options, and set "
        "Python to allow incoming connections."
    ),
    "linux": N_(
        "Linux: if a firewall runs (ufw, firewalld), open the port for the session, for "
        "example sudo ufw allow %(port)s/tcp."
    ),
}
ISOLATION = N_(
    "Venue and guest Wi-Fi often keeps devices apart (client or AP isolation): then no "
    "phone reaches the laptop, even though the laptop reaches itself. Ask the venue to turn "
    "it off for your network, or bring your own network: the laptop's own hotspot, a phone's "
    "hotspot with the laptop joined to it, or a travel router. Print the poster with that "
    "network's Wi-Fi QR code (workshop poster --wifi-ssid … --wifi-password …)."
)


@dataclass(frozen=True)
class Finding:
    level: str  # "ok", "warn" or "fail"
    template: str  # a catalogue msgid
    params: dict[str, object] = field(default_factory=dict)

    def text(self, gettext: Gettext = str) -> str:
        return gettext(self.template) % self.params if self.params else gettext(self.template)


def firewall_hint(platform: str) -> str:
    for prefix, hint in FIREWALL_HINTS.items():
        if platform.startswith(prefix):
            return hint
    return FIREWALL_HINTS["linux"]


def qr_address(qr_url: str) -> tuple[str, int]:
    """The host and port a QR code with ``qr_url`` sends phones to."""
    parts = urlsplit(qr_url)
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


def findings(
    *,
    qr_url: str,
    listen_host: str | None,
    interfaces: list[Address],
    answers: bool | None,
) -> list[Finding]:
    """What is right and wrong, most serious first. ``answers``: whether the server answered
    on the QR's address from this laptop (None: not asked)."""
    host, port = qr_address(qr_url)
    found: list[Finding] = []
    addresses = [item.address for item in interfaces]
    if not interfaces:
        found.append(
            Finding(
                "fail",
                N_(
                    "This laptop has no network address: join the venue Wi-Fi (or start a "
                    "hotspot), then check again."
                ),
            )
        )
    if is_loopback(host):
        found.append(
            Finding(
                "fail",
                N_(
                    "The QR codes point at %(address)s, this laptop itself: no phone can open "
                    "that. Choose a network address, or start the server without --host."
                ),
                {"address": host},
            )
        )
    elif listen_host and listen_host not in ANY_ADDRESS and listen_host != host:
        found.append(
            Finding(
                "fail",
                N_(
                    "The server listens on %(listen)s only, but the QR codes point at "
                    "%(address)s: start it with --host 0.0.0.0 (the default)."
                ),
                {"listen": listen_host, "address": host},
            )
        )
    elif interfaces and host not in addresses:
        found.append(
            Finding(
                "warn",
                N_(
                    "The QR codes point at %(address)s, which is not one of this laptop's "
                    "addresses (WORKSHOP_PUBLIC_URL?): make sure it leads here."
                ),
                {"address": host},
            )
        )
    if answers is True:
        found.append(
            Finding(
                "ok",
                N_("The server answers on %(address)s port %(port)s, asked from this laptop."),
                {"address": host, "port": port},
            )
        )
    elif answers is False:
        found.append(
            Finding(
                "fail",
                N_(
                    "Nothing answered on %(address)s port %(port)s from this laptop: is the "
                    "server running, on this port?"
                ),
                {"address": host, "port": port},
            )
        )
    if len(interfaces) > 1:
        found.append(
            Finding(
                "warn",
                N_(
                    "This laptop is on %(count)s networks. The QR codes must use the one the "
                    "phones are on (usually the Wi-Fi)."
                ),
                {"count": len(interfaces)},
            )
        )
    order = {"fail": 0, "warn": 1, "ok": 2}
    return sorted(found, key=lambda finding: order[finding.level])


def report(
    *,
    qr_url: str,
    listen_host: str | None,
    interfaces: list[Address],
    answers: bool | None,
    platform: str,
    gettext: Gettext = str,
) -> dict:
    """The whole check as JSON-ready data, in the language of ``gettext``."""
    host, port = qr_address(qr_url)
    return {
        "qr_url": qr_url,
        "address": host,
        "port": port,
        "addresses": [
            {"address": item.address, "adapter": item.adapter, "used": item.address == host}
            for item in interfaces
        ],
        "answers": answers,
        "findings": [
            {"level": finding.level, "text": finding.text(gettext)}
            for finding in findings(
                qr_url=qr_url, listen_host=listen_host, interfaces=interfaces, answers=answers
            )
        ],
        "firewall": gettext(firewall_hint(platform)) % {"port": port},
        "isolation": gettext(ISOLATION),
    }
