"""Workshops: create one with its plan sections and prompts, read it, change its phase."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from workshop.core import protocol
from workshop.core.codes import JOIN_CODE_LENGTH, normalise, random_code
from workshop.core.db import Store, new_id
from workshop.core.errors import Conflict, Gone, Invalid, NoSuchWorkshop, Phrase
from workshop.core.i18n import N_, translations
from workshop.core.settings import (
    PHASE_NAMES,
    default_workshop_settings,
    validate_workshop_settings,
)
from workshop.core.text import clean_text
from workshop.workshops.projection import (
    check_projection,
    default_projection,
    projection_of,
    store_projection,
)

PHASES = PHASE_NAMES

TITLE_MAX = 120
DESCRIPTION_MAX = 2000
SECTION_BODY_MAX = 5000
PROMPT_MAX = 200
MAX_SECTIONS = 30
MAX_PROMPTS = 30

# The parts of an open-data intervention plan (Tactical Data Engagement, step 3: Design).
# The seed's plan parts: a new workshop without sections of its own gets them, in its language.
DEFAULT_SECTIONS: tuple[tuple[str, str], ...] = (
    (
        N_("Goal and use case"),
        N_("The single use case this plan supports, and what success looks like."),
    ),
    (N_("Intended users"), N_("Who will use the data, and what they need from it.")),
    (N_("Roles"), N_("Who does what: the agency, partners, community groups, residents.")),
    (N_("Timeline"), N_("When each part happens, from kickoff to hand-over.")),
    (
        N_("Activities"),
        N_("Workshops, tools, trainings and outreach the plan will carry out."),
    ),
    (
        N_("Data needed"),
        N_("Which datasets, in what form, how fresh, and who publishes them."),
    ),
    (
        N_("Who houses and sustains it"),
        N_("Who hosts the project and keeps it going once the government's role is complete."),
    ),
)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def create_workshop(
    store: Store,
    *,
    title: Any,
    description: Any = None,
    sections: Any = None,
    prompts: Any = None,
    settings: Any = None,
) -> dict:
    """Create a workshop with a fresh join code; ``sections`` default to the seed's plan parts.

    A prompt's ``section`` is the title of one of the sections given.
    """
    title = clean_text(title, field=N_("title"), max_length=TITLE_MAX)
    description = clean_text(
        description, field=N_("description"), max_length=DESCRIPTION_MAX, required=False
    )
    defaults = sections is None
    if defaults:
        sections = [{"title": t, "body": b} for t, b in DEFAULT_SECTIONS]
    section_rows = check_sections(sections)
    prompt_rows = check_prompts(prompts or [], [row["title"] for row in section_rows])
    settings = validate_workshop_settings(settings)
    if defaults:  # the default plan in the workshop's language; prompts may name it in English
        words = translations(settings["language"]).gettext
        titles = {row["title"]: words(row["title"]) for row in section_rows}
        section_rows = [
            {**row, "title": titles[row["title"]], "body": words(row["body"])}
            for row in section_rows
        ]
        prompt_rows = [{**row, "section": titles.get(row["section"])} for row in prompt_rows]

    with store.transaction() as db:
        code = _unused_join_code(db)
        workshop_id = new_id(
            db.table("workshops").insert(
                {
                    "code": code,
                    "title": title,
                    "description": description,
                    "phase": PHASES[0],
                    "settings": json.dumps(settings),
                    "seq": 0,
                    "created_at": now(),
                }
            )
        )
        section_ids = {}
        for position, row in enumerate(section_rows):
            section_ids[row["title"]] = new_id(
                db.table("sections").insert(
                    {"workshop_id": workshop_id, "position": position, **row}
                )
            )
        for position, row in enumerate(prompt_rows):
            db.table("prompts").insert(
                {
                    "workshop_id": workshop_id,
                    "text": row["text"],
                    "section_id": section_ids.get(row["section"]),
                    "position": position,
                }
            )
    return get_workshop(store.db, code)


def check_sections(sections: Any) -> list[dict]:
    if not isinstance(sections, list):
        raise Invalid("sections must be a list")
    if len(sections) > MAX_SECTIONS:
        raise Invalid("a plan has at most %(limit)s sections", limit=MAX_SECTIONS)
    rows, seen = [], set()
    for number, section in enumerate(sections, start=1):
        if not isinstance(section, dict):
            raise Invalid("section %(number)s must be an object with a title", number=number)
        title = clean_text(
            section.get("title"),
            field=Phrase(N_("section %(number)s title"), number=number),
            max_length=80,
        )
        if title.casefold() in seen:
            raise Invalid("two sections are called '%(title)s'", title=title)
        seen.add(title.casefold())
        body = clean_text(
            section.get("body"),
            field=Phrase(N_("section %(number)s body"), number=number),
            max_length=SECTION_BODY_MAX,
            required=False,
        )
        rows.append({"title": title, "body": body})
    return rows


def check_prompts(prompts: Any, section_titles: list[str]) -> list[dict]:
    if not isinstance(prompts, list):
        raise Invalid("prompts must be a list")
    if len(prompts) > MAX_PROMPTS:
        raise Invalid("a workshop has at most %(limit)s prompts", limit=MAX_PROMPTS)
    by_name = {title.casefold(): title for title in section_titles}
    rows = []
    for number, prompt in enumerate(prompts, start=1):
        if isinstance(prompt, str):
            prompt = {"text": prompt}
        if not isinstance(prompt, dict):
            raise Invalid("prompt %(number)s must be text or an object with text", number=number)
        text = clean_text(
            prompt.get("text"),
            field=Phrase(N_("prompt %(number)s"), number=number),
            max_length=PROMPT_MAX,
        )
        section = prompt.get("section")
        if section is not None:
            if not isinstance(section, str) or section.strip().casefold() not in by_name:
                raise Invalid(
                    "prompt %(number)s names a section not in the plan: '%(section)s'",
                    number=number,
                    section=section,
                )
            section = by_name[section.strip().casefold()]
        rows.append({"text": text, "section": section})
    return rows


def _unused_join_code(db: Database) -> str:
    for _ in range(100):
        code = random_code(JOIN_CODE_LENGTH)
        if not db.execute("SELECT 1 FROM workshops WHERE code = ?", [code]).fetchone():
            return code
    raise RuntimeError("no free join code left")  # 194,481 codes: not reached in practice


def workshop_row(db: Database, code: Any) -> dict:
    """The workshops row for a join code (case and dashes ignored), or :class:`NotFound`."""
    if not isinstance(code, str):
        raise NoSuchWorkshop("no workshop with that code")
    # Raw SQL: sqlite-utils' rows_where looks the table up in sqlite_master twice a call,
    # and this runs several times for every note posted (bench/realtime.py).
    cursor = db.execute("SELECT * FROM workshops WHERE code = ? LIMIT 1", [normalise(code)])
    columns = [column[0] for column in cursor.description]
    rows = [dict(zip(columns, found, strict=True)) for found in cursor.fetchall()]
    if not rows:
        raise NoSuchWorkshop("no workshop with the code '%(code)s'", code=code[:12])
    row = rows[0]
    # Settings added after a workshop was made take their defaults.
    row["settings"] = {**default_workshop_settings(), **json.loads(row["settings"])}
    row["revealed"] = json.loads(row.get("revealed") or "{}")
    row["timer"] = json.loads(row["timer"]) if row.get("timer") else None
    return row


def get_workshop(db: Database, code: Any) -> dict:
    """The workshop with its sections and prompts, as the API shows it (without join_url)."""
    row = workshop_row(db, code)
    return {
        "code": row["code"],
        "title": row["title"],
        "description": row["description"],
        "phase": row["phase"],
        "settings": row["settings"],
        "revealed": row["revealed"],
        "timer": timer_state(row["timer"]),
        "projection": projection_of(row),
        "feedback_until": row.get("feedback_until"),
        "archived_at": row.get("archived_at"),
        "seq": row["seq"],
        "created_at": row["created_at"],
        "sections": list_sections(db, row["id"]),
        "prompts": [
            {"id": p["id"], "text": p["text"], "section_id": p["section_id"]}
            for p in db["prompts"].rows_where("workshop_id = ?", [row["id"]], order_by="position")
        ],
    }


def timer_state(timer: dict | None, clock: float | None = None) -> dict | None:
    """The timer as clients show it: seconds left now, running or paused, and the server's
    clock (so a phone with a wrong clock still counts down right)."""
    if not timer:
        return None
    clock = time.time() if clock is None else clock
    left = max(0.0, timer["ends_at"] - clock) if timer["running"] else timer["left"]
    return {**timer, "left": round(left, 1), "server_time": clock}


def list_sections(db: Database, workshop_id: int) -> list[dict]:
    return [
        {"id": s["id"], "title": s["title"], "body": s["body"], "position": s["position"]}
        for s in db["sections"].rows_where(
            "workshop_id = ? AND removed_at IS NULL", [workshop_id], order_by="position"
        )
    ]


# "notes": the notes the board shows, merged duplicates and hidden notes left out (one
# definition for every screen: docs/numbers.md, workshop.followup.participation).
NOTES_ON_BOARD = "n.merged_into IS NULL AND n.hidden = 0"


def list_workshops(db: Database) -> list[dict]:
    """Every workshop, newest first, with its note count (the notes its board shows)."""
    return [
        dict(zip(("code", "title", "phase", "created_at", "notes"), row, strict=True))
        for row in db.execute(
            f"""SELECT w.code, w.title, w.phase, w.created_at,
                       (SELECT count(*) FROM notes n
                        WHERE n.workshop_id = w.id AND {NOTES_ON_BOARD})
                FROM workshops w ORDER BY w.id DESC"""
        ).fetchall()
    ]


def workshops_after(db: Database, after_id: int) -> list[dict]:
    """Workshops made after the one with id ``after_id`` (0: all), oldest first: what a
    running server announces in its terminal, however they were made (the browser, `workshop
    new` in another terminal, an import)."""
    return [
        dict(row)
        for row in db.query(
            "SELECT id, code, title FROM workshops WHERE id > ? ORDER BY id", [after_id]
        )
    ]


# Read from indexes alone (notes_participants, votes_voter): boards get it twice a second
# while notes arrive.
PARTICIPANTS_SQL = """SELECT count(*) FROM (
    SELECT attendee_id AS who FROM notes WHERE workshop_id = :id AND attendee_id IS NOT NULL
    UNION SELECT attendee_id FROM votes WHERE workshop_id = :id
    UNION SELECT 'card:' || card_code FROM notes
        WHERE workshop_id = :id AND card_code IS NOT NULL AND attendee_id IS NULL)"""


def participants(db: Database, workshop_id: int) -> int:
    """How many took part: phones with a note or a dot, and paper cards with a note."""
    (count,) = db.execute(PARTICIPANTS_SQL, {"id": workshop_id}).fetchone()
    return count


def set_phase(store: Store, code: Any, phase: Any) -> dict:
    """Move the room to ``phase``; phones follow it, and the projector goes to the phase's
    own view (workshop.workshops.projection)."""
    if phase not in PHASES:
        raise Invalid("phase must be one of: %(choices)s", choices=", ".join(PHASES))
    with store.transaction() as db:
        row = workshop_row(db, code)
        refuse_changes_once_archived(row)
        db.table("workshops").update(row["id"], {"phase": phase})
        store.record(row["id"], protocol.PHASE_CHANGED, {"code": row["code"], "phase": phase})
        store_projection(store, row, default_projection(phase))
    return get_workshop(store.db, code)


# -- closed for good ---------------------------------------------------------------------
def archive_workshop(store: Store, code: Any) -> dict:
    """Close a workshop for good, after its session (phase ``closed``): its join code no
    longer opens the phone page or joins a phone (:func:`refuse_joining_once_archived`), its
    online comments end, and its phase cannot change again; its summary stays public. It
    cannot be undone (deleting it for good still can be done)."""
    with store.transaction() as db:
        row = workshop_row(db, code)
        if row.get("archived_at") is None:
            if row["phase"] != "closed":
                raise Conflict("close the workshop (phase closed) before closing it for good")
            archived = now()
            db.table("workshops").update(
                row["id"], {"archived_at": archived, "feedback_until": None}
            )
            store.record(
                row["id"],
                protocol.WORKSHOP_CHANGED,
                {"code": row["code"], "archived_at": archived, "feedback_until": None},
            )
    return get_workshop(store.db, code)


def refuse_joining_once_archived(row: dict) -> None:
    """410 for the phone page and joining once the workshop is closed for good."""
    if row.get("archived_at") is not None:
        raise Gone(
            "Workshop %(code)s is over and closed for good. What was heard and what happens "
            "next is on its summary page: /w/%(code)s/summary",
            code=row["code"],
        )


def refuse_changes_once_archived(row: dict) -> None:
    if row.get("archived_at") is not None:
        raise Conflict("workshop %(code)s is closed for good", code=row["code"])


def set_projection(store: Store, code: Any, data: Any) -> dict:
    """Choose what every public board shows (any of ``{view, prompt_id, frozen}``)."""
    with store.transaction() as db:
        row = workshop_row(db, code)
        return store_projection(store, row, check_projection(db, row, data))
