"""Gather the plain data the printables need, from the database and the public URL.

The server and the CLI both call these, then hand the result to printables/ (which knows
nothing of either).
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from workshop.errors import Invalid
from workshop.workshops import get_workshop

PAGE_SIZES = ("letter", "a4")
WIFI_FIELD_MAX = 63


def deck_data(db: Database, code: str, cards: list[dict], base_url: str, layout: str) -> dict:
    from printables import LAYOUTS

    if layout not in LAYOUTS:
        raise Invalid(f"unknown layout {layout!r}; layouts: {', '.join(LAYOUTS)}")
    workshop = get_workshop(db, code)
    return {
        "title": workshop["title"],
        "layout": layout,
        "cards": [
            {
                "code": card["code"],
                "url": f"{base_url}/c/{card['code']}",
                "prompt": card["prompt"] or "Your idea, question or concern about the plan",
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
        raise Invalid(f"page_size must be one of: {', '.join(PAGE_SIZES)}")
    wifi = None
    if wifi_ssid:
        if not isinstance(wifi_ssid, str) or len(wifi_ssid) > 32:
            raise Invalid("the Wi-Fi name is at most 32 characters")
        if wifi_password is not None and (
            not isinstance(wifi_password, str) or len(wifi_password) > WIFI_FIELD_MAX
        ):
            raise Invalid(f"the Wi-Fi password is at most {WIFI_FIELD_MAX} characters")
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
    }


def signs_data(db: Database, code: str, *, page_size: Any = "letter") -> dict:
    workshop = get_workshop(db, code)
    if page_size not in PAGE_SIZES:
        raise Invalid(f"page_size must be one of: {', '.join(PAGE_SIZES)}")
    return {
        "title": workshop["title"],
        "page_size": page_size,
        "sections": [
            {"title": section["title"], "number": number}
            for number, section in enumerate(workshop["sections"], start=1)
        ],
    }
