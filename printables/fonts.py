"""The fonts printables draw with: DejaVu when the system has it, else reportlab's built-ins.

reportlab bundles only Latin fonts; a prompt in Greek, Cyrillic, Vietnamese or Polish needs a
Unicode TrueType font, and DejaVu is installed almost everywhere fontconfig is. Characters the
chosen font lacks are replaced by a visible stand-in instead of raising or vanishing silently.
"""

from __future__ import annotations

import functools
import os
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "~/Library/Fonts",
    "C:/Windows/Fonts",
)
# Where distributions put DejaVu, tried before walking the font directories.
KNOWN_SUBDIRS = ("truetype/dejavu", "dejavu", "TTF", "dejavu-sans-fonts", "dejavu-sans-mono-fonts")
DEJAVU_FILES = {
    "sans": "DejaVuSans.ttf",
    "sans_bold": "DejaVuSans-Bold.ttf",
    "mono": "DejaVuSansMono.ttf",
    "mono_bold": "DejaVuSansMono-Bold.ttf",
}
BUILTIN = {
    "sans": "Helvetica",
    "sans_bold": "Helvetica-Bold",
    "mono": "Courier",
    "mono_bold": "Courier-Bold",
}
MISSING_GLYPH = "\u25a1"  # WHITE SQUARE, shown where the font has no glyph

_register_lock = threading.Lock()


@dataclass(frozen=True)
class FontSet:
    """Registered reportlab font names for each role; `unicode` is False on the fallback."""

    sans: str
    sans_bold: str
    mono: str
    mono_bold: str
    unicode: bool


@functools.cache
def fonts() -> FontSet:
    """Find and register the fonts once per process (registration is global in reportlab).

    Each role falls back to its built-in font on its own, so a system with DejaVu Sans but
    not DejaVu Sans Mono still prints prompts in any script.
    """
    with _register_lock:
        names = dict(BUILTIN)
        for role, filename in DEJAVU_FILES.items():
            path = _find_font_file(filename)
            if path is None:
                continue
            name = "Workshop-" + Path(path).stem
            try:
                pdfmetrics.getFont(name)
            except KeyError:
                pdfmetrics.registerFont(TTFont(name, path))
            names[role] = name
        unicode = names["sans"] != BUILTIN["sans"] and names["sans_bold"] != BUILTIN["sans_bold"]
        return FontSet(**names, unicode=unicode)


def _find_font_file(filename: str) -> str | None:
    roots = [Path(os.path.expanduser(root)) for root in FONT_DIRS]
    for root in roots:
        for subdir in KNOWN_SUBDIRS:
            candidate = root / subdir / filename
            if candidate.is_file():
                return str(candidate)
    for root in roots:
        if root.is_dir():
            for found in root.rglob(filename):
                return str(found)
    return None


def printable_text(text: str, font_name: str) -> str:
    """`text` made safe to draw in `font_name`, on one line.

    Line breaks and tabs become spaces, invisible control and format characters (and
    combining marks the font lacks) are dropped, and other characters the font has no glyph
    for become a small white square.
    """
    text = unicodedata.normalize("NFC", text)
    covered = _covered(font_name)
    out = []
    for char in text:
        if char in "\t\r\n\v\f":
            out.append(" ")
        elif unicodedata.category(char) in ("Cc", "Cf") or (
            unicodedata.category(char) in ("Cs", "Co", "Cn", "Mn") and char not in covered
        ):
            continue
        elif char in covered or char == " ":
            out.append(char)
        else:
            out.append(MISSING_GLYPH if MISSING_GLYPH in covered else "?")
    return "".join(out)


class _Coverage:
    """Membership test for the characters a font can draw."""

    def __init__(self, font_name: str) -> None:
        font = pdfmetrics.getFont(font_name)
        face = getattr(font, "face", None)
        self._codepoints = getattr(face, "charWidths", None) if isinstance(font, TTFont) else None

    def __contains__(self, char: str) -> bool:
        if self._codepoints is not None:
            return ord(char) in self._codepoints
        try:
            char.encode("cp1252")  # the built-in fonts' WinAnsi encoding
        except UnicodeEncodeError:
            return False
        return unicodedata.category(char) != "Cc"


@functools.cache
def _covered(font_name: str) -> _Coverage:
    return _Coverage(font_name)
