"""Construction notices: an outage or works in a time window, for some buildings (pure)."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import Field, model_validator

from bot.domain.models import Frozen, Place
from bot.domain.scope import Scope, ScopeKind
from bot.domain.when import NotAfter, PastTime
from bot.domain.wording import window_words

MAX_DETAILS = 1000
MAX_ARRANGEMENTS = 1000
EVENING_HOUR = 20  # the reminder the evening before
HOUR_BEFORE = timedelta(hours=1)
EVENING_KIND = "notice.evening"
HOUR_KIND = "notice.hour"
REMINDER_KINDS = (EVENING_KIND, HOUR_KIND)


class NoticeKind(StrEnum):
    """What is cut or worked on."""

    WATER = "water"
    POWER = "power"
    GAS = "gas"
    WORKS = "works"


class NoticeStatus(StrEnum):
    """A notice is active until cancelled (it ends by itself at ends_at)."""

    ACTIVE = "active"
    CANCELLED = "cancelled"


class NoticeDraft(Frozen):
    """What the author fills in."""

    kind: NoticeKind
    starts_at: datetime
    ends_at: datetime
    scope: Scope
    details: str = Field(default="", max_length=MAX_DETAILS)
    arrangements: str = Field(default="", max_length=MAX_ARRANGEMENTS)

    @model_validator(mode="after")
    def _sane(self) -> NoticeDraft:
        if self.ends_at <= self.starts_at:
            raise ValueError("a notice ends after it starts")
        if self.scope.kind not in (ScopeKind.BUILDINGS, ScopeKind.UNITS):
            raise ValueError("a notice is for buildings or units")
        return self


class Notice(NoticeDraft):
    """A notice as stored."""

    id: int
    author_id: int
    status: NoticeStatus
    created_at: datetime
    updated_at: datetime


class VulnerableHousehold(Frozen):
    """A household of a notice's scope that needs a check-in visit, and why."""

    household_id: int
    building_id: int
    place: Place
    lives_alone: bool
    elderly: bool
    disabled: bool
    owner_name: str = Field(default="", repr=False)
    phone: str | None = Field(default=None, repr=False)

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why it needs a visit: "lives_alone", "elderly", "disabled"."""
        return tuple(name for name in VULNERABLE if getattr(self, name))


VULNERABLE = ("lives_alone", "elderly", "disabled")


def check_window(starts_at: datetime, ends_at: datetime, now: datetime, timezone: str) -> None:
    """A window that ends after it starts and has not ended yet; else NotAfter or PastTime
    (each a BadTime), naming the end in community time."""
    zone = ZoneInfo(timezone)
    if ends_at <= starts_at:
        raise NotAfter(ends_at.astimezone(zone), starts_at.astimezone(zone))
    if ends_at <= now:
        raise PastTime(ends_at.astimezone(zone))


def reminder_times(starts_at: datetime, now: datetime, timezone: str) -> dict[str, datetime]:
    """When to remind: 20:00 the evening before and 1 h before, if still ahead of `now`.

    The evening reminder is skipped when the notice is made after it, or when it would come
    less than two hours before the hour-before one (then it says nothing new).
    """
    zone = ZoneInfo(timezone)
    day_before = starts_at.astimezone(zone).date() - timedelta(days=1)
    evening = datetime.combine(day_before, datetime.min.time(), tzinfo=zone).replace(
        hour=EVENING_HOUR
    )
    times: dict[str, datetime] = {}
    hour = starts_at - HOUR_BEFORE
    if evening.astimezone(starts_at.tzinfo) > now and hour - evening > timedelta(hours=2):
        times[EVENING_KIND] = evening.astimezone(starts_at.tzinfo)
    if hour > now:
        times[HOUR_KIND] = hour
    return times


def window_text(starts_at: datetime, ends_at: datetime, timezone: str) -> str:
    """ "11月25日（周三）上午9:00–中午12:00", or with both days when it spans days (community
    time, in the reader's language: see bot.domain.wording)."""
    return window_words(starts_at, ends_at, timezone)
