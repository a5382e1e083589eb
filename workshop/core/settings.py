"""Settings as data: one table each, from which --help, docs/settings.md and validation come.

A test checks docs/settings.md lists every setting here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workshop.core import i18n
from workshop.core.errors import Invalid
from workshop.core.i18n import N_


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    minimum: int | None = None
    maximum: int | None = None


# Per-workshop settings, stored with the workshop and changed by the facilitator.
WORKSHOP_SETTINGS: tuple[Setting, ...] = (
    Setting("votes_per_attendee", 3, N_("Dots each attendee may place when voting."), 0, 50),
    Setting("note_max_length", 280, N_("Longest note, in characters."), 20, 2000),
    Setting(
        "notes_per_minute", 20, N_("Notes one phone may post a minute (sustained rate)."), 1, 600
    ),
    Setting(
        "note_burst", 5, N_("Notes one phone may post at once before the rate applies."), 1, 100
    ),
    Setting("votes_per_minute", 60, N_("Dots one phone may place or take back a minute."), 1, 600),
    Setting(
        "ballots_per_address_burst",
        3,
        N_(
            "New ballots (phones placing their first dot) one address may open at once; "
            "raise it when the room's phones share one address (docs/security.md)."
        ),
        1,
        10_000,
    ),
    Setting(
        "ballots_per_address_per_minute",
        2,
        N_("New ballots one address may open a minute once its burst is spent."),
        1,
        10_000,
    ),
    Setting(
        "several_dots_per_note", False, N_("Whether one attendee may put several dots on a note.")
    ),
    Setting(
        "hide_tallies", False, N_("Hide vote counts from the room until the facilitator reveals.")
    ),
    Setting(
        "blind_writing", False, N_("During gather, the public board shows only the note count.")
    ),
    Setting(
        "writing_phases",
        "gather,sort",
        N_("Phases in which phones may post notes (comma-separated)."),
    ),
    Setting(
        "language",
        "en",
        N_(
            "Language of the board and the printed cards, signs and report (en, es). Each phone "
            "uses its own."
        ),
    ),
)

# Server settings, read from the environment (the CLI options override the first).
ENVIRONMENT: tuple[Setting, ...] = (
    Setting("WORKSHOP_DATA", "./workshop-data", "Data directory: database, secret key, uploads."),
    Setting(
        "WORKSHOP_FACILITATOR_TOKEN",
        None,
        "Fixes the facilitator token (otherwise a new one is made at each start).",
    ),
    Setting(
        "WORKSHOP_PROXY_HOPS",
        0,
        "How many proxies (nginx) stand in front of the server; behind one, set 1 so each "
        "phone's own address is read from X-Forwarded-For (per-address limits need it).",
    ),
    Setting(
        "WORKSHOP_PUBLIC_URL",
        None,
        "Base URL put into join links and QR codes, overriding the detected LAN address.",
    ),
    Setting(
        "WORKSHOP_PORT",
        5000,
        "The port `workshop serve` and `demo` listen on unless --port is given, and the one "
        "the printed QR codes name when no server is running (one is: its own port).",
    ),
    Setting(
        "WORKSHOP_NO_BROWSER",
        None,
        "Set (to anything) so `workshop demo` never opens a browser, like --no-browser; it "
        "opens none either when there is no display or CI is set.",
    ),
    Setting(
        "WORKSHOP_CONNECTIONS_PER_ADDRESS",
        64,
        "Open connections one network address may hold; more are answered 503 and closed. "
        "A phone needs a handful (its socket and a few page loads); on venue Wi-Fi each phone "
        "has its own address.",
    ),
    Setting(
        "WORKSHOP_HEADER_SECONDS",
        10,
        "How long a connection may take to send a request's headers, and stay idle between "
        "requests, before it is closed (a half-sent request no longer holds a socket).",
    ),
)


PHASE_NAMES = ("gather", "sort", "vote", "next-steps", "closed")
# How a phase reads in a sentence ("the room is in vote"), translated where shown.
# Words a room understands, on every screen and in the console's phase list.
PHASE_LABELS = {
    "gather": N_("Writing"),
    "sort": N_("Sorting"),
    "vote": N_("Voting"),
    "next-steps": N_("Next steps"),
    "closed": N_("Closed"),
}


def _check_phases(name: str, value: object) -> str:
    if isinstance(value, list):
        value = ",".join(str(item) for item in value)
    if not isinstance(value, str):
        raise Invalid("setting '%(name)s' must list phases, e.g. 'gather,sort'", name=name)
    phases = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [phase for phase in phases if phase not in PHASE_NAMES]
    if unknown:
        raise Invalid("setting '%(name)s': unknown phase '%(phase)s'", name=name, phase=unknown[0])
    return ",".join(phases)


def _check_language(value: object) -> str:
    known = i18n.languages()
    if not i18n.is_language(value):
        raise Invalid(
            "setting 'language' must be one of: %(known)s", known=", ".join(sorted(known))
        )
    return str(value)


def default_workshop_settings() -> dict[str, Any]:
    return {setting.name: setting.default for setting in WORKSHOP_SETTINGS}


def validate_workshop_settings(given: Any, current: dict[str, Any] | None = None) -> dict:
    """Merge ``given`` over ``current`` (or the defaults), checking names, types and ranges."""
    settings = dict(current or default_workshop_settings())
    if given is None:
        return settings
    if not isinstance(given, dict):
        raise Invalid("settings must be an object")
    known = {setting.name: setting for setting in WORKSHOP_SETTINGS}
    for name, value in given.items():
        setting = known.get(name)
        if setting is None:
            raise Invalid(
                "unknown setting '%(name)s'; known: %(known)s",
                name=name,
                known=", ".join(sorted(known)),
            )
        if isinstance(setting.default, bool):
            if not isinstance(value, bool):
                raise Invalid("setting '%(name)s' must be true or false", name=name)
            settings[name] = value
            continue
        if name == "language":
            settings[name] = _check_language(value)
            continue
        if isinstance(setting.default, str):
            settings[name] = _check_phases(name, value)
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid("setting '%(name)s' must be a whole number", name=name)
        if setting.minimum is not None and value < setting.minimum:
            raise Invalid(
                "setting '%(name)s' must be at least %(limit)s", name=name, limit=setting.minimum
            )
        if setting.maximum is not None and value > setting.maximum:
            raise Invalid(
                "setting '%(name)s' must be at most %(limit)s", name=name, limit=setting.maximum
            )
        settings[name] = value
    return settings
