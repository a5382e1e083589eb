"""Notes: post one (exactly once per client_id), read them, edit, move, hide, withdraw."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from sqlite_utils import Database

from workshop.core import protocol
from workshop.core.db import Store
from workshop.core.errors import Conflict, Invalid, NotFound, Phrase
from workshop.core.i18n import N_
from workshop.core.settings import PHASE_LABELS
from workshop.core.text import clean_text, optional_id
from workshop.voting.tally import NOTE_PLUS_ONES, NOTE_TALLY
from workshop.workshops.workshops import now, workshop_row

COLORS = ("yellow", "pink", "blue", "green", "orange", "purple")
SOURCES = ("phone", "paper", "facilitator")
CLIENT_ID_MAX = 64
# What a note carries of its counts while the room's tallies are hidden: no number at all.
HIDDEN_COUNTS = {"votes": None, "paper_dots": None, "plus_ones": None}

# A note's tally (``votes``) and its "+1"s are workshop.voting.tally's rules, the ones every
# view shares.
_SELECT = f"""
    SELECT n.*, w.code AS workshop, {NOTE_TALLY} AS votes, {NOTE_PLUS_ONES} AS plus_ones
    FROM notes n JOIN workshops w ON w.id = n.workshop_id
"""


def note_json(row: dict) -> dict:
    """A note as the API and the socket events show it."""
    return {
        "id": row["id"],
        "workshop": row["workshop"],
        "text": row["text"],
        "color": row["color"],
        "source": row["source"],
        "prompt_id": row["prompt_id"],
        "section_id": row["section_id"],
        "position": row["position"],
        "group_id": row["group_id"],
        "hidden": bool(row["hidden"]),
        "withdrawn": row["withdrawn_at"] is not None,
        "withdrawn_at": row["withdrawn_at"],
        "votes": row["votes"],
        "paper_dots": row["paper_dots"],
        "plus_ones": row["plus_ones"],
        "card_code": row["card_code"],
        "author_label": row["author_label"],
        "sorted": bool(row["sorted"]),
        "entered_by": row["entered_by"],
        "photo": row["photo"],
        "awaiting_text": bool(row["awaiting_text"]),  # a scanned card nobody has typed yet
        "merged_into": row["merged_into"],
        "outcome": row["outcome"],
        "outcome_reason": row["outcome_reason"],
        "online": bool(row["online"]),
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def public_json(note: dict, workshop: dict | None = None) -> dict:
    """What a non-facilitator view may see of a note: nothing of a hidden one but its id;
    only that it exists while writing is blind; no tally while tallies are hidden.
    ``workshop`` is the workshops row (settings, phase, revealed). A note its author withdrew
    is gone from public views, like a hidden one."""
    if note.get("withdrawn"):
        return {"id": note["id"], "withdrawn": True}
    if note["hidden"]:
        return {"id": note["id"], "hidden": True}
    if workshop is None:
        return note
    settings, revealed = workshop["settings"], workshop["revealed"]
    if settings["blind_writing"] and workshop["phase"] == "gather" and not revealed.get("notes"):
        # Which question it answers, so the projector can count a question's answers.
        return {"id": note["id"], "blind": True, "prompt_id": note.get("prompt_id")}
    if tallies_hidden(workshop):
        return {**note, **HIDDEN_COUNTS}
    return note


def own_json(note: dict, code: Any, db: Database, *, workshop: dict | None = None) -> dict:
    """A note as its author or a scribe sees it (its text even when hidden), without its
    tally while the room's tallies are hidden. ``workshop``: its row, when the caller has it."""
    if "votes" in note and tallies_hidden(workshop or workshop_row(db, code)):
        return {**note, **HIDDEN_COUNTS}
    return note


def tallies_hidden(workshop: dict) -> bool:
    """Whether the room may not see counts now (``hide_tallies``, not yet revealed): then no
    answer, page, event or export a non-facilitator gets carries one."""
    return bool(workshop["settings"]["hide_tallies"] and not workshop["revealed"].get("tallies"))


