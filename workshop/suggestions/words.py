"""A note's words as the suggestions compare them: its language, its stems, its English
concepts, and the character n-grams that catch typos and cognates.

Everything here ships with the package: snowballstemmer's algorithms and a small hand-made
Spanish→English glossary (glossary.tsv) of the workshop's everyday vocabulary, so a Spanish
note and its English twin share features ("aceras" and "sidewalks" both become ``sidewalk``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import snowballstemmer

LANGUAGES = ("en", "es")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_SPANISH_MARKS = set("ñáéíóú¿¡")


# The commonest function words of each language, and the words of asking ("please", "need")
# that join unrelated requests: they decide the language and are dropped.
def _listed(words: str) -> set[str]:
    return set(words.split())


STOPWORDS = {
    "en": _listed(
        """a about after all also am an and any are as at be been but by can could did do
        does don't dont for from had has have he her his how i if in into is it its just let
        me more my no not of on only or our out should so some than that the their them then
        there these they this those to too up us was we were what when where which who why
        will with would you your
        please need needs just really want like think get"""
    ),
    "es": _listed(
        """a al algo algún como con cual cuando de del desde donde dónde el él en entre era es
        esa ese eso esta está están este esto ha hay la las le les lo los más me mi muy no nos
        o para pero por porque que qué se ser si sí sin sobre son su sus también te tiene
        tienen un una unas uno unos y ya yo
        favor necesita necesitan necesitamos debería deberia debe puede pueden solo"""
    ),
}


@dataclass(frozen=True)
class NoteWords:
    """What one note's text gives the comparisons."""

    language: str
    concepts: tuple[str, ...]  # stems, Spanish ones put into English where the glossary can
    surface: dict[str, str]  # concept -> a word of the note that gave it (for labels)
    grams: tuple[str, ...]  # character 3-grams of the accent-free text, by word


def fold(text: str) -> str:
    """Lower case without accents: "Ñandú, ÁREA" -> "nandu, area"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def language_of(text: str) -> str:
    """'es' or 'en', by the function words and the marks only Spanish uses."""
    lowered = text.casefold()
    tokens = _WORD.findall(lowered)
    spanish = sum(token in STOPWORDS["es"] for token in tokens)
    spanish += 2 * sum(char in _SPANISH_MARKS for char in lowered)
    english = sum(token in STOPWORDS["en"] for token in tokens)
    return "es" if spanish > english else "en"


@cache
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer({"en": "english", "es": "spanish"}[language])


def stem(word: str, language: str) -> str:
    return _stemmer(language).stemWord(fold(word))


@cache
def glossary() -> dict[str, str]:
    """Spanish stem -> English stem, from glossary.tsv."""
    mapping: dict[str, str] = {}
    path = Path(__file__).with_name("glossary.tsv")
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        spanish, english = line.split("\t")
        mapping.setdefault(stem(spanish, "es"), stem(english, "en"))
    return mapping


def note_words(text: str, *, use_glossary: bool = True, use_stems: bool = True) -> NoteWords:
    """The note's language, concepts and character grams (options for measuring only)."""
    language = language_of(text)
    words = glossary() if use_glossary else {}
    concepts: list[str] = []
    surface: dict[str, str] = {}
    for word in _WORD.findall(text.casefold()):
        if word in STOPWORDS[language] or (len(word) < 2 and not word.isdigit()):
            continue
        if use_stems:
            root = stem(word, language)
            concept = words.get(root, root) if language == "es" else root
        else:
            concept = fold(word)
        concepts.append(concept)
        surface.setdefault(concept, word)
    return NoteWords(language, tuple(concepts), surface, tuple(char_grams(fold(text))))


def char_grams(folded: str, size: int = 3) -> Iterable[str]:
    """Character n-grams inside each word, padded with spaces (typos, plurals, cognates)."""
    for word in _WORD.findall(folded):
        padded = f" {word} "
        for start in range(max(1, len(padded) - size + 1)):
            yield padded[start : start + size]


@lru_cache(maxsize=20_000)
def cached_words(text: str) -> NoteWords:
    """``note_words`` with the shipped options, kept by text: a board's notes are worked out
    once, not on every suggestion or lookup (about 0.2 ms a note)."""
    return note_words(text)
