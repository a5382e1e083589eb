"""The phone's "+1 this instead?": the notes on the board most like what is being typed.

Pure Python over the same words as the themes (concepts and character grams, TF-IDF,
cosine), so a lookup never waits for scikit-learn to import. A workshop's notes are kept in
an index (weights and postings); notes posted since are added with the index's weights, and
it is built again once the board has grown by a tenth or a note's text changed. A lookup
then only walks the postings of the query's own features: milliseconds at 1,000 notes
(docs/performance.md).
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from workshop.suggestions.words import NoteWords, cached_words, note_words

SIMILAR_MAX = 3
SIMILAR_SCORE = 0.35  # below this a note is not offered (measured: docs/suggestions.md)
# Half of a lookup's vector is character grams: the last word is often half typed.
CONCEPT_WEIGHT = 0.5
QUERY_MIN_LETTERS = 4  # fewer typed letters than this ask for nothing yet
REBUILD_GROWTH = 0.1
INDEXES_KEPT = 32


def _features(words: NoteWords) -> Counter:
    """One bag of features: concepts and grams kept apart by a prefix."""
    bag: Counter = Counter()
    bag.update(f"c {concept}" for concept in words.concepts)
    bag.update(f"g {gram}" for gram in words.grams)
    return bag


def _share(key: str) -> float:
    return CONCEPT_WEIGHT if key.startswith("c ") else 1 - CONCEPT_WEIGHT


@dataclass
class Index:
    """TF-IDF (sklearn's smooth idf, sublinear tf) of a workshop's notes, as postings."""

    texts: dict[int, str] = field(default_factory=dict)
    df: Counter = field(default_factory=Counter)
    documents: int = 0
    postings: dict[str, list[tuple[int, float]]] = field(default_factory=dict)

    def idf(self, key: str) -> float:
        return math.log((1 + self.documents) / (1 + self.df.get(key, 0))) + 1

    def vector(self, bag: Counter) -> dict[str, float]:
        """Each part (concepts, grams) normalised, then weighted by its share."""
        raw = {key: (1 + math.log(tf)) * self.idf(key) for key, tf in bag.items()}
        norms = {"c": 0.0, "g": 0.0}
        for key, value in raw.items():
            norms[key[0]] += value * value
        return {
            key: _share(key) * value / (math.sqrt(norms[key[0]]) or 1.0)
            for key, value in raw.items()
        }

    def add(self, note_id: int, text: str) -> None:
        self.texts[note_id] = text
        for key, weight in self.vector(_features(cached_words(text))).items():
            self.postings.setdefault(key, []).append((note_id, weight))


def build(notes: Sequence[tuple[int, str]]) -> Index:
    index = Index(documents=len(notes) + 1)  # + the query, as if it were posted
    bags = [_features(cached_words(text)) for _, text in notes]
    for bag in bags:
        index.df.update(bag.keys())
    for note_id, text in notes:
        index.add(note_id, text)
    return index


_indexes: dict[object, Index] = {}
_lock = threading.Lock()


def current_index(key: object, notes: Sequence[tuple[int, str]]) -> Index:
    """The index of ``key``'s notes, brought up to date with ``notes``."""
    with _lock:
        index = _indexes.get(key)
        known = index.texts if index else {}
        changed = any(known.get(note_id, text) != text for note_id, text in notes)
        if index is None or changed or len(notes) > (1 + REBUILD_GROWTH) * index.documents:
            index = build(notes)
            _indexes.pop(key, None)
            while len(_indexes) >= INDEXES_KEPT:
                _indexes.pop(next(iter(_indexes)))
            _indexes[key] = index
        else:
            for note_id, text in notes:
                if note_id not in known:
                    index.add(note_id, text)
        return index


def similar_notes(
    query: str,
    notes: Sequence[tuple[int, str]],
    *,
    key: object = None,
    limit: int = SIMILAR_MAX,
    score: float = SIMILAR_SCORE,
) -> list[tuple[int, float]]:
    """(note id, similarity) of the ``notes`` ((id, text), all of them the asker may see)
    most like ``query``, best first, at most ``limit``, none below ``score``. ``key`` names
    the index to keep (a workshop); without one it is built for this call."""
    if sum(char.isalnum() for char in query) < QUERY_MIN_LETTERS or not notes:
        return []
    index = build(notes) if key is None else current_index(key, notes)
    asked = index.vector(_features(note_words(query)))
    total = sum(value * value for value in asked.values())
    visible = {note_id for note_id, _ in notes}
    dots: dict[int, float] = {}
    for feature, weight in asked.items():
        for note_id, value in index.postings.get(feature, ()):
            dots[note_id] = dots.get(note_id, 0.0) + weight * value
    # Both vectors have norm sqrt(share_c² + share_g²) when both parts are present.
    found = []
    for note_id, dot in dots.items():
        if note_id not in visible:
            continue
        similarity = dot / (math.sqrt(total) * math.sqrt(_norm2(index, note_id)) or 1.0)
        if similarity >= score:
            found.append((note_id, round(similarity, 3)))
    found.sort(key=lambda item: (-item[1], item[0]))
    return found[:limit]


def _norm2(index: Index, note_id: int) -> float:
    words = cached_words(index.texts[note_id])
    parts = (
        CONCEPT_WEIGHT if words.concepts else 0.0,
        (1 - CONCEPT_WEIGHT) if words.grams else 0.0,
    )
    return sum(part * part for part in parts) or 1.0
