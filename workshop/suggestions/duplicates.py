"""Near-identical notes: the same words give nearly the same character grams.

Two notes are duplicates when the cosine of their character-gram TF-IDF vectors reaches
DUPLICATE_SIMILARITY; duplicates of duplicates join one set (a merge takes them all).
Measured on the labelled set (docs/suggestions.md).
"""

from __future__ import annotations

from typing import Any

DUPLICATE_SIMILARITY = 0.6


def duplicate_sets(grams: Any, similarity: float = DUPLICATE_SIMILARITY) -> list[list[int]]:
    """Sets of note indices (each of two or more), in the order of their first note."""
    count = grams.shape[0]
    if count < 2:
        return []
    import numpy as np
    from sklearn.preprocessing import normalize

    rows = normalize(grams)
    cosine = (rows @ rows.T).tocoo()
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    close = (cosine.data >= similarity) & (cosine.row < cosine.col)
    for a, b in zip(cosine.row[close], cosine.col[close], strict=True):
        parent[root(int(a))] = root(int(b))
    sets: dict[int, list[int]] = {}
    for index in range(count):
        sets.setdefault(root(index), []).append(index)
    found = [members for members in sets.values() if len(members) > 1]
    return sorted(found, key=lambda members: int(np.min(members)))
