"""The phone's "+1 this instead?": the notes on the board most like what is being typed.

Pure Python over the same words as the themes (concepts and character grams, TF-IDF,
cosine), so a lookup costs milliseconds and never waits for scikit-learn to import. A note's
words are cached by its text; the weights come from the notes given on each call.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from workshop.suggestions.words import NoteWords, note_words

SIMILAR_MAX = 3
SIMILAR_SCORE = 0.35  # below this a note is not offered (measured: docs/suggestions.md)
# Half of a lookup's vector is character grams: the last word is often half typed.
CONCEPT_WEIGHT = 0.5
QUERY_MIN_LETTERS = 4  # fewer typed letters than this ask for nothing yet


@lru_cache(maxsize=20_000)
def cached_words(text: str) -> NoteWords:
    return note_words(text)


def _features(words: NoteWords) -> tuple[Counter, Counter]:
    return Counter(words.concepts), Counter(words.grams)


def _weights(counts: Counter, df: Counter, total: int, share: float) -> dict[str, float]:
    # sklearn's smooth idf and sublinear tf, so these scores are the themes' scores.
    vector = {
        key: (1 + math.log(tf)) * (math.log((1 + total) / (1 + df[key])) + 1)
        for key, tf in counts.items()
    }
    norm = math.sqrt(sum(value * value for value in vector.values())) or 1.0
    return {key: share * value / norm for key, value in vector.items()}


def similar_notes(
    query: str,
    notes: Sequence[tuple[int, str]],
    *,
    limit: int = SIMILAR_MAX,
    score: float = SIMILAR_SCORE,
) -> list[tuple[int, float]]:
    """(note id, similarity) of the ``notes`` ((id, text), all of them the asker may see)
    most like ``query``, best first, at most ``limit``, none below ``score``."""
    if sum(char.isalnum() for char in query) < QUERY_MIN_LETTERS or not notes:
        return []
    asked = _features(note_words(query))
    features = [_features(cached_words(text)) for _, text in notes]
    concept_df: Counter = Counter()
    gram_df: Counter = Counter()
    for concepts, grams in features:
        concept_df.update(concepts.keys())
        gram_df.update(grams.keys())
    total = len(notes) + 1  # the query counts as a document, as if it were posted
    concept_df.update(asked[0].keys())
    gram_df.update(asked[1].keys())
    query_parts = (
        _weights(asked[0], concept_df, total, CONCEPT_WEIGHT),
        _weights(asked[1], gram_df, total, 1 - CONCEPT_WEIGHT),
    )
    query_norm = math.sqrt(sum(v * v for part in query_parts for v in part.values())) or 1.0
    found = []
    for (note_id, _), (concepts, grams) in zip(notes, features, strict=True):
        if not (concepts.keys() & asked[0].keys() or grams.keys() & asked[1].keys()):
            continue
        parts = (
            _weights(concepts, concept_df, total, CONCEPT_WEIGHT),
            _weights(grams, gram_df, total, 1 - CONCEPT_WEIGHT),
        )
        dot = sum(
            value * part.get(key, 0.0)
            for query_part, part in zip(query_parts, parts, strict=True)
            for key, value in query_part.items()
        )
        norm = math.sqrt(sum(v * v for part in parts for v in part.values())) or 1.0
        similarity = dot / (query_norm * norm)
        if similarity >= score:
            found.append((note_id, round(similarity, 3)))
    found.sort(key=lambda item: (-item[1], item[0]))
    return found[:limit]
