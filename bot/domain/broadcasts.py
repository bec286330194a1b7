"""Broadcasts: an announcement to a scope, now or at a time, and its delivery report (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import Field

from bot.domain.messages import Attachment
from bot.domain.models import Frozen, Place
from bot.domain.scope import Scope
from bot.domain.text import words

MAX_BODY = 3000  # a message is at most 4096 characters; leave room for the heading
MAX_CAPTION = 900  # a photo's or document's caption is at most 1024
START_KIND = "broadcast.start"
LATE_START = timedelta(hours=12)  # a timed broadcast missed by more than this is dropped


class BroadcastStatus(StrEnum):
    """Where a broadcast stands."""

    SCHEDULED = "scheduled"
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"


class BroadcastDraft(Frozen):
    """What the author composed."""

    body: str = Field(min_length=1)
    attachment: Attachment | None = None
    scope: Scope
    urgent: bool = False
    send_at: datetime | None = None  # None: now


class Broadcast(BroadcastDraft):
    """A broadcast as stored."""

    id: int
    author_id: int
    status: BroadcastStatus
    report: bool = True
    notice_id: int | None = None
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    progress_at: datetime | None = None


class Progress(Frozen):
    """Delivery so far: rows by outcome."""

    total: int
    sent: int = 0
    unreachable: int = 0
    failed: int = 0
    muted: int = 0

    @property
    def settled(self) -> int:
        """Rows that reached an outcome."""
        return self.sent + self.unreachable + self.failed + self.muted

    @property
    def done(self) -> bool:
        """Whether every row reached an outcome."""
        return self.settled >= self.total


class DeliveryReport(Frozen):
    """The final account for the author: who got it, and which households to visit."""

    progress: Progress
    households: int
    unregistered: tuple[Place, ...]
    unreached: tuple[Place, ...]  # registered, but no member got it (blocked, failed, muted)


def check_body(body: str, *, with_attachment: bool) -> str:
    """The text, trimmed; BlankText when nothing visible is left, TextTooLong beyond what
    the message (or caption) can carry."""
    return words(body, MAX_CAPTION if with_attachment else MAX_BODY)


def at_local(now: datetime, timezone: str, hour: int, *, days: int = 0) -> datetime:
    """`hour`:00 community time, `days` after today (UTC); the next day if already past."""
    zone = ZoneInfo(timezone)
    local = now.astimezone(zone) + timedelta(days=days)
    moment = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if days == 0 and moment <= now.astimezone(zone):
        moment += timedelta(days=1)
    return moment.astimezone(UTC)
