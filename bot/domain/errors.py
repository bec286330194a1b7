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


class BlankText(DomainError):
    """Words were asked for and nothing visible came (only spaces, newlines…)."""

    key = "error.blank"


class TextTooLong(DomainError):
    """A text is longer than the step accepts."""

    key = "error.too_long"

    def __init__(self, limit: int) -> None:
        super().__init__(f"longer than {limit}", limit=limit)
        self.limit = limit


class AlreadyMember(DomainError):
    """The user is already a registered member of that household."""

    key = "reg.already_member"


class AlreadyPending(DomainError):
    """The user already asked to join that household; a grid worker will decide."""

    key = "reg.already_pending"


class AlreadyDecided(DomainError):
    """Someone already approved or rejected this request (or it was withdrawn)."""

    key = "reg.already_decided"


class NotMember(DomainError):
    """The user is not (or no longer) a member of that household."""

    key = "home.not_member"


class EmptyAudience(DomainError):
    """The chosen scope reaches nobody (no household in it, or none registered)."""

    key = "bc.nobody"


class BadTime(DomainError):
    """A typed time that will not do: as such, one that cannot be read; its kinds in
    `bot.domain.when` say it has passed, is too far ahead, or is not after another."""

    key = "bc.bad_time"


class NotEditable(DomainError):
    """It already started, ended or was cancelled, so it can no longer be changed."""

    key = "error.not_editable"
