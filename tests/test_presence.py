"""Presence rows (workshop/realtime/presence.py): a process writes its counts when they
change or fall due, not at every flush; the totals add every fresh process's counts."""

from __future__ import annotations

from workshop.realtime.presence import Reports
from workshop.workshops import workshops


def writes(store) -> int:
    """Rows changed on this connection so far (SQLite's total_changes)."""
    return store.db.conn.total_changes


def test_an_unchanged_count_is_not_written_again_until_it_is_due(store):
    workshop_id = workshops.workshop_row(
        store.db, workshops.create_workshop(store, title="Parks")["code"]
    )["id"]
    here = Reports("a")
    before = writes(store)
    assert {"phones": 3, "boards": 1} == here.report(store, workshop_id, 3, 1)
    assert before + 1 == writes(store)
    for _ in range(5):
        assert {"phones": 3, "boards": 1} == here.report(store, workshop_id, 3, 1)
    assert before + 1 == writes(store)  # unchanged: read, not written

    assert {"phones": 4, "boards": 1} == here.report(store, workshop_id, 4, 1)
    assert before + 2 == writes(store)
    assert [("a", 4, 1)] == store.db.execute(
        "SELECT process, phones, boards FROM presence"
    ).fetchall()

    due = Reports("a", rewrite_seconds=0)  # its heartbeat is always due
    due.report(store, workshop_id, 4, 1)
    due.report(store, workshop_id, 4, 1)
    assert before + 4 == writes(store)


def test_the_totals_add_up_every_process(store):
    workshop_id = workshops.workshop_row(
        store.db, workshops.create_workshop(store, title="Parks")["code"]
    )["id"]
    Reports("a").report(store, workshop_id, 3, 1)
    assert {"phones": 5, "boards": 3} == Reports("b").report(store, workshop_id, 2, 2)
