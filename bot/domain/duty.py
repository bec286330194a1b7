"""A grid worker's duty hours: whether someone answers now, and when they will (pure).

Hours are in the community's time zone; the moment asked about is any tz-aware time (the
caller's clock, so tests choose it). A span whose end is before its start runs past midnight
(22:00–06:00): it belongs to the day it starts on.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator, model_validator

from bot.domain.models import Frozen

EVERY_DAY = frozenset(range(1, 8))  # ISO weekdays: 1 = Monday … 7 = Sunday
WORKDAYS = frozenset(range(1, 6))


class DutyHours(Frozen):
    """When a grid worker answers: from `start` to `end` on these ISO weekdays.

    `start == end` means the whole day.
    """

    start: time = time(8, 30)
    end: time = time(17, 30)
    weekdays: frozenset[int] = Field(default=EVERY_DAY)

    @field_validator("weekdays")
    @classmethod
    def _iso_days(cls, days: frozenset[int]) -> frozenset[int]:
        if not days or any(day not in EVERY_DAY for day in days):
            raise ValueError("weekdays are 1 (Monday) to 7 (Sunday), at least one")
        return days

    @model_validator(mode="after")
    def _naive_times(self) -> DutyHours:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("duty hours are local times without a zone")
        return self

    @property
    def overnight(self) -> bool:
        """Whether the span runs past midnight."""
        return self.end < self.start

    def _span(self, day: datetime) -> tuple[datetime, datetime]:
        """The span that starts on `day`'s date (local)."""
        begin = day.replace(
            hour=self.start.hour, minute=self.start.minute, second=0, microsecond=0
        )
        end = day.replace(hour=self.end.hour, minute=self.end.minute, second=0, microsecond=0)
        if end <= begin:
            end += timedelta(days=1)
        return begin, end

    def spans_around(self, naive: datetime) -> list[tuple[datetime, datetime]]:
        """The spans (naive local times) starting the day before `naive` … a week after, on
        duty days, in order."""
        spans = []
        for offset in range(-1, 8):
            day = naive + timedelta(days=offset)
            if day.isoweekday() in self.weekdays:
                spans.append(self._span(day))
        return spans


def _local(moment: datetime, timezone: str | ZoneInfo) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("a tz-aware moment is needed")
    zone = timezone if isinstance(timezone, ZoneInfo) else ZoneInfo(timezone)
    return moment.astimezone(zone).replace(second=0, microsecond=0)


def on_duty(hours: DutyHours, moment: datetime, timezone: str | ZoneInfo) -> bool:
    """Whether `moment` falls within the duty hours (community time)."""
    naive = _local(moment, timezone).replace(tzinfo=None)
    return any(begin <= naive < end for begin, end in hours.spans_around(naive))


def next_on_duty(hours: DutyHours, moment: datetime, timezone: str | ZoneInfo) -> datetime:
    """When the grid worker is next on duty, as a local (zone-aware) time: `moment` itself
    (in local time) when on duty now, else the start of the next span."""
    local = _local(moment, timezone)
    if on_duty(hours, moment, timezone):
        return local
    naive = local.replace(tzinfo=None)
    for begin, _ in hours.spans_around(naive):
        if begin > naive:
            return begin.replace(tzinfo=local.tzinfo)
    raise AssertionError("a duty day comes every week")  # weekdays is never empty
