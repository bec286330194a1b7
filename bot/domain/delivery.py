"""Rules of delivery: categories, priorities, quiet hours, retries and digests (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from enum import IntEnum, StrEnum
from zoneinfo import ZoneInfo

from bot.domain.messages import Outgoing
from bot.domain.models import Frozen


class Category(StrEnum):
    """What a push is about; a resident may mute some of them (never urgent ones)."""

    ACCOUNT = "account"  # registration decisions: never muted
    NOTICE = "notice"  # broadcasts and construction notices
    REPORT = "report"
    VOTE = "vote"
    MEETING = "meeting"
    REMINDER = "reminder"


MUTABLE = (Category.NOTICE, Category.REPORT, Category.VOTE, Category.MEETING, Category.REMINDER)


class Priority(IntEnum):
    """Lower goes first: answers to someone's own action, then personal pushes, then bulk."""

    REPLY = 0
    PERSONAL = 1
    BULK = 2


class OutboxStatus(StrEnum):
    """Where an outbox row stands."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNREACHABLE = "unreachable"
    MUTED = "muted"


class OutboxRow(Frozen):
    """One push as stored."""

    id: int
    user_id: int
    message: Outgoing
    category: Category
    urgent: bool
    priority: Priority
    broadcast_id: int | None
    slot: str | None
    status: OutboxStatus
    due_at: datetime
    attempts: int
    last_error: str | None
    external_ref: str | None


class QuietHours(Frozen):
    """A daily window (community time) in which non-urgent pushes wait; may cross midnight."""

    start: time = time(22, 0)
    end: time = time(7, 0)
    timezone: str = "Asia/Shanghai"

    def release(self, now: datetime) -> datetime | None:
        """When a non-urgent push made at `now` may go out: None if at once, else the end (UTC)."""
        if self.start == self.end:
            return None
        local = now.astimezone(ZoneInfo(self.timezone))
        clock = local.time().replace(tzinfo=None)
        if self.start < self.end:
            inside = self.start <= clock < self.end
            end_day = local.date()
        else:
            inside = clock >= self.start or clock < self.end
            end_day = local.date() + timedelta(days=1) if clock >= self.start else local.date()
        if not inside:
            return None
        end = datetime.combine(end_day, self.end, tzinfo=ZoneInfo(self.timezone))
        return end.astimezone(UTC)


def due_time(now: datetime, *, urgent: bool, quiet: QuietHours) -> datetime:
    """When a push enqueued at `now` becomes due: now, or the end of quiet hours."""
    if urgent:
        return now
    return quiet.release(now) or now


class DeliveryPolicy(Frozen):
    """How hard the sender tries."""

    max_attempts: int = 6
    first_backoff: timedelta = timedelta(seconds=2)
    max_backoff: timedelta = timedelta(minutes=10)
    digest_limit: int = 8


def backoff(attempts: int, policy: DeliveryPolicy) -> timedelta:
    """How long to wait after the `attempts`-th failed try (1, 2, …): doubling, capped."""
    if attempts < 1:
        return timedelta(0)
    delay: timedelta = policy.first_backoff * (2 ** (attempts - 1))
    return min(delay, policy.max_backoff)


class Pending(Frozen):
    """What the grouping rule needs to know of one due outbox row."""

    id: int
    user_id: int
    urgent: bool
    priority: Priority
    digestible: bool  # plain text: no buttons, no attachment, no message it replaces


def batches(
    rows: list[Pending], limit: int, busy: frozenset[int] = frozenset()
) -> list[list[Pending]]:
    """Group due rows into this round's sends: at most one send per person.

    A person's first due row decides: a plain non-urgent row gathers that person's other plain
    non-urgent rows into one digest (at most `limit`); any other row goes alone. Whatever is
    left waits for the next round, as do the rows of people in `busy` (a send to them is still
    in flight), so that one chat never gets two messages at once.
    """
    sends: list[list[Pending]] = []
    digests: dict[int, list[Pending]] = {}
    taken: set[int] = set(busy)
    for row in rows:
        group = digests.get(row.user_id)
        if group is not None:
            if row.digestible and not row.urgent and len(group) < limit:
                group.append(row)
            continue
        if row.user_id in taken:
            continue
        taken.add(row.user_id)
        if row.digestible and not row.urgent:
            group = digests[row.user_id] = [row]
            sends.append(group)
        else:
            sends.append([row])
    return sends


class DeliveryError(Exception):
    """Why a channel could not deliver a message; the sender decides what follows."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RetryLater(DeliveryError):
    """The channel asks us to slow down (Telegram's 429): wait, then try again, not a failure."""

    def __init__(self, seconds: float, reason: str = "flood limit") -> None:
        super().__init__(f"{reason}: retry after {seconds:g} s")
        self.seconds = seconds


class Transient(DeliveryError):
    """A network error, a timeout or a 5xx: try again later, a bounded number of times."""


class Unreachable(DeliveryError):
    """The person blocked the bot or the chat is gone: stop trying them."""


class Rejected(DeliveryError):
    """The channel refused this message for good (bad request): trying again will not help."""
