"""Presence across server processes: each process writes how many phones and boards it holds
for a workshop into the shared database, and reports the total of the fresh rows.

With one process this is just its own count; with several behind a message queue, every
board sees the same total whichever process spoke last.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from workshop.core.db import Store

FRESH_SECONDS = 30.0  # a process that has not reported for this long is gone


# A count that has not changed is written again this often, well within FRESH_SECONDS.
REWRITE_SECONDS = FRESH_SECONDS / 3


@dataclass
class Reports:
    """This process's counts as it last wrote them, per workshop.

    Presence is sent to boards twice a second while notes arrive ("N have taken part" may
    have grown), but the counts of phones and boards change far less often: each write was
    a transaction and an ``fsync`` on the event loop, twice a second, in the middle of the
    room's busiest minute. Now a count is written when it changed, or when it is due again.
    """

    process: str
    rewrite_seconds: float = REWRITE_SECONDS
    _written: dict[int, tuple[int, int, float]] = field(default_factory=dict)

    def report(self, store: Store, workshop_id: int, phones: int, boards: int) -> dict:
        """Record this process's counts (if they changed or are due) and return the totals
        over every live process."""
        clock = time.time()
        last = self._written.get(workshop_id)
        if last is None or last[:2] != (phones, boards) or clock - last[2] >= self.rewrite_seconds:
            with store.transaction() as db:
                db.execute(
                    """INSERT OR REPLACE INTO presence
                       (process, workshop_id, phones, boards, updated_at) VALUES (?, ?, ?, ?, ?)""",
                    [self.process, workshop_id, phones, boards, clock],
                )
            self._written[workshop_id] = (phones, boards, clock)
        total_phones, total_boards = store.db.execute(
            """SELECT coalesce(sum(phones), 0), coalesce(sum(boards), 0) FROM presence
               WHERE workshop_id = ? AND updated_at > ?""",
            [workshop_id, clock - FRESH_SECONDS],
        ).fetchone()
        return {"phones": total_phones, "boards": total_boards}
