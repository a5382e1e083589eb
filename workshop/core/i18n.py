"""Languages: the gettext catalogues, read straight from their .po files, and the choice of
a language for a person (their phone's) or a workshop (its board and printed material).

Two domains, both under workshop/translations/<lang>/LC_MESSAGES/:
- ``messages``: the templates, the domain's error messages and the printables (Python);
- ``js``: the pages' scripts (static/js), handed to the browser as JSON by the page.

English is the source language: its catalogue is the msgids themselves. Adding a language
is one folder with the two .po files (docs/languages.md). No compiled .mo files: a .po is
parsed once per process (a few milliseconds), so a checkout and a wheel need no build step.
Free of Flask: the web layer (workshop.web.i18n) and the printables use it alike.
"""

from __future__ import annotations

import gettext as gettext_module
import io
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TypeGuard

from babel import Locale
from babel.messages import pofile
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import Translations

TRANSLATIONS = Path(__file__).parent.parent / "translations"
SOURCE_LANGUAGE = "en"

_lock = threading.Lock()


def N_(message: str) -> str:
    """Marks a string for the catalogue where it is defined; it is translated where shown."""
    return message


@lru_cache(maxsize=1)
def languages() -> dict[str, str]:
    """Every language with a catalogue, by code, with its own name: {"en": "English", …}
    (read once: the catalogues are part of the installed code)."""
    codes = [SOURCE_LANGUAGE]
    if TRANSLATIONS.is_dir():
        codes += sorted(
            path.name
            for path in TRANSLATIONS.iterdir()
            if (path / "LC_MESSAGES" / "messages.po").is_file()
        )
    return {
        code: (Locale.parse(code).get_display_name(code) or code).capitalize() for code in codes
    }


def is_language(code: object) -> TypeGuard[str]:
    return isinstance(code, str) and code in languages()


def po_path(language: str, domain: str = "messages") -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / f"{domain}.po"


@lru_cache(maxsize=32)
def _catalog(language: str, domain: str) -> Catalog | None:
    path = po_path(language, domain)
    if language == SOURCE_LANGUAGE or not path.is_file():
        return None
    with path.open("rb") as handle:
        return pofile.read_po(handle, locale=language, domain=domain)


@lru_cache(maxsize=32)
def translations(language: str, domain: str = "messages") -> gettext_module.NullTranslations:
    """The gettext object for a language: ``.gettext``, ``.ngettext``, ``.pgettext``. Unknown
    languages and English give the msgids back (NullTranslations)."""
    with _lock:
        catalog = _catalog(language, domain)
        if catalog is None:
            return gettext_module.NullTranslations()
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        buffer.seek(0)
        return Translations(fp=buffer, domain=domain)


@lru_cache(maxsize=32)
def plural_forms(language: str) -> dict[str, int]:
    """Which of the catalogue's plural forms each CLDR category takes ({"one": 0, "other":
    1} in English and Spanish), so a browser picks a form with ``Intl.PluralRules``."""
    catalog = _catalog(language, "js") or _catalog(language, "messages")
    choose = gettext_module.c2py(catalog.plural_expr if catalog else "(n != 1)")
    category = Locale.parse(language).plural_form
    forms: dict[str, int] = {}
    for n in range(0, 1001):
        forms.setdefault(category(n), choose(n))
    return forms


def script_messages(language: str, files: Iterable[str] | None = None) -> dict:
    """See _script_messages; cached, since every page render asks for its own scripts."""
    return _script_messages(language, None if files is None else tuple(sorted(set(files))))


@lru_cache(maxsize=128)
def _script_messages(language: str, files: tuple[str, ...] | None) -> dict:
    """The ``js`` catalogue for the browser: {msgid: text} and, for plurals, {singular:
    [forms…]}; only the messages used in ``files`` (paths under static/js like
    "phone/phone.js") if given, so a phone downloads only what its page needs."""
    catalog = _catalog(language, "js")
    if catalog is None:
        return {}
    wanted = set(files) if files is not None else None
    messages: dict[str, object] = {}
    for message in catalog:
        if not message.id or message.fuzzy or not message.string:
            continue
        if wanted is not None and not any(
            location.removeprefix("static/js/") in wanted for location, _ in message.locations
        ):
            continue
        if isinstance(message.id, (list, tuple)):
            forms = list(message.string)
            if all(forms):
                messages[message.id[0]] = forms
        else:
            messages[message.id] = message.string
    return messages


def best_language(requested: Iterable[str], default: str = SOURCE_LANGUAGE) -> str:
    """The first of ``requested`` (e.g. Accept-Language's tags, best first) we have: "es-MX"
    matches "es"."""
    known = languages()
    for tag in requested:
        base = tag.replace("_", "-").split("-")[0].lower()
        if base in known:
            return base
    return default
