"""Deleting for good: a note that named someone, a whole workshop, workshops past retention.

Hiding a note can be undone; these cannot. Everything that holds the deleted words goes: the
rows and the note's earlier texts, its photo file, and the moderation log's copies (undo
snapshots and "was: …" summaries). SQLite leaves deleted bytes in free space and in its
write-ahead log, so a delete runs with ``secure_delete`` on and is followed by a VACUUM and
a WAL checkpoint that empties the log. Backups are whole-database snapshots: the same
delete is applied to each backup in the data dir (workshop.backups.scrub). A note or a
workshop is found in a backup by what never changes (join code, creation time, client_id),
not by its row id, which SQLite may have given to another row since.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from workshop.board.sorting import emit_group, group_items
from workshop.core import protocol
from workshop.core.codes import normalise
from workshop.core.db import WRITE_WAIT_SECONDS, Store
from workshop.core.errors import Invalid, NotFound
from workshop.core.i18n import N_
from workshop.core.images import remove_photo_file
from workshop.followup.roomphotos import photo_in_use
from workshop.notes.notes import emit_note, get_note
from workshop.records import backups
from workshop.records.exports import TABLES
from workshop.workshops.workshops import now, workshop_row

# moderation_log.undone_at for an entry that can never be undone (like an import's "imported").
FINAL = "cannot be undone"

NoteRef = tuple[str, str, str]  # join code, workshop created_at, client_id
WorkshopRef = tuple[str, str]  # join code, created_at


def delete_note_forever(
    store: Store, note_id: Any, *, photos_dir: Path | None = None, backups_dir: Path | None = None
) -> dict:
    """Delete a note and every trace of it, here and in the backups.

    Notes that were merged into it come back as notes of their own where it stood (they are
    other people's words); delete them too if they say the same thing.
    """
    note = get_note(store.db, note_id)
    ref: NoteRef = (note["workshop"], _created_at(store.db, note["workshop_id"]), note["client_id"])
    with _erasing(store):
        photo = _delete_note(store, ref)
    _remove_files(store.db, photos_dir, [photo])
    scrubbed = backups.scrub(backups_dir, lambda copy: _delete_note(copy, ref))
    return {"id": note["id"], "deleted": True, "backups_scrubbed": scrubbed}


def _created_at(db: Database, workshop_id: int) -> str:
    return db.execute("SELECT created_at FROM workshops WHERE id = ?", [workshop_id]).fetchone()[0]


def _delete_note(store: Store, ref: NoteRef) -> str | None:
    """Delete the note ``ref`` names in one transaction; return its photo file name."""
    with store.transaction() as db:
        found = db.execute(
            """SELECT n.id FROM notes n JOIN workshops w ON w.id = n.workshop_id
               WHERE w.code = ? AND w.created_at = ? AND n.client_id = ?""",
            list(ref),
        ).fetchone()
        if found is None:
            raise NotFound("no such note")
        note = get_note(db, found[0])
        note_id, workshop_id = note["id"], note["workshop_id"]
        revisions = [
            r[0] for r in db.execute("SELECT id FROM note_revisions WHERE note_id = ?", [note_id])
        ]
        children = [
            r[0] for r in db.execute("SELECT id FROM notes WHERE merged_into = ?", [note_id])
        ]
        for child in children:
            db.table("notes").update(
                child,
                {
                    "merged_into": None,
                    "section_id": note["section_id"],
                    "group_id": note["group_id"],
                    "position": note["position"],
                    "updated_at": now(),
                },
            )
        for statement in (
            "DELETE FROM votes WHERE note_id = ?",
            "DELETE FROM note_plus_ones WHERE note_id = ?",
            "DELETE FROM note_revisions WHERE note_id = ?",
            "DELETE FROM next_step_links WHERE note_id = ?",
            "DELETE FROM card_sort_placements WHERE note_id = ?",
            "UPDATE plan_ratings SET note_id = NULL WHERE note_id = ?",
            "DELETE FROM plan_revision_notes WHERE note_id = ?",  # the revision stays
            "DELETE FROM plan_step_notes WHERE note_id = ?",
        ):
            db.execute(statement, [note_id])
        _drop_from_lists(db, workshop_id, note_id)
        _scrub_log(db, workshop_id, note_id, revisions)
        db.table("notes").delete(note_id)
        group_gone = note["group_id"] is not None and not group_items(db, note["group_id"])
        if group_gone:
            db.table("groups").delete(note["group_id"])
        db.table("moderation_log").insert(
            {
                "workshop_id": workshop_id,
                "action": "delete",
                "summary": N_("Deleted note #%(note)s for good"),
                "summary_params": json.dumps({"note": note_id}),
                "note_ids": json.dumps([note_id]),
                "snapshot": "[]",
                "created_at": now(),
                "undone_at": FINAL,
            }
        )
        gone = {"id": note_id, "deleted": True}
        store.record(workshop_id, protocol.NOTE_DELETED, gone, attendee_id=note["attendee_id"])
        for other in [*children, *([note["merged_into"]] if note["merged_into"] else [])]:
            emit_note(store, db, other)
        if group_gone:
            emit_group(store, db, note["group_id"], workshop_id)
    return note["photo"]


def _drop_from_lists(db: Database, workshop_id: int, note_id: int) -> None:
    """Take the note's id out of the JSON lists that name notes (card sorts, plan edits)."""
    lists = [
        ("card_sorts", "SELECT id, note_ids FROM card_sorts WHERE workshop_id = ?"),
        (
            "section_revisions",
            """SELECT id, note_ids FROM section_revisions
               WHERE section_id IN (SELECT id FROM sections WHERE workshop_id = ?)""",
        ),
    ]
    for table, query in lists:
        for row_id, value in db.execute(query, [workshop_id]).fetchall():
            ids = json.loads(value)
            if note_id in ids:
                db.table(table).update(
                    row_id, {"note_ids": json.dumps([i for i in ids if i != note_id])}
                )


def _scrub_log(db: Database, workshop_id: int, note_id: int, revisions: list[int]) -> None:
    """Remove the note's text from the moderation log: its rows in undo snapshots (so no undo
    can bring it back) and the old text in "Edited note #N (was: …)" summaries."""
    edited = f"Edited note #{note_id} (was: "  # entries from before the log kept parameters
    entries = db.execute(
        "SELECT id, summary, summary_params, snapshot FROM moderation_log WHERE workshop_id = ?",
        [workshop_id],
    ).fetchall()
    for entry_id, summary, params_json, snapshot in entries:
        kept = []
        for table, row_id, row in json.loads(snapshot):
            if (table, row_id) == ("notes", note_id) or (
                table == "note_revisions"
                and (row_id in revisions or (row or {}).get("note_id") == note_id)
            ):
                continue
            if table == "notes" and row and row.get("merged_into") == note_id:
                row = {**row, "merged_into": None}
            kept.append([table, row_id, row])
        update: dict[str, str] = {}
        if json.dumps(kept) != json.dumps(json.loads(snapshot)):
            update["snapshot"] = json.dumps(kept)
        params = json.loads(params_json) if params_json else {}
        if summary.startswith(edited) or (params.get("note") == note_id and "text" in params):
            update["summary"] = N_("Edited note #%(note)s (text deleted)")
            update["summary_params"] = json.dumps({"note": note_id})
        if update:
            db.table("moderation_log").update(entry_id, update)


def delete_workshop(
    store: Store,
    code: Any,
    *,
    confirm: Any,
    photos_dir: Path | None = None,
    backups_dir: Path | None = None,
) -> dict:
    """Delete a workshop and everything in it: every row of every table that belongs to it
    (workshop.exports.TABLES, and any other table with a workshop_id), its photo files, and
    its copies in the backups. ``confirm`` must repeat the join code."""
    workshop = workshop_row(store.db, code)
    if not isinstance(confirm, str) or normalise(confirm) != workshop["code"]:
        raise Invalid(
            "to delete workshop %(code)s and everything in it for good, "
            'send {"confirm": "%(code)s"}',
            code=workshop["code"],
        )
    ref: WorkshopRef = (workshop["code"], workshop["created_at"])
    with _erasing(store):
        files, rows = _delete_workshop(store, ref)
    removed = _remove_files(store.db, photos_dir, files)
    scrubbed = backups.scrub(backups_dir, lambda copy: _delete_workshop(copy, ref))
    return {
        "code": workshop["code"],
        "deleted": True,
        "rows": rows,
        "photos": removed,
        "backups_scrubbed": scrubbed,
    }


def _delete_workshop(store: Store, ref: WorkshopRef) -> tuple[list[str], int]:
    """Delete the workshop ``ref`` names in one transaction; return its photo files (those
    its rows name, and file-name prefixes of its photos: ``room-CODE-`` and each card's code,
    which also find files a refused upload left before that was fixed) and the number of
    rows deleted."""
    with store.transaction() as db:
        found = db.execute(
            "SELECT id FROM workshops WHERE code = ? AND created_at = ?", list(ref)
        ).fetchone()
        if found is None:
            raise NotFound("no workshop %(code)s", code=ref[0])
        params = {"w": found[0]}
        files = [
            r[0]
            for r in db.execute(
                "SELECT photo FROM notes WHERE workshop_id = :w AND photo IS NOT NULL", params
            )
        ]
        files += [
            r[0] for r in db.execute("SELECT file FROM room_photos WHERE workshop_id = :w", params)
        ]
        files += [f"room-{ref[0]}-*"] + [
            f"{r[0]}-*" for r in db.execute("SELECT code FROM cards WHERE workshop_id = :w", params)
        ]
        rows = 0
        for table, where in deletion_order(db):
            rows += db.execute(f"DELETE FROM {table} WHERE {where}", params).rowcount
    return files, rows


def deletion_order(db: Database) -> list[tuple[str, str]]:
    """(table, where) for every table that holds a workshop's rows, children before the rows
    they point at: TABLES backwards, then any other table with a workshop_id (e.g. scribe
    links, which exports leave out), then the workshop itself."""
    order = [(table, TABLES[table][0]) for table in reversed(TABLES) if table != "workshops"]
    for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        columns = {column.name for column in db[table].columns}
        if table not in TABLES and "workshop_id" in columns:
            order.append((table, "workshop_id = :w"))
    order.append(("workshops", TABLES["workshops"][0]))
    return order


def workshops_older_than(db: Database, days: Any) -> list[dict]:
    """Workshops created more than ``days`` ago whose online feedback window is not open."""
    if isinstance(days, bool) or not isinstance(days, int | float) or days < 0:
        raise Invalid("days must be a number of days, 0 or more")
    cutoff = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="milliseconds")
    rows = db.execute(
        """SELECT code, title, created_at FROM workshops
           WHERE created_at < ? AND (feedback_until IS NULL OR feedback_until < ?)
           ORDER BY created_at""",
        [cutoff, now()],
    ).fetchall()
    return [dict(zip(("code", "title", "created_at"), row, strict=True)) for row in rows]


