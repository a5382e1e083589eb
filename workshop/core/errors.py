"""Domain errors: plain exceptions that know nothing of HTTP or sockets.

The web layer (workshop.web.errors) turns each into a status code; the CLI into a message.
"""

from __future__ import annotations

from collections.abc import Callable

# A catalogue's gettext function: msgid in, the text in its language out.
Gettext = Callable[[str], str]


class WorkshopError(Exception):
    """Base class: the message is safe to show to the person who caused it.

    ``message`` is English; ``template`` and ``params`` let the web layer show it in the
    caller's language: raise ``Invalid("at most %(limit)s characters", limit=280)``, and
    the template is the catalogue's msgid (the catalogue tool, workshop/core/catalogues.py,
    extracts the error classes' first argument). A param that is itself words (a field's
    name, an action) is a :class:`Phrase`, translated along with the template.
    """

    def __init__(self, message: str, **params: object) -> None:
        self.template = message
        self.params = params
        self.message = message % params if params else message
        super().__init__(self.message)

    def translated(self, gettext: Gettext) -> str:
        """The message in the language of ``gettext`` (a catalogue's gettext function)."""
        text = gettext(self.template)
        try:
            if not self.params:
                return text
            return text % {name: _translate(value, gettext) for name, value in self.params.items()}
        except (KeyError, ValueError, TypeError):  # a broken translation: say it in English
            return self.message


class Phrase(str):
    """Words inside an error's message (a field's name, an action), English as a str and
    translated with the message: ``Phrase(N_("section %(number)s title"), number=2)``. Mark
    the template with ``N_`` where it is written so it reaches the catalogue; an unmarked one
    (a JSON field name like ``section_id``) stays as it is in every language."""

    template: str
    params: dict[str, object]

    def __new__(cls, template: str, **params: object) -> Phrase:
        phrase = super().__new__(cls, template % params if params else template)
        phrase.template = template
        phrase.params = params
        return phrase

    def translated(self, gettext: Gettext) -> str:
        text = gettext(self.template)
        try:
            return text % self.params if self.params else text
        except (KeyError, ValueError, TypeError):
            return str(self)


def _translate(value: object, gettext: Gettext) -> object:
    return value.translated(gettext) if isinstance(value, Phrase) else value


class NotFound(WorkshopError):
    """The workshop, note, prompt, section or card does not exist."""


class NoSuchWorkshop(NotFound):
    """No workshop has this join code: mistyped, or someone trying codes (the web layer
    counts these per address, workshop/web/guesses.py)."""


class NoSuchCard(NotFound):
    """No printed card has this code: mistyped, or someone trying codes (counted per address
    like join codes, workshop/web/guesses.py)."""


class Gone(WorkshopError):
    """It was there and is closed for good (a workshop archived after the session)."""


class Invalid(WorkshopError):
    """The input breaks a rule (empty text, too long, wrong type)."""


class NotAllowed(WorkshopError):
    """The caller's role may not do this."""


class Conflict(WorkshopError):
    """The request clashes with the current state (e.g. editing a sorted note)."""


class RateLimited(WorkshopError):
    """Too many requests from one phone; ``retry_after`` is in seconds."""

    def __init__(self, message: str, retry_after: float, **params: object) -> None:
        super().__init__(message, **params)
        self.retry_after = retry_after
