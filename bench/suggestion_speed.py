"""How long the suggestions take, against bare scikit-learn on the same notes in the same run.

    python bench/suggestion_speed.py [--notes 2000] [--lookup-notes 1000] [--repeat 3]

- `suggest`: workshop.suggestions.suggestions.suggest (themes, duplicates and section hints)
  on a board of `--notes` notes (the labelled set's notes, repeated with a number added so
  each is its own text), scikit-learn already imported. Baseline: a bare TfidfVectorizer over
  the raw texts and AgglomerativeClustering with a distance threshold — what a plain
  scikit-learn program would do, with no stemming, glossary, duplicates or hints.
- `similar`: the phone's lookup (suggestions.similar_for_room, the store read included) on a
  workshop of `--lookup-notes` notes, first call (every note's words worked out) and the
  next (cached). Baseline: the store read alone (the SELECT every lookup makes).

Prints a Markdown table (median of `--repeat` runs), to paste into docs/performance.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.suggestion_set import labelled  # noqa: E402
from workshop.core import db as database  # noqa: E402
from workshop.notes import notes as notes_model  # noqa: E402
from workshop.suggestions import suggestions  # noqa: E402
from workshop.suggestions.words import cached_words  # noqa: E402
from workshop.workshops import workshops  # noqa: E402


def board_of(count: int) -> tuple[list[str], list[dict]]:
    data = labelled()
    base = [note["text"] for note in data["notes"]]
    texts = [f"{base[i % len(base)]} {i // len(base) or ''}".strip() for i in range(count)]
    return texts, data["plan"]


def timed(function, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=2000)
    parser.add_argument("--lookup-notes", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import numpy as np
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts, plan = board_of(args.notes)
    board = suggestions.Board(
        [{"id": i, "text": t, "section_id": None, "group_id": None} for i, t in enumerate(texts)],
        [{"id": 1000 + i, "title": s["title"], "body": s["body"]} for i, s in enumerate(plan)],
    )
    suggestions.suggest(board)  # warm: imports and words done once, as on a running server

    def bare() -> None:
        matrix = TfidfVectorizer().fit_transform(texts).toarray()
        distances = np.clip(1 - matrix @ matrix.T, 0, 2)
        AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="average", distance_threshold=0.85
        ).fit_predict(distances)

    ours = timed(lambda: suggestions.suggest(board), args.repeat)
    baseline = timed(bare, args.repeat)

    store = database.connect(None)
    workshop = workshops.create_workshop(store, title="Lookup", sections=plan)
    code = workshop["code"]
    lookup_texts, _ = board_of(args.lookup_notes)
    for number, text in enumerate(lookup_texts):
        notes_model.create_note(
            store, code, text=text, client_id=f"n{number}", source="facilitator"
        )
    query = "maps in spanish and vietnam"
    cached_words.cache_clear()
    start = time.perf_counter()
    suggestions.similar_for_room(store.db, code, query)
    first = time.perf_counter() - start
    cached = timed(lambda: suggestions.similar_for_room(store.db, code, query), args.repeat)
    workshop_id = workshops.workshop_row(store.db, code)["id"]
    read = timed(
        lambda: store.db.execute(
            "SELECT id, text FROM notes WHERE workshop_id = ?", [workshop_id]
        ).fetchall(),
        args.repeat,
    )

    print("| what | notes | ours | bare baseline | ratio (baseline / ours) |")
    print("| --- | --- | --- | --- | --- |")
    print(
        f"| suggest (themes, duplicates, hints) | {args.notes} | {ours * 1000:.0f} ms "
        f"| {baseline * 1000:.0f} ms (TF-IDF + clustering only) | {baseline / ours:.2f} |"
    )
    print(
        f"| phone lookup, first call | {args.lookup_notes} | {first * 1000:.1f} ms "
        f"| {read * 1000:.1f} ms (the read alone) | {read / first:.2f} |"
    )
    print(
        f"| phone lookup, next calls | {args.lookup_notes} | {cached * 1000:.1f} ms "
        f"| {read * 1000:.1f} ms (the read alone) | {read / cached:.2f} |"
    )


if __name__ == "__main__":
    main()
