"""Exports: the complete workshop as JSON (and back), one CSV row per note.

``export_json`` holds every row of every table that belongs to the workshop, and the photo
files as base64, so ``import_json`` can restore it exactly on another laptop: the same ids
where they are free (a fresh laptop), new ones where they are taken.
"""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from workshop.core.codes import JOIN_CODE_LENGTH, random_code
from workshop.core.db import Store
from workshop.core.errors import Invalid
from workshop.core.files import private_dir, write_private
from workshop.followup import nextsteps, reportdata
from workshop.notes import notes
from workshop.plans import transfer
from workshop.voting import ballots
from workshop.workshops.workshops import workshop_row

FORMAT = "workshop-companion/1"

# table -> (how its rows belong to a workshop, its id column or None, references to remap)
# A reference is (column, table it points to).
TABLES: dict[str, tuple[str, str | None, tuple[tuple[str, str], ...]]] = {
    "workshops": ("id = :w", "id", ()),
    "sections": ("workshop_id = :w", "id", (("workshop_id", "workshops"),)),
    "prompts": (
        "workshop_id = :w",
        "id",
        (("workshop_id", "workshops"), ("section_id", "sections")),
    ),
    "attendees": ("workshop_id = :w", None, (("workshop_id", "workshops"),)),
    "cards": ("workshop_id = :w", None, (("workshop_id", "workshops"), ("prompt_id", "prompts"))),
    "groups": (
        "workshop_id = :w",
        "id",
        (("workshop_id", "workshops"), ("section_id", "sections")),
    ),
    "notes": (
        "workshop_id = :w",
        "id",
        (
            ("workshop_id", "workshops"),
            ("prompt_id", "prompts"),
            ("section_id", "sections"),
            ("group_id", "groups"),
            ("merged_into", "notes"),
        ),
    ),
    "votes": (
        "workshop_id = :w",
        "id",
        (("workshop_id", "workshops"), ("note_id", "notes"), ("group_id", "groups")),
    ),
    "note_plus_ones": (
        "workshop_id = :w",
        "id",
        (("workshop_id", "workshops"), ("note_id", "notes")),
    ),
    "note_revisions": (
        "note_id IN (SELECT id FROM notes WHERE workshop_id = :w)",
        "id",
        (("note_id", "notes"),),
    ),
    "section_revisions": (
        "section_id IN (SELECT id FROM sections WHERE workshop_id = :w)",
        "id",
        (("section_id", "sections"),),
    ),
    "moderation_log": ("workshop_id = :w", "id", (("workshop_id", "workshops"),)),
    "card_sorts": ("workshop_id = :w", "id", (("workshop_id", "workshops"),)),
    "card_sort_placements": (
        "sort_id IN (SELECT id FROM card_sorts WHERE workshop_id = :w)",
        None,
        (("sort_id", "card_sorts"), ("note_id", "notes"), ("section_id", "sections")),
    ),
    "plan_checks": ("workshop_id = :w", "id", (("workshop_id", "workshops"),)),
    "plan_ratings": (
        "check_id IN (SELECT id FROM plan_checks WHERE workshop_id = :w)",
        None,
        (("check_id", "plan_checks"), ("section_id", "sections"), ("note_id", "notes")),
    ),
    "next_steps": ("workshop_id = :w", "id", (("workshop_id", "workshops"),)),
    "next_step_links": (
        "next_step_id IN (SELECT id FROM next_steps WHERE workshop_id = :w)",
        None,
        (("next_step_id", "next_steps"), ("note_id", "notes")),
    ),
    "room_photos": ("workshop_id = :w", "id", (("workshop_id", "workshops"),)),
}


def export_json(db: Database, code: Any, photos_dir: Path | None) -> dict:
    """Every row of the workshop, table by table, and its photo files."""
    workshop = workshop_row(db, code)
    tables = {}
    for table, (where, id_column, _) in TABLES.items():
        order = f" ORDER BY {id_column}" if id_column else ""
        cursor = db.execute(f"SELECT * FROM {table} WHERE {where}{order}", {"w": workshop["id"]})
        columns = [c[0] for c in cursor.description]
        tables[table] = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    tables["attendees"].sort(key=lambda r: r["id"])  # no integer id: a stable order anyway
    tables["cards"].sort(key=lambda r: r["code"])
    files = {}
    names = [n["photo"] for n in tables["notes"] if n["photo"]]
    names += [p["file"] for p in tables["room_photos"]]
    for name in names:
        path = (photos_dir / name) if photos_dir else None
        if path is not None and path.is_file():
            files[name] = base64.b64encode(path.read_bytes()).decode("ascii")
    # Read by people, ignored by an import: the record's integrity and its ballots, the same
    # facts as the report (workshop.followup.reportdata, workshop.voting.ballots).
    exported = {
        "format": FORMAT,
        "tables": tables,
        "files": files,
        "integrity": reportdata.integrity(db, code),
        "ballots": ballots.ballot_report(db, code),
    }
    plan = transfer.export_block(db, workshop["id"])
    if plan is not None:  # a session of a plan: which plan, and which of its sections
        exported["plan"] = plan
    return exported


def import_json(store: Store, data: Any, photos_dir: Path | None) -> str:
    """Restore an exported workshop; return its join code (a new one if the old is taken)."""
    return import_export(store, data, photos_dir)[0]


