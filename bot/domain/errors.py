"""Domain errors: each one is something a user can be told about politely."""

from __future__ import annotations


class DomainError(Exception):
    """A rule said no. `key` names the message catalog entry that explains it."""

    key = "error.generic"

    def __init__(self, *args: object, **params: object) -> None:
        super().__init__(*args)
        self.params = params


class NotAllowed(DomainError):
    """The user's role does not permit this action."""

    key = "error.not_allowed"


class NotFound(DomainError):
    """The thing asked for does not exist (or is not visible to this user)."""

    key = "error.not_found"


class TextTooLong(DomainError):
    """A text is longer than the step accepts."""

    key = "error.too_long"

    def __init__(self, limit: int) -> None:
        super().__init__(f"longer than {limit}", limit=limit)
        self.limit = limit
