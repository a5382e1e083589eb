"""The wire protocol in one place: socket event names, views and rooms.

The browser gets these names from the page (``protocol_json()`` rendered into a
``<script type="application/json">`` block), so they are never typed twice.
"""

from __future__ import annotations

from typing import Any

# Server → client events. Every payload is the whole current object plus the workshop's seq.
NOTE_CREATED = "note.created"
NOTE_UPDATED = "note.updated"
NOTE_DELETED = "note.deleted"
VOTES_CHANGED = "votes.changed"
PHASE_CHANGED = "phase.changed"
SECTION_CHANGED = "section.changed"
NEXT_STEP_CHANGED = "next_step.changed"
TIMER_CHANGED = "timer.changed"
WORKSHOP_CHANGED = "workshop.changed"
SORT_CHANGED = "sort.changed"
CHECK_CHANGED = "check.changed"
GROUP_CHANGED = "group.changed"
GROUP_DELETED = "group.deleted"
PHOTO_CHANGED = "photo.changed"
PROJECTION_CHANGED = "projection.changed"
PRESENCE = "presence"
WELCOME = "welcome"
BATCH = "batch"

SERVER_EVENTS: dict[str, str] = {
    NOTE_CREATED: "A note was posted. Payload: the note.",
    NOTE_UPDATED: "A note changed (edited, moved, hidden, withdrawn by its author). Payload: "
    "the note; non-facilitator views get only {id, hidden: true} for a hidden note and "
    "{id, withdrawn: true} for a withdrawn one.",
    NOTE_DELETED: "The facilitator deleted a note for good. Payload: {id, deleted: true}.",
    VOTES_CHANGED: "A note's dot count changed. Payload: {note_id, votes}; votes is null "
    "for the room while tallies are hidden.",
    PHASE_CHANGED: "The facilitator moved the room to another phase. Payload: {code, phase}.",
    SECTION_CHANGED: "A plan section was added, edited, moved or removed. Payload: the "
    "section, with removed: true once removed.",
    TIMER_CHANGED: "The facilitator started, paused, extended or stopped the timer. Payload: "
    "{code, timer: {running, left, total, label, ends_at, server_time} or null}.",
    WORKSHOP_CHANGED: "Settings or reveals changed. Payload: {code, settings} or {code, "
    "revealed}; screens fetch the state again.",
    SORT_CHANGED: "A card sort started, progressed or ended. Payload: {id, workshop, "
    "note_ids, started_at, closed_at, participants}.",
    CHECK_CHANGED: "The plan check opened, closed or got a rating. Payload: its results "
    "{id, open, participants, sections: [{section_id, title, counts, comment_note_ids}]}.",
    GROUP_CHANGED: "A group of notes was made, renamed or moved. Payload: the group.",
    GROUP_DELETED: "A group was dissolved (its notes stay). Payload: {id, deleted: true}.",
    NEXT_STEP_CHANGED: "A next step was recorded, changed or removed. Payload: the next "
    "step, or {id, deleted: true}.",
    PROJECTION_CHANGED: "The facilitator chose what the projector shows, or froze or showed "
    "it again; a change of phase sends it too. Payload: {code, view, prompt_id, frozen}.",
    PHOTO_CHANGED: "A photo of the room's paper was added, captioned or removed.",
    PRESENCE: "How many phones and boards are connected and how many took part (boards "
    "only, at most twice a second). Payload: {phones, boards, participants, seq}; seq is "
    "the latest, not a new one.",
    BATCH: "To phones that connect with auth.batch = true (the app's own phone page): the "
    "room's changes of one flush in one message. Payload: {events: [[name, payload], ...]} "
    "in seq order; a note's payload there carries only the fields the phone page reads "
    "(PHONE_NOTE_FIELDS).",
    WELCOME: "Sent once on connect. Payload: {role, seq}; a client whose last seen seq "
    "differs fetches the state again.",
}

# Client → server events: none. Every change goes through the HTTP API, where the role is
# checked; the socket only delivers. (python-socketio ignores events without a handler.)
CLIENT_EVENTS: dict[str, str] = {}

VIEWS = ("board", "phone")

# What the phone page's batches carry of a note: every field one of its modules reads (its
# own notes, the vote, the card sort), and the seq. The whole note is three times the bytes,
# sent to every phone in the room over the venue's Wi-Fi; with a thousand phones in a burst
# those bytes were most of the laptop's work and memory (docs/performance.md). A phone's own
# notes are read whole from the API; named events (auth without batch) stay whole objects.
PHONE_NOTE_FIELDS = (
    "id",
    "text",
    "color",
    "prompt_id",
    "section_id",
    "position",
    "group_id",
    "hidden",
    "withdrawn",
    "blind",
    "merged_into",
    "sorted",
    "seq",
)


def for_phone_page(name: str, payload: dict[str, Any]) -> dict[str, Any]:
    """An event's payload as the phone page's batch carries it (see PHONE_NOTE_FIELDS)."""
    if name not in (NOTE_CREATED, NOTE_UPDATED):
        return payload
    return {field: payload[field] for field in PHONE_NOTE_FIELDS if field in payload}


# How long phone views wait before the room's changes are sent to them in one go.
PHONE_BATCH_SECONDS = 0.5


def room(code: str, audience: str) -> str:
    """Room names: ``KX7P/board`` (public boards), ``KX7P/facilitator`` (every view of the
    facilitator's), ``KX7P/phone`` (attendees' phones)."""
    return f"{code}/{audience}"


def protocol_json() -> dict[str, Any]:
    """What the browser needs to speak the protocol."""
    return {
        "events": {
            "noteCreated": NOTE_CREATED,
            "noteUpdated": NOTE_UPDATED,
            "noteDeleted": NOTE_DELETED,
            "votesChanged": VOTES_CHANGED,
            "phaseChanged": PHASE_CHANGED,
            "sectionChanged": SECTION_CHANGED,
            "groupChanged": GROUP_CHANGED,
            "sortChanged": SORT_CHANGED,
            "checkChanged": CHECK_CHANGED,
            "timerChanged": TIMER_CHANGED,
            "workshopChanged": WORKSHOP_CHANGED,
            "groupDeleted": GROUP_DELETED,
            "nextStepChanged": NEXT_STEP_CHANGED,
            "photoChanged": PHOTO_CHANGED,
            "projectionChanged": PROJECTION_CHANGED,
            "presence": PRESENCE,
            "welcome": WELCOME,
            "batch": BATCH,
        },
        "views": list(VIEWS),
    }
