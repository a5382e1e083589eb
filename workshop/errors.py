"""Domain errors: plain exceptions that know nothing of HTTP or sockets.

The web layer (workshop.web.errors) turns each into a status code; the CLI into a message.
"""


class WorkshopError(Exception):
    """Base class: the message is safe to show to the person who caused it.

    ``message`` is English; ``template`` and ``params`` let the web layer show it in the
    caller's language: raise ``Invalid("at most %(limit)s characters", limit=280)``, and
    the template is the catalogue's msgid (pybabel extracts the error classes' first
    argument, see babel.cfg).
    """

    def __init__(self, message: str, **params: object) -> None:
        self.template = message
        self.params = params
        self.message = message % params if params else message
        super().__init__(self.message)

    def translated(self, gettext) -> str:  # type: ignore[no-untyped-def]
        """The message in the language of ``gettext`` (a catalogue's gettext function)."""
        text = gettext(self.template)
        try:
            return text % self.params if self.params else text
        except (KeyError, ValueError, TypeError):  # a broken translation: say it in English
            return self.message


class NotFound(WorkshopError):
    """The workshop, note, prompt, section or card does not exist."""


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
