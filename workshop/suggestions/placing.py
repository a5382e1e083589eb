"""Where does it go? The section the already-sorted notes (and the section's own text)
suggest for each unsorted note.

A section's pull on a note is the mean similarity of its closest sorted notes (at most
NEIGHBOURS), or the similarity to the section's title and body when that is higher, so a
plan with nothing sorted yet still gets hints. No hint below HINT_SIMILARITY, or when the
runner-up is nearly as close (the facilitator decides those).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

NEIGHBOURS = 3
HINT_SIMILARITY = 0.2
HINT_MARGIN = 0.02


@dataclass(frozen=True)
class Hint:
    note: int  # index among the rows given
    section: int  # index into the sections given
    score: float


def section_hints(
    matrix: Any,
    unsorted: Sequence[int],
    sorted_into: dict[int, int],
    section_rows: Sequence[int],
    *,
    similarity: float = HINT_SIMILARITY,
    margin: float = HINT_MARGIN,
) -> list[Hint]:
    """``matrix``: L2-normalised rows for notes and sections in one space; ``sorted_into``:
    row of a sorted note -> its section's index in ``section_rows`` (each a row of the
    section's own text)."""
    if not unsorted or not section_rows:
        return []
    import numpy as np

    queries = matrix[list(unsorted)]
    by_section: dict[int, list[int]] = {}
    for row, section in sorted_into.items():
        by_section.setdefault(section, []).append(row)
    pulls = np.asarray((queries @ matrix[list(section_rows)].T).todense())
    for section, rows in by_section.items():
        near = np.asarray((queries @ matrix[rows].T).todense())
        near.sort(axis=1)
        pulls[:, section] = np.maximum(pulls[:, section], near[:, -NEIGHBOURS:].mean(axis=1))
    hints = []
    for position, row in enumerate(unsorted):
        ranked = np.argsort(-pulls[position])
        best = float(pulls[position, ranked[0]])
        second = float(pulls[position, ranked[1]]) if len(ranked) > 1 else 0.0
        if best >= similarity and best - second >= margin:
            hints.append(Hint(row, int(ranked[0]), round(best, 3)))
    return hints
