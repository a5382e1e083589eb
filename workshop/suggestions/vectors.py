"""Notes as vectors: TF-IDF over their concepts and over their character grams.

scikit-learn is imported inside the functions: it takes seconds to import on a busy laptop,
and only the facilitator's "Suggest groups" needs it (the phone's lookup is workshop
/suggestions/similar.py, pure Python).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workshop.suggestions.words import NoteWords

# The concepts' share of a note's vector, the rest being its character grams'. Measured
# (docs/suggestions.md): themes came out best on concepts alone, typos included; the grams
# find duplicates (workshop/suggestions/duplicates.py) and the phone's half-typed words.
CONCEPT_WEIGHT = 1.0


@dataclass(frozen=True)
class Vectors:
    matrix: Any  # scipy CSR, one L2-normalised row per note
    concepts: Any  # the concept part alone (rows L2-normalised), for labels
    concept_names: list[str]
    grams: Any  # the character-gram part alone, for duplicates


def _tfidf(features: Sequence[Sequence[str]]) -> tuple[Any, list[str]]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=lambda items: items, sublinear_tf=True, min_df=1)
    if not any(features):
        from scipy.sparse import csr_matrix

        return csr_matrix((len(features), 1)), [""]
    matrix = vectorizer.fit_transform(features)
    return matrix, list(vectorizer.get_feature_names_out())


def note_vectors(words: Sequence[NoteWords], concept_weight: float = CONCEPT_WEIGHT) -> Vectors:
    from scipy.sparse import hstack
    from sklearn.preprocessing import normalize

    concepts, names = _tfidf([w.concepts for w in words])
    grams, _ = _tfidf([w.grams for w in words])
    if concept_weight >= 1.0:
        return Vectors(normalize(concepts), concepts, names, grams)
    combined = hstack([concepts * concept_weight, grams * (1 - concept_weight)]).tocsr()
    return Vectors(normalize(combined), concepts, names, grams)
