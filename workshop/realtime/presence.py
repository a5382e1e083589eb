"""Presence across server processes: each process writes how many phones and boards it holds
for a workshop into the shared database, and reports the total of the fresh rows.

With one process this is just its own count; with several behind a message queue, every
board sees the same total whichever process spoke last.
"""

from __future__ import annotations

import time

from workshop.core.db import Store

FRESH_SECONDS = 30.0  # a process that has not reported for this long is gone


def report(store: Store, workshop_id: int, process: str, phones: int, boards: int) -> dict:
    """Record this process's counts and return the totals over every live process."""
    clock = time.time()
    with store.transaction() as db:
        db.table("presence").insert(
            {
                "process": process,
                "workshop_id": workshop_id,
                "phones": phones,
                "boards": boards,
                "updated_at": clock,
            },
            replace=True,
        )
        total_phones, total_boards = db.execute(
            """SELECT coalesce(sum(phones), 0), coalesce(sum(boards), 0) FROM presence
               WHERE workshop_id = ? AND updated_at > ?""",
            [workshop_id, clock - FRESH_SECONDS],
        ).fetchone()
    return {"phones": total_phones, "boards": total_boards}
