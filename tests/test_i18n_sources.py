"""Every user-facing string goes through gettext, and every catalogue is complete.

A template's text and its user-facing attributes must come from ``_()`` (or be only
numbers and punctuation); a script's sentence-like string literals must be wrapped in
``_()`` / ``ngettext()`` (a line may opt out with ``// i18n: not shown`` for a string no
person reads); and the Spanish catalogues hold every message the code marks, translated,
with the same placeholders (workshop.catalogues).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from workshop.core import catalogues, i18n

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((ROOT / "templates").glob("*.html"))
SCRIPTS = sorted((ROOT / "static" / "js").rglob("*.js"))
SHOWN_ATTRIBUTES = {"placeholder", "title", "alt", "aria-label", "label", "aria-description"}
# Class-name blocks ({% block body_class %}page-phone{% endblock %}) are not text.
CLASS_BLOCK = re.compile(r"\{%\s*block \w+_class\s*%\}.*?\{%\s*endblock\s*%\}", re.S)
JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
WORDS = re.compile(r"[^\W\d_]{2,}")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            shown = name in SHOWN_ATTRIBUTES or (
                name == "value" and (("type", "submit") in attrs or ("type", "button") in attrs)
            )
            if shown and value and WORDS.search(value):
                self.found.append(f'{tag} {name}="{value.strip()}"')

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip and WORDS.search(data):
            self.found.append(data.strip())


def untranslated_template_text(source: str) -> list[str]:
    """Text a person would read that is not inside a ``{{ … }}`` (where ``_()`` lives)."""
    parser = _Text()
    parser.feed(JINJA.sub(" ", CLASS_BLOCK.sub(" ", source)))
    return parser.found


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_template_text_is_translated(template):
    assert [] == untranslated_template_text(template.read_text(encoding="utf-8"))


def test_the_template_check_catches_plain_text():
    source = '<p>Send note</p><input placeholder="One idea"><p>{{ _("Fine") }} 3 / 4</p>'
    assert ["Send note", 'input placeholder="One idea"'] == untranslated_template_text(source)


SENTENCE = re.compile(r"""(?P<q>["'`])(?P<text>[A-Z][a-z]+(?:[ ,.…:!?’'][^"'`]*)?)(?P=q)""")
WRAPPED = re.compile(r"""(?:\b_|\bngettext)\(\s*$""")


def untranslated_script_strings(source: str) -> list[str]:
    found = []
    for number, line in enumerate(source.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith(("//", "*", "/*", "import ")) or "i18n: not shown" in line:
            continue
        if "console." in line or "throw new Error" in line:
            continue
        for match in SENTENCE.finditer(line):
            text = match.group("text")
            if not (" " in text or text.endswith((".", "…", "!", "?", ":"))):
                continue
            before = line[: match.start()]
            if WRAPPED.search(before) or re.search(r"ngettext\([^)]*$", before):
                continue
            found.append(f"{number}: {text}")
    return found


@pytest.mark.parametrize(
    "script", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT / "static" / "js"))
)
def test_script_strings_are_translated(script):
    assert [] == untranslated_script_strings(script.read_text(encoding="utf-8"))


def test_the_script_check_catches_plain_strings():
    source = (
        'status.textContent = "Sent to the board.";\n'
        'label.textContent = _("Your notes");\n'
        'x.textContent = ngettext("One note", "{n} notes", count);\n'
        'el("button", {}, "Zoom out");\n'
    )
    assert ["1: Sent to the board.", "4: Zoom out"] == untranslated_script_strings(source)


@pytest.mark.parametrize("domain", sorted(catalogues.SOURCES))
@pytest.mark.parametrize(
    "language", [code for code in i18n.languages() if code != i18n.SOURCE_LANGUAGE]
)
def test_every_catalogue_is_complete(language, domain):
    assert [] == catalogues.problems(language, domain)
