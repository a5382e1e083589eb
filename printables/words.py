"""The fixed words of printed material in the workshop's language, and its dates and numbers.

Every builder takes a ``language`` (the workshop's ``language`` setting; English when not
given or unknown) and says its words through ``Words``: ``words.gettext("Contents")``,
``words.ngettext("%(num)s note", "%(num)s notes", n)``. The catalogue is workshop.core.i18n's
(no Flask, no database), and the calls are the ones the catalogue tool extracts.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from babel.dates import format_date, format_time, get_datetime_format
from babel.numbers import format_decimal, format_percent

from workshop.core.i18n import SOURCE_LANGUAGE, is_language, translations

# Babel puts narrow no-break spaces in some formats ("9:00 PM"); fonts without the glyph
# would print a stand-in, so they become plain no-break spaces, which every font has.
_SPACES = str.maketrans({"\u202f": "\u00a0"})


class Words:
    """Translations, dates and numbers for one language."""

    def __init__(self, language: str | None = None) -> None:
        self.language = language if language and is_language(language) else SOURCE_LANGUAGE
        self._catalogue = translations(self.language)

    def gettext(self, message: str, **params: Any) -> str:
        """``message`` translated, with ``%(name)s`` filled from ``params`` when given."""
        text = self._catalogue.gettext(message)
        return text % params if params else text

    def ngettext(self, singular: str, plural: str, n: int, **params: Any) -> str:
        """The form for ``n``; ``%(num)s`` is ``n`` (formatted for the language)."""
        text = self._catalogue.ngettext(singular, plural, n)
        return text % {"num": self.number(n), **params}

    def number(self, value: Any, places: int | None = None) -> str:
        """A number as the language writes it (1,234.5 / 1.234,5), with exactly ``places``
        decimals when given; anything else as given."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "" if value is None else str(value)
        pattern = None if places is None else "#,##0" + ("." + "0" * places if places else "")
        return format_decimal(value, pattern, locale=self.language).translate(_SPACES)

    def percent(self, fraction: float) -> str:
        """0.42 as "42%" (English) or "42 %" (Spanish)."""
        return format_percent(fraction, locale=self.language).translate(_SPACES)

    def date(self, value: Any) -> str:
        """An ISO date or timestamp as a long date ("November 26, 2026", "26 de noviembre
        de 2026"); anything else (already written out) as given."""
        moment = _parse(value)
        if moment is None:
            return "" if value is None else str(value)
        return format_date(moment, "long", locale=self.language).translate(_SPACES)

    def datetime(self, value: Any) -> str:
        """An ISO timestamp as a long date and a short time; anything else as given."""
        moment = _parse(value)
        if not isinstance(moment, datetime):
            return self.date(value)
        day = format_date(moment, "long", locale=self.language)
        time = format_time(moment, "short", locale=self.language)
        pattern = str(get_datetime_format("long", locale=self.language))  # like "{1} 'at' {0}"
        text = pattern.replace("{1}", day).replace("{0}", time).replace("'", "")
        return text.translate(_SPACES)


def _parse(value: Any) -> date | datetime | None:
    if isinstance(value, datetime | date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError:
        return None
