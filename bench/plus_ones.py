"""What the "+1" count costs every read of the notes: ``list_notes`` for a 1,000-note board
(with 300 phones' +1s on it) against the same read without the +1 column (the bare
baseline, the same query as before the count was added), in one process, one run. The
board's state is cached per seq (workshop/web/statecache.py), so this is the cost of a
cache miss; giving a +1 (one insert, one note.updated) is timed too.

    .venv/bin/python bench/plus_ones.py [--notes 1000] [--rounds 21]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workshop.core import db as database  # noqa: E402
from workshop.notes import notes, plusones  # noqa: E402
from workshop.workshops import workshops  # noqa: E402


def board(count: int):
    store = database.connect(None)
    code = workshops.create_workshop(store, title="Big board")["code"]
    ids = [
        notes.create_note(store, code, text=f"Idea {n}", client_id=f"c{n}", attendee_id="a")[0][
            "id"
        ]
        for n in range(count)
    ]
    for phone in range(300):
        plusones.add_plus_one(store, ids[phone % len(ids)], f"phone-{phone}")
    return store, code, ids


def timed(call, rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def interleaved(store, code, rounds: int) -> tuple[float, float]:
    """Ours and the baseline in turns, so a machine that slows down meanwhile slows both."""
    with_count = notes._SELECT
    without = with_count.replace(f", {notes.NOTE_PLUS_ONES} AS plus_ones", ", 0 AS plus_ones")
    assert without != with_count
    ours, bare = [], []
    try:
        for _ in range(rounds):
            for query, samples in ((with_count, ours), (without, bare)):
                notes._SELECT = query
                samples.append(timed(lambda: notes.list_notes(store.db, code), 1))
    finally:
        notes._SELECT = with_count
    return statistics.median(ours), statistics.median(bare)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=21)
    args = parser.parse_args()
    store, code, ids = board(args.notes)
    ours, bare = interleaved(store, code, args.rounds)
    phones = iter(range(10**6))
    give = timed(lambda: plusones.add_plus_one(store, ids[0], f"new-{next(phones)}"), 50)
    print(f"{args.notes} notes, 300 +1s, median of {args.rounds} rounds")
    print("| what | ours | bare baseline | ratio (baseline / ours) |")
    print("| --- | --- | --- | --- |")
    print(f"| list_notes | {ours:.1f} ms | {bare:.1f} ms (no +1 count) | {bare / ours:.2f} |")
    print(f"| give a +1 | {give:.2f} ms | | |")
    store.close()


if __name__ == "__main__":
    main()