def _note_row(db: Database, where: str, params: list) -> dict | None:
    cursor = db.execute(f"{_SELECT} WHERE {where}", params)
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([column[0] for column in cursor.description], row, strict=True))


def get_note(db: Database, note_id: Any) -> dict:
    if isinstance(note_id, bool) or not isinstance(note_id, int):
        raise NotFound("no such note")
    row = _note_row(db, "n.id = ?", [note_id])
    if row is None:
        raise NotFound("no note with id %(id)s", id=note_id)
    return row


def get_note_json(db: Database, note_id: Any) -> dict:
    """A note as the API shows it, with the notes merged into it."""
    note = note_json(get_note(db, note_id))
    return _with_merged(db, [note])[0]


def _with_merged(db: Database, notes: list[dict]) -> list[dict]:
    """Attach to each note the texts and authors of the notes merged into it, and the next
    steps that answer it."""
    ids = [note["id"] for note in notes]
    merged: dict[int, list[dict]] = {note_id: [] for note_id in ids}
    answered: dict[int, list[int]] = {note_id: [] for note_id in ids}
    edited: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for (note_id,) in db.execute(
            f"""SELECT DISTINCT note_id FROM note_revisions
                WHERE note_id IN ({", ".join("?" * len(chunk))})""",
            chunk,
        ):
            edited.add(note_id)
        for step_id, note_id in db.execute(
            f"""SELECT next_step_id, note_id FROM next_step_links
                WHERE note_id IN ({", ".join("?" * len(chunk))}) ORDER BY next_step_id""",
            chunk,
        ):
            answered[note_id].append(step_id)
        rows = db.execute(
            f"""SELECT id, merged_into, text, author_label, source, card_code FROM notes
                WHERE merged_into IN ({", ".join("?" * len(chunk))}) ORDER BY id""",
            chunk,
        ).fetchall()
        for row in rows:
            keys = ("id", "merged_into", "text", "author_label", "source", "card_code")
            item = dict(zip(keys, row, strict=True))
            merged[item.pop("merged_into")].append(item)
    return [
        {
            **note,
            "merged": merged[note["id"]],
            "next_step_ids": answered[note["id"]],
            "edited": note["id"] in edited,  # its text changed after posting (see history)
        }
        for note in notes
    ]


def list_notes(db: Database, code: Any, *, include_hidden: bool = False) -> list[dict]:
    """The workshop's notes in board order (section, position, id); withdrawn and hidden
    ones only for the facilitator."""
    workshop = workshop_row(db, code)
    where = "n.workshop_id = ? AND n.merged_into IS NULL"
    where += "" if include_hidden else " AND n.hidden = 0 AND n.withdrawn_at IS NULL"
    cursor = db.execute(f"{_SELECT} WHERE {where} ORDER BY n.position, n.id", [workshop["id"]])
    columns = [column[0] for column in cursor.description]
    notes = _with_merged(db, [note_json(dict(zip(columns, row, strict=True))) for row in cursor])
    return notes if include_hidden else [public_json(note, workshop) for note in notes]


def notes_by_attendee(db: Database, code: Any, attendee_id: str) -> list[dict]:
    """An attendee's own notes, hidden ones included, withdrawn ones not (they took them back)."""
    workshop = workshop_row(db, code)
    cursor = db.execute(
        f"""{_SELECT} WHERE n.workshop_id = ? AND n.attendee_id = ? AND n.withdrawn_at IS NULL
            ORDER BY n.id""",
        [workshop["id"], attendee_id],
    )
    columns = [column[0] for column in cursor.description]
    rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    notes = _with_merged(db, [note_json(row) for row in rows])
    return [{**note, "client_id": row["client_id"]} for note, row in zip(notes, rows, strict=True)]


def find_by_client_id(db: Database, code: Any, client_id: Any) -> dict | None:
    """The note already stored under ``client_id`` (a phone resending), if any."""
    return _stored_under(db, workshop_row(db, code), client_id)


