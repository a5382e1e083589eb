"""Cleaning and checking text that people type."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from workshop.core.errors import Invalid, Phrase

# Control characters (C0, DEL, C1) except tab and newline, the bidi overrides that let a
# note reverse the text after it on the board, and lone surrogates (broken UTF-16 that
# cannot be stored as UTF-8).
_UNWANTED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def clean_text(value: Any, *, field: str, max_length: int, required: bool = True) -> str:
    """Return ``value`` normalised and stripped, or raise :class:`Invalid` with a clear message.

    ``field`` names the text in the message: words marked with ``N_`` (or a :class:`Phrase`)
    so the message reads in the caller's language."""
    if value is None and not required:
        return ""
    name = field if isinstance(field, Phrase) else Phrase(field)
    if not isinstance(value, str):
        raise Invalid("%(field)s must be text", field=name)
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    text = _UNWANTED.sub("", text).strip()
    if required and not any(_visible(char) for char in text):
        raise Invalid("%(field)s is empty", field=name)
    if len(text) > max_length:
        raise Invalid(
            "%(field)s is too long (%(length)s characters; the limit is %(limit)s)",
            field=name,
            length=len(text),
            limit=max_length,
        )
    return text


def _visible(char: str) -> bool:
    """False for spaces, control and format characters (e.g. a zero-width space)."""
    return unicodedata.category(char)[0] not in "ZC"


def optional_id(value: Any, *, field: str) -> int | None:
    """An optional integer id from JSON (``None`` allowed; booleans and strings refused)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid("%(field)s must be a whole number or null", field=Phrase(field))
    return value
