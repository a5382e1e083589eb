"""Keeping the translation catalogues in step with the code (a checkout's tool, not the server's).

    python -m workshop.core.catalogues update            # extract, then merge into every .po
    python -m workshop.core.catalogues update --new fr   # start a language
    python -m workshop.core.catalogues check             # untranslated, fuzzy or stale: exit 1

Extraction: ``_()``, ``gettext``, ``ngettext``, ``N_`` and the domain errors' first argument
(``Invalid("…")``) from workshop/ and printables/, ``_()`` in the templates (domain
``messages``), and ``_()`` / ``ngettext()`` in static/js (domain ``js``). tests/test_i18n.py
runs the same check.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from workshop.core.i18n import SOURCE_LANGUAGE, TRANSLATIONS, languages, po_path

ROOT = Path(__file__).resolve().parent.parent.parent

ERROR_CLASSES = (
    "WorkshopError",
    "Invalid",
    "NotFound",
    "NoSuchWorkshop",
    "NoSuchCard",
    "Gone",
    "NotAllowed",
    "Conflict",
    "RateLimited",
    "Unauthenticated",
)
# Babel's keywords: a function's name, and which of its arguments are the message (None: the first).
Keywords = dict[str, tuple[int, ...] | None]

PYTHON_KEYWORDS: Keywords = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "N_": None,
    "lazy_gettext": None,
    **{name: (1,) for name in ERROR_CLASSES},
}
JS_KEYWORDS: Keywords = {"_": (1,), "ngettext": (1, 2)}

# Per domain: (folder, [(file pattern, extraction method)], keywords).
SOURCES: dict[str, list[tuple[str, list[tuple[str, str]], Keywords]]] = {
    "messages": [
        ("workshop", [("**.py", "python")], PYTHON_KEYWORDS),
        ("printables", [("**.py", "python")], PYTHON_KEYWORDS),
        ("templates", [("**.html", "jinja2")], PYTHON_KEYWORDS),
    ],
    "js": [("static/js", [("**.js", "javascript")], JS_KEYWORDS)],
}

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def extract(domain: str) -> Catalog:
    """Every message the code marks for ``domain``, with where it is used."""
    template = Catalog(domain=domain, project="workshop-companion", fuzzy=False)
    for folder, method_map, keywords in SOURCES[domain]:
        options = {pattern: {"extensions": "jinja2.ext.i18n"} for pattern, _ in method_map}
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / folder,
            method_map,
            options_map=options,
            keywords=keywords,
            comment_tags=("Translators:",),
            strip_comment_tags=True,
        ):
            if isinstance(message, tuple) and len(message) == 1:
                message = message[0]
            if not message or (isinstance(message, tuple) and not all(message)):
                continue
            template.add(
                message,
                None,
                [(f"{folder}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    return template


def load(language: str, domain: str) -> Catalog:
    path = po_path(language, domain)
    if not path.is_file():
        return Catalog(locale=language, domain=domain, project="workshop-companion")
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=domain)


def save(catalog: Catalog, language: str, domain: str) -> None:
    path = po_path(language, domain)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, ignore_obsolete=True)


def update(language: str) -> None:
    for domain in SOURCES:
        catalog = load(language, domain)
        catalog.update(extract(domain), no_fuzzy_matching=True, update_header_comment=False)
        save(catalog, language, domain)


def fill(language: str, domain: str, translations: dict) -> int:
    """Put translations ({msgid: text, or for plurals {singular: [one, other]}}) into a
    catalogue; the plural's last form serves every other category. Returns how many."""
    catalog = load(language, domain)
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        given = translations.get(key)
        if given is None:
            continue
        if isinstance(message.id, tuple):
            forms = [given] if isinstance(given, str) else list(given)
            count = catalog.num_plurals
            message.string = tuple(forms[min(i, len(forms) - 1)] for i in range(count))
        else:
            message.string = given if isinstance(given, str) else given[0]
        message.flags.discard("fuzzy")
        filled += 1
    save(catalog, language, domain)
    return filled


def _placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def _forms(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    """A message's id or string as its forms: several for a plural, else one ("" if none)."""
    return tuple(value) if isinstance(value, (list, tuple)) else (value or "",)


def problems(language: str, domain: str) -> list[str]:
    """What stops the catalogue being complete: messages missing from it, untranslated,
    fuzzy, with placeholders unlike the English, or no longer in the code."""
    catalog = load(language, domain)
    wanted = extract(domain)
    found = []
    have = {message.id for message in catalog if message.id}
    for message in wanted:
        if message.id and message.id not in have:
            found.append(f"{domain}: not in {language}: {message.id!r}")
    want_ids = {message.id for message in wanted if message.id}
    for message in catalog:
        if not message.id:
            continue
        if message.id not in want_ids:
            found.append(f"{domain}: no longer used: {message.id!r}")
            continue
        strings = _forms(message.string)
        ids = _forms(message.id)
        if message.fuzzy or not all(strings):
            found.append(f"{domain}: untranslated in {language}: {message.id!r}")
            continue
        expected = set().union(*(_placeholders(text) for text in ids)) - {"n", "num"}
        for text in strings:
            if _placeholders(text) - {"n", "num"} != expected:
                found.append(f"{domain}: placeholders differ in {language}: {message.id!r}")
                break
    return found


def _read_json(files: list[Path]) -> dict:
    """Translations from JSON files ({msgid: text}), later files winning."""
    merged: dict = {}
    for file in files:
        merged.update(json.loads(file.read_text(encoding="utf-8")))
    return merged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workshop.core.catalogues")
    sub = parser.add_subparsers(dest="command", required=True)
    update_cmd = sub.add_parser("update", help="extract messages and merge them into each .po")
    update_cmd.add_argument("--new", metavar="LANG", help="start a catalogue for LANG")
    fill_cmd = sub.add_parser("fill", help="put translations from JSON files into a catalogue")
    fill_cmd.add_argument("language")
    fill_cmd.add_argument("domain", choices=sorted(SOURCES))
    fill_cmd.add_argument("files", nargs="+", type=Path)
    sub.add_parser("check", help="exit 1 if any catalogue is incomplete or stale")
    missing_cmd = sub.add_parser(
        "missing", help="messages in some source files that some JSON files do not translate"
    )
    missing_cmd.add_argument("--files", nargs="+", required=True, help="e.g. phone.html phone.js")
    missing_cmd.add_argument("--json", nargs="*", type=Path, default=[])
    args = parser.parse_args(argv)

    targets = [code for code in languages() if code != SOURCE_LANGUAGE]
    if args.command == "update":
        if args.new:
            targets.append(args.new)
        for language in targets:
            update(language)
            print(f"updated {TRANSLATIONS.name}/{language}")
        return 0
    if args.command == "fill":
        count = fill(args.language, args.domain, _read_json(args.files))
        print(f"filled {count} messages in {args.language}/{args.domain}")
        return 0
    if args.command == "missing":
        given = _read_json(args.json)
        count = 0
        for domain in SOURCES:
            for message in extract(domain):
                key = message.id[0] if isinstance(message.id, tuple) else message.id
                used = {Path(location).name for location, _ in message.locations}
                if key and used & set(args.files) and not given.get(key):
                    print(f"{domain}: {key!r}  ({', '.join(sorted(used))})")
                    count += 1
        print(f"{count} messages without a translation")
        return 1 if count else 0
    found = [
        problem
        for language in targets
        for domain in SOURCES
        for problem in problems(language, domain)
    ]
    for problem in found:
        print(problem)
    print(f"{len(found)} problems in {len(targets)} catalogues")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