def _stored_under(db: Database, workshop: dict, client_id: Any) -> dict | None:
    client_id = _check_client_id(client_id)
    found = db.execute(
        "SELECT id FROM notes WHERE workshop_id = ? AND client_id = ?", [workshop["id"], client_id]
    ).fetchone()
    return None if found is None else get_note_json(db, found[0])


def _new_note_json(row: dict, code: str) -> dict:
    """A note just inserted (``row``: the notes row as stored), as :func:`get_note_json`
    would read it, without its five queries: nothing is merged into it, answers it or has
    revised it yet, no one has given it a +1, and its tally is its own paper dots (none).
    tests/test_notes.py checks the two agree."""
    note = note_json({**row, "workshop": code, "votes": row["paper_dots"], "plus_ones": 0})
    return {**note, "merged": [], "next_step_ids": [], "edited": False}


def _check_client_id(client_id: Any) -> str:
    if not isinstance(client_id, str) or not client_id.strip():
        raise Invalid("client_id must be text (a random id the phone makes for each note)")
    if len(client_id) > CLIENT_ID_MAX:
        raise Invalid(
            "client_id is too long (the limit is %(limit)s characters)", limit=CLIENT_ID_MAX
        )
    return client_id


def feedback_open(workshop: dict) -> bool:
    """After the session, the facilitator may keep the workshop open for online comments."""
    until = workshop.get("feedback_until")
    return workshop["phase"] == "closed" and bool(until and until > now())


def writing_open(workshop: dict) -> bool:
    """Whether phones may write now: one of the workshop's writing phases, or the online
    feedback window after the session. Posting a note and an author's own edits ask this."""
    writing = workshop["settings"]["writing_phases"].split(",")
    return workshop["phase"] in writing or feedback_open(workshop)


def writing_closed(workshop: dict) -> Conflict:
    """The refusal when writing is closed, naming the phase the room is in."""
    return Conflict(
        "Writing is closed right now (now: %(phase)s).",
        phase=Phrase(PHASE_LABELS.get(workshop["phase"], workshop["phase"])),
    )


def post_note(
    store: Store,
    code: Any,
    *,
    allowance: Callable[[], None] | None = None,
    workshop: dict | None = None,
    **fields: Any,
) -> tuple[dict, bool]:
    """The one way a note is posted, whatever the channel (phone, no-JS form, printed card):
    a resend of a ``client_id`` already stored returns that note and costs nothing; otherwise
    ``allowance`` is taken (a phone's rate limit: it raises when spent), then the note is
    created. ``fields`` are :func:`create_note`'s; ``workshop``: its row, when the caller has
    just read it (it is read once for the whole post)."""
    workshop = workshop or workshop_row(store.db, code)
    existing = _stored_under(store.db, workshop, fields.get("client_id"))
    if existing is not None:
        return existing, False
    if allowance is not None:
        allowance()
    return create_note(store, code, workshop=workshop, **fields)


