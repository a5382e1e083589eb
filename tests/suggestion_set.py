"""The labelled set (tests/data/suggestions_set.json) as a workshop, and how suggestions are
scored against it: the same rules bench/suggestion_quality.py reports in docs/suggestions.md."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

from sklearn.metrics import adjusted_rand_score

SET = Path(__file__).parent / "data" / "suggestions_set.json"


def labelled(path: Path = SET) -> dict:
    """{plan: [{title, body}], notes: [{text, lang, theme, section, dup?}]}."""
    data = json.loads(path.read_text(encoding="utf-8"))
    notes = []
    for theme in data["themes"]:
        for note in theme["notes"]:
            notes.append({**note, "theme": theme["id"], "section": theme["section"]})
    for number, note in enumerate(data["alone"]):
        notes.append({**note, "theme": f"alone-{number}", "section": None})
    return {"plan": data["plan"], "notes": notes}


def pairs(sets) -> set[tuple]:
    return {pair for members in sets for pair in combinations(sorted(members), 2)}


def ari(groups: list[list], truth: dict) -> float:
    """``groups`` of note keys; ``truth`` note key -> hand theme. A note in no group is a
    group of its own."""
    keys = sorted(truth)
    placed = {key: f"group-{n}" for n, members in enumerate(groups) for key in members}
    return adjusted_rand_score(
        [truth[key] for key in keys], [placed.get(key, f"alone-{key}") for key in keys]
    )


def duplicate_precision_recall(found: list[list], truth: dict) -> tuple[float, float]:
    """``truth``: note key -> its duplicate tag (notes without one left out)."""
    tagged: dict[str, list] = {}
    for key, tag in truth.items():
        tagged.setdefault(tag, []).append(key)
    expected, flagged = pairs(tagged.values()), pairs(found)
    right = len(flagged & expected)
    return (right / len(flagged) if flagged else 1.0), right / len(expected)
