"""Gather the plain data the printables need, from the database and the public URL.

The server and the CLI both call these, then hand the result to printables/ (which knows
nothing of either). Each carries the workshop's ``language`` setting: the printables print
their fixed words, dates and numbers in it.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from printables import LAYOUTS
from workshop.core.errors import Invalid
from workshop.core.i18n import translations
from workshop.workshops.workshops import get_workshop

PAGE_SIZES = ("letter", "a4")
WIFI_FIELD_MAX = 63


def deck_data(db: Database, code: str, cards: list[dict], base_url: str, layout: str) -> dict:
    if layout not in LAYOUTS:
        raise Invalid(
            "unknown layout '%(layout)s'; layouts: %(choices)s",
            layout=layout,
            choices=", ".join(LAYOUTS),
        )
    workshop = get_workshop(db, code)
    language = workshop["settings"]["language"]
    _ = translations(language).gettext
    anything = _("Your idea, question or concern about the plan")
    return {
        "title": workshop["title"],
        "layout": layout,
        "language": language,
        "cards": [
            {
                "code": card["code"],
                "url": f"{base_url}/c/{card['code']}",
                "prompt": card["prompt"] or anything,
                "section": card["section"],
            }
            for card in cards
        ],
    }


def poster_data(
    db: Database,
    code: str,
    base_url: str,
    *,
    page_size: Any = "letter",
    wifi_ssid: Any = None,
    wifi_password: Any = None,
) -> dict:
    workshop = get_workshop(db, code)
    if page_size not in PAGE_SIZES:
        raise Invalid("page_size must be one of: %(choices)s", choices=", ".join(PAGE_SIZES))
    wifi = None
    if wifi_ssid:
        if not isinstance(wifi_ssid, str) or len(wifi_ssid) > 32:
            raise Invalid("the Wi-Fi name is at most 32 characters")
        if wifi_password is not None and (
            not isinstance(wifi_password, str) or len(wifi_password) > WIFI_FIELD_MAX
        ):
            raise Invalid(
                "the Wi-Fi password is at most %(limit)s characters", limit=WIFI_FIELD_MAX
            )
        wifi = {
            "ssid": wifi_ssid,
            "password": wifi_password or "",
            "security": "WPA" if wifi_password else "nopass",
        }
    return {
        "title": workshop["title"],
        "join_url": f"{base_url}/j/{workshop['code']}",
        "join_code": workshop["code"],
        "page_size": page_size,
        "wifi": wifi,
        "language": workshop["settings"]["language"],
    }


def section_url(base_url: str, code: str, section_id: int) -> str:
    """What a section sign's QR code says: that section on the board (a wall photo files
    the cards under the sign by it)."""
    return f"{base_url}/w/{code}/board#section-{section_id}"


def signs_data(
    db: Database, code: str, *, page_size: Any = "letter", base_url: str | None = None
) -> dict:
    """The signs' data; with ``base_url`` each sign carries its section's QR code."""
    workshop = get_workshop(db, code)
    if page_size not in PAGE_SIZES:
        raise Invalid("page_size must be one of: %(choices)s", choices=", ".join(PAGE_SIZES))
    return {
        "title": workshop["title"],
        "page_size": page_size,
        "language": workshop["settings"]["language"],
        "sections": [
            {
                "title": section["title"],
                "number": number,
                **(
                    {"url": section_url(base_url, workshop["code"], section["id"])}
                    if base_url
                    else {}
                ),
            }
            for number, section in enumerate(workshop["sections"], start=1)
        ],
    }