@contextmanager
def _erasing(store: Store) -> Iterator[None]:
    """Delete with secure_delete on; then VACUUM (no old bytes left in free pages, including
    texts overwritten before) and fold the write-ahead log into the database and empty it."""
    conn = store.db.conn
    with store.lock:
        (before,) = conn.execute("PRAGMA secure_delete").fetchone()
        conn.execute("PRAGMA secure_delete=ON")
        try:
            yield
        finally:
            conn.execute(f"PRAGMA secure_delete={int(before)}")
        _vacuum(conn)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _vacuum(conn: sqlite3.Connection) -> None:
    """VACUUM, waiting (cooperatively) like a write for another process's lock to go."""
    deadline = time.monotonic() + WRITE_WAIT_SECONDS
    while True:
        try:
            conn.execute("VACUUM")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
        time.sleep(0.05)


def _remove_files(db: Database, folder: Path | None, names: Iterable[str | None]) -> int:
    """Delete these photo files (a name ending in ``-*`` is a prefix), except any a row left
    in the database still names (a workshop imported twice shares its photos' names)."""
    if folder is None or not folder.is_dir():
        return 0
    found: set[str] = set()
    for name in names:
        if not name or "/" in name or "\\" in name or name.startswith("."):
            continue
        if name.endswith("-*"):
            found.update(p.name for p in folder.iterdir() if p.name.startswith(name[:-1]))
        else:
            found.add(name)
    return sum(
        remove_photo_file(folder, name) for name in sorted(found) if not photo_in_use(db, name)
    )
