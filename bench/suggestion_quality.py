"""How good the offline suggestions are on the labelled set, for each approach tried.

    python bench/suggestion_quality.py [--set tests/data/suggestions_set.json]

For each approach (which features a note's vector has) it reports, on the hand-grouped set:

- themes: the adjusted Rand index (ARI) of the suggested groups against the hand grouping,
  every note counted (a note left alone is a group of one, on both sides), at the shipped
  threshold and at the best threshold of a sweep;
- duplicates: pairwise precision and recall of the flagged sets against the hand-marked
  duplicates, at the shipped similarity and at the sweep's best F1;
- section hints: half of each theme's notes sorted into the theme's section, hints asked for
  the other half (and for the notes that fit nowhere, which should get none): how many got a
  hint (coverage) and how many hints were right (precision).

Prints Markdown tables, to paste into docs/suggestions.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sklearn.metrics import adjusted_rand_score  # noqa: E402

from workshop.suggestions import duplicates, placing, themes, vectors  # noqa: E402
from workshop.suggestions.words import note_words  # noqa: E402

SET = Path(__file__).resolve().parent.parent / "tests" / "data" / "suggestions_set.json"

# name -> (note_words options, concept weight)
APPROACHES = {
    "words (TF-IDF over plain words)": ({"use_stems": False, "use_glossary": False}, 1.0),
    "character 3-grams only": ({"use_stems": False, "use_glossary": False}, 0.0),
    "words + 3-grams": ({"use_stems": False, "use_glossary": False}, vectors.CONCEPT_WEIGHT),
    "stems + 3-grams": ({"use_glossary": False}, vectors.CONCEPT_WEIGHT),
    "stems + glossary (words only)": ({}, 1.0),
    "stems + glossary + 3-grams (shipped)": ({}, vectors.CONCEPT_WEIGHT),
}


def load(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    notes = []
    for theme in data["themes"]:
        for note in theme["notes"]:
            notes.append({**note, "theme": theme["id"], "section": theme["section"]})
    for number, note in enumerate(data["alone"]):
        notes.append({**note, "theme": f"alone-{number}", "section": None})
    return {"plan": data["plan"], "notes": notes}


def pairs(sets: list[list[int]]) -> set[tuple[int, int]]:
    return {pair for members in sets for pair in combinations(sorted(members), 2)}


def duplicate_scores(found: list[list[int]], truth: set[tuple[int, int]]) -> tuple[float, float]:
    flagged = pairs(found)
    right = len(flagged & truth)
    return (right / len(flagged) if flagged else 1.0), right / len(truth)


def theme_ari(found: list[themes.Theme], truth: list[str]) -> float:
    predicted = list(range(len(truth)))  # alone unless suggested into a group
    for number, theme in enumerate(found):
        for index in theme.members:
            predicted[index] = len(truth) + number
    return adjusted_rand_score(truth, predicted)


def hint_scores(data: dict, options: dict, weight: float) -> tuple[float, float, float]:
    notes, plan = data["notes"], data["plan"]
    titles = [section["title"] for section in plan]
    texts = [note["text"] for note in notes] + [f"{s['title']}. {s['body']}" for s in plan]
    words = [note_words(text, **options) for text in texts]
    matrix = vectors.note_vectors(words, weight).matrix
    seen: dict[str, int] = {}
    sorted_into, unsorted = {}, []
    for index, note in enumerate(notes):
        count = seen[note["theme"]] = seen.get(note["theme"], 0) + 1
        if note["section"] is not None and count % 2 == 1:
            sorted_into[index] = titles.index(note["section"])
        else:
            unsorted.append(index)
    section_rows = list(range(len(notes), len(texts)))
    hints = placing.section_hints(matrix, unsorted, sorted_into, section_rows)
    placeable = [i for i in unsorted if notes[i]["section"] is not None]
    right = sum(titles[h.section] == notes[h.note]["section"] for h in hints)
    on_alone = sum(notes[h.note]["section"] is None for h in hints)
    coverage = sum(notes[h.note]["section"] is not None for h in hints) / len(placeable)
    return coverage, (right / len(hints) if hints else 1.0), on_alone / (len(unsorted) - len(placeable))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=SET)
    args = parser.parse_args()
    data = load(args.set)
    notes = data["notes"]
    truth = [note["theme"] for note in notes]
    tags: dict[str, list[int]] = {}
    for index, note in enumerate(notes):
        if note.get("dup"):
            tags.setdefault(note["dup"], []).append(index)
    true_pairs = pairs(list(tags.values()))
    languages = {lang: sum(n["lang"] == lang for n in notes) for lang in ("en", "es")}
    print(
        f"Set: {len(notes)} notes ({languages['en']} English, {languages['es']} Spanish), "
        f"{len(data['plan'])} sections, {len(set(truth))} hand groups "
        f"({sum(1 for t in set(truth) if t.startswith('alone'))} notes alone), "
        f"{len(tags)} duplicate sets ({len(true_pairs)} duplicate pairs).\n"
    )
    print(
        f"| approach | ARI at {themes.THEME_DISTANCE} | best ARI (distance) "
        f"| duplicates P / R at {duplicates.DUPLICATE_SIMILARITY} "
        "| best duplicate F1: P / R (similarity) "
        "| hints: coverage / precision / on notes that fit nowhere |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for name, (options, weight) in APPROACHES.items():
        words = [note_words(note["text"], **options) for note in notes]
        vecs = vectors.note_vectors(words, weight)
        ari = theme_ari(themes.themes(words, vecs), truth)
        sweep = {
            d / 100: theme_ari(themes.themes(words, vecs, d / 100), truth)
            for d in range(40, 100, 5)
        }
        best_distance = max(sweep, key=sweep.__getitem__)
        grams = vecs.grams
        precision, recall = duplicate_scores(duplicates.duplicate_sets(grams), true_pairs)
        best = None
        for s in range(40, 100, 5):
            p, r = duplicate_scores(duplicates.duplicate_sets(grams, s / 100), true_pairs)
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            if best is None or f1 > best[0]:
                best = (f1, p, r, s / 100)
        assert best is not None
        coverage, hit, stray = hint_scores(data, options, weight)
        print(
            f"| {name} | {ari:.3f} | {sweep[best_distance]:.3f} ({best_distance:.2f}) "
            f"| {precision:.2f} / {recall:.2f} | {best[1]:.2f} / {best[2]:.2f} ({best[3]:.2f}) "
            f"| {coverage:.2f} / {hit:.2f} / {stray:.2f} |"
        )


if __name__ == "__main__":
    main()
