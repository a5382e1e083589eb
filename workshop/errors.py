"""Domain errors: plain exceptions that know nothing of HTTP or sockets.

The web layer (workshop.web.errors) turns each into a status code; the CLI into a message.
"""


class WorkshopError(Exception):
    """Base class: the message is safe to show to the person who caused it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after
