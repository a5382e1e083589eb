"""Workshops: create one with its plan sections and prompts, read it, change its phase."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from workshop.codes import JOIN_CODE_LENGTH, normalise, random_code
from workshop.db import Store
from workshop.errors import Invalid, NotFound
from workshop.settings import PHASE_NAMES, default_workshop_settings, validate_workshop_settings
from workshop.text import clean_text

PHASES = PHASE_NAMES

TITLE_MAX = 120
DESCRIPTION_MAX = 2000
SECTION_BODY_MAX = 5000
PROMPT_MAX = 200
MAX_SECTIONS = 30
MAX_PROMPTS = 30

# The parts of an open-data intervention plan (Tactical Data Engagement, step 3: Design).
DEFAULT_SECTIONS: tuple[tuple[str, str], ...] = (
    ("Goal and use case", "The single use case this plan supports, and what success looks like."),
    ("Intended users", "Who will use the data, and what they need from it."),
    ("Roles", "Who does what: the agency, partners, community groups, residents."),
    ("Timeline", "When each part happens, from kickoff to hand-over."),
    ("Activities", "Workshops, tools, trainings and outreach the plan will carry out."),
    ("Data needed", "Which datasets, in what form, how fresh, and who publishes them."),
    (
        "Who houses and sustains it",
        "Who hosts the project and keeps it going once the government's role is complete.",
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
    title = clean_text(title, field="title", max_length=TITLE_MAX)
    description = clean_text(
        description, field="description", max_length=DESCRIPTION_MAX, required=False
    )
    if sections is None:
        sections = [{"title": t, "body": b} for t, b in DEFAULT_SECTIONS]
    section_rows = _check_sections(sections)
    prompt_rows = _check_prompts(prompts or [], [row["title"] for row in section_rows])
    settings = validate_workshop_settings(settings)

    with store.transaction() as db:
        code = _unused_join_code(db)
        workshop_id = (
            db["workshops"]
            .insert(
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
            .last_pk
        )
        section_ids = {}
        for position, row in enumerate(section_rows):
            section_ids[row["title"]] = (
                db["sections"]
                .insert({"workshop_id": workshop_id, "position": position, **row})
                .last_pk
            )
        for position, row in enumerate(prompt_rows):
            db["prompts"].insert(
                {
                    "workshop_id": workshop_id,
                    "text": row["text"],
                    "section_id": section_ids.get(row["section"]),
                    "position": position,
                }
            )
    return get_workshop(store.db, code)


def _check_sections(sections: Any) -> list[dict]:
    if not isinstance(sections, list):
        raise Invalid("sections must be a list")
    if len(sections) > MAX_SECTIONS:
        raise Invalid(f"a plan has at most {MAX_SECTIONS} sections")
    rows, seen = [], set()
    for number, section in enumerate(sections, start=1):
        if not isinstance(section, dict):
            raise Invalid(f"section {number} must be an object with a title")
        title = clean_text(section.get("title"), field=f"section {number} title", max_length=80)
        if title.casefold() in seen:
            raise Invalid(f"two sections are called {title!r}")
        seen.add(title.casefold())
        body = clean_text(
            section.get("body"),
            field=f"section {number} body",
            max_length=SECTION_BODY_MAX,
            required=False,
        )
        rows.append({"title": title, "body": body})
    return rows


def _check_prompts(prompts: Any, section_titles: list[str]) -> list[dict]:
    if not isinstance(prompts, list):
        raise Invalid("prompts must be a list")
    if len(prompts) > MAX_PROMPTS:
        raise Invalid(f"a workshop has at most {MAX_PROMPTS} prompts")
    by_name = {title.casefold(): title for title in section_titles}
    rows = []
    for number, prompt in enumerate(prompts, start=1):
        if isinstance(prompt, str):
            prompt = {"text": prompt}
        if not isinstance(prompt, dict):
            raise Invalid(f"prompt {number} must be text or an object with text")
        text = clean_text(prompt.get("text"), field=f"prompt {number}", max_length=PROMPT_MAX)
        section = prompt.get("section")
        if section is not None:
            if not isinstance(section, str) or section.strip().casefold() not in by_name:
                raise Invalid(f"prompt {number} names a section not in the plan: {section!r}")
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
        raise NotFound("no workshop with that code")
    rows = list(db["workshops"].rows_where("code = ?", [normalise(code)], limit=1))
    if not rows:
        raise NotFound(f"no workshop with the code {code[:12]!r}")
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
        "feedback_until": row.get("feedback_until"),
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


def list_workshops(db: Database) -> list[dict]:
    """Every workshop, newest first, with its note count."""
    return [
        dict(zip(("code", "title", "phase", "created_at", "notes"), row, strict=True))
        for row in db.execute(
            """SELECT w.code, w.title, w.phase, w.created_at,
                      (SELECT count(*) FROM notes n WHERE n.workshop_id = w.id)
               FROM workshops w ORDER BY w.id DESC"""
        ).fetchall()
    ]


def participants(db: Database, workshop_id: int) -> int:
    """How many took part: phones with a note or a dot, and paper cards with a note."""
    (count,) = db.execute(
        """SELECT count(*) FROM (
               SELECT attendee_id AS who FROM notes
                   WHERE workshop_id = ? AND attendee_id IS NOT NULL
               UNION SELECT attendee_id FROM votes WHERE workshop_id = ?
               UNION SELECT 'card:' || card_code FROM notes
                   WHERE workshop_id = ? AND card_code IS NOT NULL AND attendee_id IS NULL)""",
        [workshop_id, workshop_id, workshop_id],
    ).fetchone()
    return count


def set_phase(store: Store, code: Any, phase: Any) -> dict:
    """Move the room to ``phase``; phones follow it."""
    if phase not in PHASES:
        raise Invalid(f"phase must be one of: {', '.join(PHASES)}")
    with store.transaction() as db:
        row = workshop_row(db, code)
        db["workshops"].update(row["id"], {"phase": phase})
        store.record(row["id"], "phase.changed", {"code": row["code"], "phase": phase})
    return get_workshop(store.db, code)
