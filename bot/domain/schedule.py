"""Scheduled rows (reminders, deadlines, timed broadcasts) and when each one fires (pure)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from bot.domain.models import Frozen


class JobStatus(StrEnum):
    """Where a scheduled row stands; only a pending row may fire, and only once."""

    PENDING = "pending"
    FIRED = "fired"
    DROPPED = "dropped"  # its time passed while the bot was down and it was no longer useful
    CANCELLED = "cancelled"


class Job(Frozen):
    """One thing to do at one time: `kind` names the service that does it, `ref_id` on what."""

    id: int
    kind: str
    ref_id: int
    due_at: datetime
    expires_at: datetime | None = None  # after this, firing is pointless: drop instead
    status: JobStatus = JobStatus.PENDING
    fired_at: datetime | None = None


class Step(StrEnum):
    """What to do with a row now."""

    WAIT = "wait"
    FIRE = "fire"
    DROP = "drop"
    DONE = "done"  # fired, dropped or cancelled already: nothing, ever again


def next_step(job: Job, now: datetime) -> tuple[Step, datetime | None]:
    """Decide a row's fate at `now`, and when to look at it again (for WAIT).

    A row whose time has come fires, also late (the bot was down), unless its `expires_at`
    has passed too: a reminder "1 h before" the water is cut is useless once it is cut.
    """
    if job.status is not JobStatus.PENDING:
        return Step.DONE, None
    if now < job.due_at:
        return Step.WAIT, job.due_at
    if job.expires_at is not None and now >= job.expires_at:
        return Step.DROP, None
    return Step.FIRE, None