def create_note(
    store: Store,
    code: Any,
    *,
    text: Any,
    client_id: Any,
    attendee_id: str | None = None,
    prompt_id: Any = None,
    section_id: Any = None,
    color: Any = None,
    source: str = "phone",
    card_code: str | None = None,
    author_label: str | None = None,
    entered_by: str | None = None,
    photo: str | None = None,
    awaiting_text: bool = False,
    any_phase: bool = False,
    workshop: dict | None = None,
) -> tuple[dict, bool]:
    """Store a note; return it and whether it is new.

    The same ``client_id`` again returns the stored note and creates nothing, so a phone may
    resend a note whose acknowledgement it never received. The note is committed (durably)
    before this returns. ``workshop``: its workshops row, when the caller has just read it.
    """
    db = store.db
    workshop = workshop or workshop_row(db, code)
    client_id = _check_client_id(client_id)
    text = clean_text(text, field=N_("note"), max_length=workshop["settings"]["note_max_length"])
    prompt_id = optional_id(prompt_id, field="prompt_id")
    section_id = optional_id(section_id, field="section_id")
    if color is None:
        color = COLORS[0]
    if color not in COLORS:
        raise Invalid("color must be one of: %(choices)s", choices=", ".join(COLORS))
    if source not in SOURCES:
        raise Invalid("source must be one of: %(choices)s", choices=", ".join(SOURCES))
    online = source == "phone" and feedback_open(workshop)
    if source == "phone" and not any_phase and not writing_open(workshop):
        raise writing_closed(workshop)
    prompt_section = _prompt_section(db, workshop["id"], prompt_id)
    check_section(db, workshop["id"], section_id)
    if section_id is None:
        section_id = prompt_section

    def insert(db: Database) -> tuple[dict, bool]:
        stamp = now()
        try:
            row = {
                "workshop_id": workshop["id"],
                "client_id": client_id,
                "attendee_id": attendee_id,
                "text": text,
                "color": color,
                "source": source,
                "prompt_id": prompt_id,
                "section_id": section_id,
                "position": next_position(db, workshop["id"], section_id),
                "hidden": 0,
                "author_label": author_label,
                "card_code": card_code,
                "entered_by": entered_by,
                "photo": photo,
                "awaiting_text": int(bool(awaiting_text)),
                "online": int(online),
                "sorted": 0,
                "created_at": stamp,
                "updated_at": stamp,
            }
            # Raw SQL: sqlite-utils' insert looks up the schema on every call (the hot path).
            cursor = db.execute(
                f"INSERT INTO notes ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})"
                " RETURNING *",
                list(row.values()),
            )
            columns = [column[0] for column in cursor.description]
            inserted = dict(zip(columns, cursor.fetchone(), strict=True))
        except sqlite3.IntegrityError:  # stored first by another process, or earlier in this group
            existing = _note_row(
                db, "n.workshop_id = ? AND n.client_id = ?", [workshop["id"], client_id]
            )
            if existing is not None:
                return get_note_json(db, existing["id"]), False
            if card_code is not None:
                raise Conflict("This card was already entered.") from None
            raise
        note = _new_note_json(inserted, workshop["code"])
        store.record(
            workshop["id"],
            protocol.NOTE_CREATED,
            note,
            public=public_json(note, workshop),
            attendee_id=attendee_id,
        )
        return note, True

    # Many phones at once share one commit; each is answered only once it is on disk.
    return store.grouped(insert)


def _prompt_section(db: Database, workshop_id: int, prompt_id: int | None) -> int | None:
    """The section a prompt's answers go to (None for none), or NotFound for a prompt of
    another workshop."""
    if prompt_id is None:
        return None
    found = db.execute(
        "SELECT section_id FROM prompts WHERE id = ? AND workshop_id = ?", [prompt_id, workshop_id]
    ).fetchone()
    if not found:
        raise NotFound("no prompt %(id)s in this workshop", id=prompt_id)
    return found[0]


def check_section(db: Database, workshop_id: int, section_id: int | None) -> None:
    if section_id is None:
        return
    found = db.execute(
        "SELECT 1 FROM sections WHERE id = ? AND workshop_id = ? AND removed_at IS NULL",
        [section_id, workshop_id],
    ).fetchone()
    if not found:
        raise NotFound("no section %(id)s in this workshop", id=section_id)


def next_position(db: Database, workshop_id: int, section_id: int | None) -> float:
    (last,) = db.execute(
        "SELECT max(position) FROM notes WHERE workshop_id = ? AND section_id IS ?",
        [workshop_id, section_id],
    ).fetchone()
    return 1.0 if last is None else float(last) + 1.0


def emit_note(store: Store, db: Database, note_id: int) -> dict:
    """Record note.updated for a note as it now stands (public views get less if hidden)."""
    fresh = get_note_json(db, note_id)
    row = get_note(db, note_id)
    store.record(
        row["workshop_id"],
        protocol.NOTE_UPDATED,
        fresh,
        public=public_json(fresh, workshop_row(db, row["workshop"])),
        attendee_id=row["attendee_id"],
    )
    return fresh
