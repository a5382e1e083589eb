"""What the room may do in each phase, as the domain decides it, for the screens to show.

The browser never works these rules out for itself: the workshop the server sends carries
``allowed`` (this module's answer for every phase, so a screen that hears "phase changed"
knows at once what now holds), and each page's data carries ``phase_labels`` (each phase's
name in the page's language). A setting, a reveal or the feedback window changing sends
workshop.changed, and the screens fetch the workshop again.

The rules are the ones the domain enforces: notes.create_note (writing), notes.public_json
(blind writing, hidden tallies), notes.plusones (a "+1" on another's note) and the votes
module (voting in the vote phase, one dot per note unless several are allowed).
"""

from __future__ import annotations

from collections.abc import Callable

from workshop.core.settings import PHASE_LABELS, PHASE_NAMES
from workshop.notes.notes import feedback_open


def writing_open(workshop: dict, phase: str) -> bool:
    """Phones may post notes: a writing phase, or after the session while the feedback
    window is open."""
    writing = str(workshop["settings"]["writing_phases"]).split(",")
    return phase in writing or feedback_open({**workshop, "phase": phase})


def blind(workshop: dict, phase: str) -> bool:
    """Blind writing holds: the room sees how many notes there are, not what they say."""
    settings, revealed = workshop["settings"], workshop.get("revealed") or {}
    return bool(settings["blind_writing"]) and phase == "gather" and not revealed.get("notes")


def tallies_shown(workshop: dict) -> bool:
    """The room sees the dot tallies (they may be hidden until the facilitator reveals them)."""
    revealed = workshop.get("revealed") or {}
    return not workshop["settings"]["hide_tallies"] or bool(revealed.get("tallies"))


def plus_one_open(workshop: dict, phase: str) -> bool:
    """A phone may give a note on the board its "+1" (workshop.notes.plusones): while it could
    write that note itself and can read the others (not blind), and not in the vote, where a
    dot says it instead."""
    return writing_open(workshop, phase) and not blind(workshop, phase) and not voting_open(phase)


def voting_open(phase: str) -> bool:
    return phase == "vote"


def several_dots(workshop: dict, phase: str) -> bool:
    """A voter may put more than one dot on the same note (or group) in this phase."""
    return voting_open(phase) and bool(workshop["settings"]["several_dots_per_note"])


def counting(phase: str) -> bool:
    """The dots count from the vote on: the board shows tallies and the ranked view, the
    console takes the physical dots' counts."""
    return PHASE_NAMES.index(phase) >= PHASE_NAMES.index("vote")


def allowed(workshop: dict) -> dict[str, dict[str, bool]]:
    """{phase: {write, plus_one, vote, several_dots, blind, tallies, counting}} for every
    phase, for ``workshop`` (the get_workshop dict: settings, revealed, feedback_until)."""
    return {
        phase: {
            "write": writing_open(workshop, phase),
            "plus_one": plus_one_open(workshop, phase),
            "vote": voting_open(phase),
            "several_dots": several_dots(workshop, phase),
            "blind": blind(workshop, phase),
            "tallies": tallies_shown(workshop),
            "counting": counting(phase),
        }
        for phase in PHASE_NAMES
    }


def phase_labels(gettext: Callable[[str], str]) -> dict[str, str]:
    """Each phase's name as the screens show it, through ``gettext`` (the page's language)."""
    return {phase: gettext(PHASE_LABELS[phase]) for phase in PHASE_NAMES}
