"""Suggested themes: agglomerative clustering of the notes' vectors, cut at a distance.

Average linkage with a distance threshold, not a number of clusters: the room decides how
many themes there are, and a note that is far from every other stays alone (people asked for
"leave it ungrouped when unsure"). Measured on the labelled set (docs/suggestions.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from workshop.suggestions.vectors import Vectors
from workshop.suggestions.words import NoteWords

THEME_DISTANCE = 0.85  # cosine distance at which two clusters stop being joined
MEMBER_SIMILARITY = 0.2  # a member less like the rest of its cluster than this is left alone
LABEL_WORDS = 3


@dataclass(frozen=True)
class Theme:
    members: list[int]  # indices into the notes given
    label: str
    score: float  # mean cosine similarity of the members to their centroid, 0..1


def cluster(vectors: Vectors, distance: float = THEME_DISTANCE) -> list[int]:
    """One cluster number per note."""
    count = vectors.matrix.shape[0]
    if count < 2:
        return list(range(count))
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering

    dense = vectors.matrix.toarray()
    distances = np.clip(1.0 - dense @ dense.T, 0.0, 2.0)
    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=distance
    )
    return [int(label) for label in model.fit_predict(distances)]


def themes(
    words: Sequence[NoteWords], vectors: Vectors, distance: float = THEME_DISTANCE
) -> list[Theme]:
    """The clusters of two notes or more, best first; every other note stays alone."""
    import numpy as np

    labels = cluster(vectors, distance)
    members: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        members.setdefault(label, []).append(index)
    found = []
    for clustered in members.values():
        indices = _sure_members(vectors, clustered)
        if len(indices) < 2:
            continue
        rows = vectors.matrix[indices]
        centroid = np.asarray(rows.mean(axis=0)).ravel()
        norm = float(np.linalg.norm(centroid)) or 1.0
        score = float(np.mean(rows @ (centroid / norm)))
        found.append(Theme(indices, label_for(words, vectors, indices), round(score, 3)))
    found.sort(key=lambda theme: (-theme.score * len(theme.members) ** 0.5, theme.members[0]))
    return found


def _sure_members(vectors: Vectors, indices: list[int]) -> list[int]:
    """Drop, one at a time, the member least like the others while it is unsure (below
    MEMBER_SIMILARITY): average linkage lets a stray note ride in on a cluster's mean."""
    import numpy as np

    kept = list(indices)
    while len(kept) >= 2:
        rows = vectors.matrix[kept].toarray()
        total = rows.sum(axis=0)
        fits = []
        for position in range(len(kept)):
            others = total - rows[position]
            fits.append(float(rows[position] @ others) / (float(np.linalg.norm(others)) or 1.0))
        weakest = int(np.argmin(fits))
        if fits[weakest] >= MEMBER_SIMILARITY:
            break
        kept.pop(weakest)
    return kept


def label_for(words: Sequence[NoteWords], vectors: Vectors, indices: list[int]) -> str:
    """The cluster's heaviest concepts, each as the word its notes used most for it."""
    import numpy as np

    weights = np.asarray(vectors.concepts[indices].sum(axis=0)).ravel()
    shared = np.asarray((vectors.concepts[indices] > 0).sum(axis=0)).ravel()
    order = np.lexsort((-weights, -shared))  # in most notes first, then heaviest
    picked = []
    for column in order[: LABEL_WORDS * 3]:
        concept = vectors.concept_names[column]
        if weights[column] <= 0 or not concept:
            break
        spoken = Counter(words[i].surface[concept] for i in indices if concept in words[i].surface)
        picked.append(spoken.most_common(1)[0][0])
        if len(picked) == LABEL_WORDS:
            break
    return " · ".join(dict.fromkeys(picked))
