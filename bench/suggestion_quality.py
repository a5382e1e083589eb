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
import random
import re
import sys
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sklearn.metrics import adjusted_rand_score  # noqa: E402

from tests.suggestion_set import labelled  # noqa: E402
from workshop.suggestions import duplicates, placing, similar, themes, vectors  # noqa: E402
from workshop.suggestions.words import note_words  # noqa: E402

SET = Path(__file__).resolve().parent.parent / "tests" / "data" / "suggestions_set.json"

# name -> (note_words options, concept weight)
APPROACHES = {
    "words (TF-IDF over plain words)": ({"use_stems": False, "use_glossary": False}, 1.0),
    "character 3-grams only": ({"use_stems": False, "use_glossary": False}, 0.0),
    "words + 3-grams": ({"use_stems": False, "use_glossary": False}, 0.75),
    "stems + 3-grams": ({"use_glossary": False}, 0.75),
    "stems + glossary + 3-grams": ({}, 0.75),
    "stems + glossary (shipped)": ({}, 1.0),
}

# what two notes' duplicate similarity is computed on
DUPLICATE_APPROACHES = {
    "stems + glossary": lambda v: v.concepts,
    "stems + glossary + 3-grams": lambda v: v.matrix,
    "character 3-grams (shipped)": lambda v: v.grams,
}


def with_typos(text: str, rng: random.Random) -> str:
    """About one word in four of five letters or more with two neighbouring letters swapped,
    as a hurried thumb does."""

    def swap(match: re.Match) -> str:
        word = match.group(0)
        if len(word) < 5 or rng.random() > 0.25:
            return word
        at = rng.randrange(1, len(word) - 2)
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]

    return re.sub(r"[^\W\d_]+", swap, text)


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
    strays = on_alone / (len(unsorted) - len(placeable))
    return coverage, (right / len(hints) if hints else 1.0), strays


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=SET)
    args = parser.parse_args()
    data = labelled(args.set)
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
    rng = random.Random(16)
    typed = [with_typos(note["text"], rng) for note in notes]
    print("Themes, and section hints (coverage / precision / hints on notes that fit nowhere):\n")
    print(
        f"| approach | ARI at {themes.THEME_DISTANCE} | best ARI (distance) "
        "| ARI with typos | hints |"
    )
    print("| --- | --- | --- | --- | --- |")
    for name, (options, weight) in APPROACHES.items():
        words = [note_words(note["text"], **options) for note in notes]
        vecs = vectors.note_vectors(words, weight)
        ari = theme_ari(themes.themes(words, vecs), truth)
        sweep = {
            d / 100: theme_ari(themes.themes(words, vecs, d / 100), truth)
            for d in range(40, 100, 5)
        }
        best_distance = max(sweep, key=sweep.__getitem__)
        typo_words = [note_words(text, **options) for text in typed]
        typo_ari = theme_ari(
            themes.themes(typo_words, vectors.note_vectors(typo_words, weight)), truth
        )
        coverage, hit, stray = hint_scores(data, options, weight)
        print(
            f"| {name} | {ari:.3f} | {sweep[best_distance]:.3f} ({best_distance:.2f}) "
            f"| {typo_ari:.3f} | {coverage:.2f} / {hit:.2f} / {stray:.2f} |"
        )
    print("\nDuplicates (pairwise precision / recall), by what is compared:\n")
    print(
        f"| compared | at {duplicates.DUPLICATE_SIMILARITY} | with typos | best F1 (similarity) |"
    )
    print("| --- | --- | --- | --- |")
    shipped = APPROACHES["stems + glossary (shipped)"][0]
    for name, part in DUPLICATE_APPROACHES.items():
        words = [note_words(note["text"], **shipped) for note in notes]
        typo_words = [note_words(text, **shipped) for text in typed]
        compared = part(vectors.note_vectors(words, 0.75))
        p, r = duplicate_scores(duplicates.duplicate_sets(compared), true_pairs)
        tp, tr = duplicate_scores(
            duplicates.duplicate_sets(part(vectors.note_vectors(typo_words, 0.75))), true_pairs
        )
        best = None
        for step in range(40, 100, 5):
            found = duplicates.duplicate_sets(compared, step / 100)
            bp, br = duplicate_scores(found, true_pairs)
            f1 = 2 * bp * br / (bp + br) if bp + br else 0.0
            if best is None or f1 > best[0]:
                best = (f1, bp, br, step / 100)
        assert best is not None
        print(
            f"| {name} | {p:.2f} / {r:.2f} | {tp:.2f} / {tr:.2f} "
            f"| {best[1]:.2f} / {best[2]:.2f} ({best[3]:.2f}) |"
        )

    print("\nThe phone's lookup (workshop/suggestions/similar.py), each note typed again:\n")
    print("| typed | offered a duplicate of it (recall) | offered notes of its theme (precision) |")
    print("| --- | --- | --- |")
    for label, texts in (("as written", [n["text"] for n in notes]), ("with typos", typed)):
        found_dup = wanted = offered = on_theme = 0
        for index, text in enumerate(texts):
            others = [(i, n["text"]) for i, n in enumerate(notes) if i != index]
            hits = [i for i, _ in similar.similar_notes(text, others)]
            offered += len(hits)
            on_theme += sum(truth[i] == truth[index] for i in hits)
            partners = {i for i in tags.get(notes[index].get("dup") or "", []) if i != index}
            if partners:
                wanted += 1
                found_dup += bool(partners & set(hits))
        print(f"| {label} | {found_dup / wanted:.2f} | {on_theme / max(offered, 1):.2f} |")


if __name__ == "__main__":
    main()
