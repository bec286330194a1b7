"""A construction notice as its author fills it in, step by step, before it is a
`NoticeDraft`; or the new time of a notice being changed (pure)."""

from __future__ import annotations

from datetime import datetime

from bot.domain.errors import DomainError
from bot.domain.models import Frozen
from bot.domain.notices import MAX_ARRANGEMENTS, MAX_DETAILS, NoticeDraft, NoticeKind
from bot.domain.scope import Scope, ScopeKind
from bot.domain.text import words
from bot.domain.when import NotAfter, PastTime, read_time

# The kinds of place a notice is for, in the order they are offered.
PLACE_KINDS = (ScopeKind.BUILDINGS, ScopeKind.UNITS)


class BadEnd(DomainError):
    """A new notice's end that is not after its start."""

    key = "notice.bad_end"


class NoticeForm(Frozen):
    """What the notice flow has gathered so far. `change`: the id of the notice whose time is
    being changed (only its start and end are asked); None for a new notice. `places`: the
    kind of place chosen (buildings or units), `ids` the ones ticked."""

    change: int | None = None
    kind: NoticeKind | None = None
    places: ScopeKind | None = None
    ids: tuple[int, ...] = ()
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    details: str = ""
    arrangements: str = ""

    @property
    def changing(self) -> bool:
        """Whether this is the new time of an existing notice (not a new notice)."""
        return self.change is not None

    def of_kind(self, kind: NoticeKind) -> NoticeForm:
        """What is cut or worked on."""
        return self.model_copy(update={"kind": kind})

    def of_places(self, kind: ScopeKind) -> NoticeForm:
        """Buildings or units (ValueError for another kind): none ticked yet."""
        if kind not in PLACE_KINDS:
            raise ValueError(f"a notice is not for {kind}")
        return self.model_copy(update={"places": kind, "ids": ()})

    def ticked(self, ids: list[int]) -> NoticeForm:
        """The places ticked (at least one: the picker's Done needs one)."""
        if not ids:
            raise ValueError("no place ticked")
        return self.model_copy(update={"ids": tuple(ids)})

    def started(self, typed: str, now: datetime, timezone: str) -> NoticeForm:
        """The start, typed in community time ("明天上午9点"); BadTime when it cannot be read
        (UnreadableTime), is past (PastTime) or too far ahead. The end is asked anew after it."""
        start = read_time(typed, now, timezone)
        return self.model_copy(update={"starts_at": start, "ends_at": None})

    def ended(self, typed: str, now: datetime, timezone: str) -> NoticeForm:
        """The end, typed after the start ("12:00" is the first 12:00 after the start). A new
        notice's end not after its start is BadEnd; a changed notice's, NotAfter or PastTime
        (naming the time as read). Unreadable or too far ahead: those BadTimes, for both."""
        if self.starts_at is None:
            raise ValueError("the start comes first")
        try:
            end = read_time(typed, now, timezone, after=self.starts_at)
        except (NotAfter, PastTime):
            if self.changing:
                raise
            raise BadEnd() from None
        return self.model_copy(update={"ends_at": end})

    def described(self, typed: str | None) -> NoticeForm:
        """What happens, trimmed: BlankText or TextTooLong (MAX_DETAILS); None skips it."""
        said = "" if typed is None else words(typed, MAX_DETAILS)
        return self.model_copy(update={"details": said})

    def arranged(self, typed: str | None) -> NoticeForm:
        """The temporary arrangements (e.g. where to fetch water), trimmed: BlankText or
        TextTooLong (MAX_ARRANGEMENTS); None skips them."""
        said = "" if typed is None else words(typed, MAX_ARRANGEMENTS)
        return self.model_copy(update={"arrangements": said})

    def scope(self) -> Scope:
        """The places ticked, as the domain sees them (ValueError before they are)."""
        if self.places is None or not self.ids:
            raise ValueError("no places chosen")
        return Scope(kind=self.places, ids=self.ids)

    def draft(self) -> NoticeDraft:
        """The new notice as the service creates it (ValueError while it is incomplete)."""
        if self.kind is None or self.starts_at is None or self.ends_at is None:
            raise ValueError("the notice is not complete")
        return NoticeDraft(
            kind=self.kind,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            scope=self.scope(),
            details=self.details,
            arrangements=self.arrangements,
        )