def import_export(store: Store, data: Any, photos_dir: Path | None) -> tuple[str, bool]:
    """:func:`import_json`, also saying whether anything was added.

    A session of a plan joins that plan here (workshop.plans.transfer); a session already
    here is not imported again: its code is returned and nothing changes."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise Invalid("not a workshop export (expected format '%(format)s')", format=FORMAT)
    tables = data.get("tables")
    if not isinstance(tables, dict) or len(tables.get("workshops") or []) != 1:
        raise Invalid("the export must hold exactly one workshop")
    plan = transfer.check_block(data["plan"]) if data.get("plan") is not None else None
    with store.transaction() as db:
        if plan is not None and (known := transfer.imported_already(db, plan)):
            return known, False
        remap: dict[str, dict[Any, Any]] = {table: {} for table in TABLES}
        for table, (_, id_column, references) in TABLES.items():
            deferred = []  # references within the table (a note merged into a later note)
            for row in tables.get(table) or []:
                row = dict(row)
                if table == "votes" and row.get("group_id") not in remap["groups"]:
                    # A dot on a group dissolved before the export counts on its note
                    # (workshop.voting.tally); its old id may be another group's here.
                    row["group_id"] = None
                for column, target in references:
                    if target == table:
                        deferred.append((row.get(id_column), column, row.get(column)))
                    elif row.get(column) is not None and row[column] in remap[target]:
                        row[column] = remap[target][row[column]]
                if table == "workshops":
                    row["code"] = _free_code(db, row["code"])
                    row["seq"] = row.get("seq", 0)
                if (
                    table == "cards"
                    and db.execute("SELECT 1 FROM cards WHERE code = ?", [row["code"]]).fetchone()
                ):
                    raise Invalid("card %(code)s already exists on this laptop", code=row["code"])
                if id_column:
                    old = row[id_column]
                    taken = db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [old]).fetchone()
                    if taken:
                        del row[id_column]
                    new = db.table(table).insert(row).last_pk
                    remap[table][old] = new
                else:
                    db.table(table).insert(row)
            for old_id, column, value in deferred:
                if value is not None and remap[table].get(value, value) != value:
                    db.table(table).update(remap[table][old_id], {column: remap[table][value]})
        if any(old != new for mapping in remap.values() for old, new in mapping.items()):
            # Undo snapshots name the old ids: keep the log, but it cannot be undone here.
            workshop_id = remap["workshops"][tables["workshops"][0]["id"]]
            db.execute(
                "UPDATE moderation_log SET undone_at = coalesce(undone_at, 'imported')"
                " WHERE workshop_id = ?",
                [workshop_id],
            )
        workshop_id = remap["workshops"][tables["workshops"][0]["id"]]
        if plan is not None:
            transfer.attach(db, plan, workshop_id, remap["sections"])
        code = db.execute("SELECT code FROM workshops WHERE id = ?", [workshop_id]).fetchone()[0]
    if photos_dir is not None:
        private_dir(photos_dir)
        for name, content in (data.get("files") or {}).items():
            if "/" in name or "\\" in name or name.startswith("."):
                continue  # only plain file names, never a path out of the folder
            write_private(photos_dir / name, base64.b64decode(content))
    return code, True


def _free_code(db: Database, code: str) -> str:
    while db.execute("SELECT 1 FROM workshops WHERE code = ?", [code]).fetchone():
        code = random_code(JOIN_CODE_LENGTH)
    return code


CSV_COLUMNS = (
    "id",
    "created_at",
    "text",
    "section",
    "group",
    "prompt",
    "votes",
    "plus_ones",
    "source",
    "card_code",
    "author",
    "hidden",
    "merged_into",
    "outcome",
    "outcome_detail",
    "withdrawn",
    "edited",
)


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas: a cell starting with = + - @ (or a tab or CR) is text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_csv(db: Database, code: Any) -> Iterator[str]:
    """One row per note (hidden, merged and withdrawn ones included, marked; ``edited`` when
    its text changed after posting), streamed line by line."""
    workshop = workshop_row(db, code)
    sections = dict(
        db.execute("SELECT id, title FROM sections WHERE workshop_id = ?", [workshop["id"]])
    )
    groups = dict(
        db.execute("SELECT id, label FROM groups WHERE workshop_id = ?", [workshop["id"]])
    )
    prompts = dict(
        db.execute("SELECT id, text FROM prompts WHERE workshop_id = ?", [workshop["id"]])
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values: list) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([safe_cell(v) for v in values])
        return buffer.getvalue()

    # A byte-order mark first: without it Excel on Windows reads the file as its local code
    # page and garbles "español" and emoji; Python reads it back with encoding="utf-8-sig".
    yield "\ufeff" + line(list(CSV_COLUMNS))
    everything = notes.list_notes(db, code, include_hidden=True)
    merged = [m["id"] for n in everything for m in n["merged"]]
    for note in everything + [notes.get_note_json(db, i) for i in merged]:
        outcome, detail = nextsteps.outcome_of(db, note)
        yield line(
            [
                note["id"],
                note["created_at"],
                note["text"],
                sections.get(note["section_id"], ""),
                groups.get(note["group_id"], ""),
                prompts.get(note["prompt_id"], ""),
                note["votes"],
                note["plus_ones"],
                "online" if note["online"] else note["source"],
                note["card_code"] or "",
                note["author_label"] or "",
                note["hidden"],
                note["merged_into"] or "",
                outcome or "",
                detail or "",
                note["withdrawn"],
                note["edited"],
            ]
        )


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
