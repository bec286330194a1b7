"""Reports: service levels, the two deadlines of a ticket, and its stages."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import Field

from bot.domain.models import Frozen
from bot.domain.reports.common import (
    OPEN,
    ReportCategory,
    TicketStatus,
    Urgency,
)
from bot.domain.reports.tickets import (
    Ticket,
)


class Level(Frozen):
    """How long a ticket may wait to be accepted, and to be resolved (hours)."""

    accept_hours: float = Field(gt=0)
    resolve_hours: float = Field(gt=0)


class ServiceLevels(Frozen):
    """Deadlines per urgency, with optional overrides per category (or category + urgency)."""

    by_urgency: dict[Urgency, Level]
    by_category: dict[str, Level] = Field(default_factory=dict)  # "elevator" or "elevator/high"
    remind_before: float = Field(default=0.25, gt=0, lt=1)  # share of the window left

    def level(self, category: ReportCategory, urgency: Urgency) -> Level:
        """The level that applies: category+urgency, else category, else urgency."""
        return (
            self.by_category.get(f"{category.value}/{urgency.value}")
            or self.by_category.get(category.value)
            or self.by_urgency[urgency]
        )


DEFAULT_LEVELS = ServiceLevels(
    by_urgency={
        Urgency.HIGH: Level(accept_hours=2, resolve_hours=24),
        Urgency.NORMAL: Level(accept_hours=24, resolve_hours=72),
        Urgency.LOW: Level(accept_hours=48, resolve_hours=168),
    }
)


class Deadlines(Frozen):
    """When a ticket must be accepted and resolved."""

    accept_by: datetime
    resolve_by: datetime


def deadlines(
    start: datetime, category: ReportCategory, urgency: Urgency, levels: ServiceLevels
) -> Deadlines:
    """Both deadlines of a ticket filed (or reopened) at `start`."""
    level = levels.level(category, urgency)
    return Deadlines(
        accept_by=start + timedelta(hours=level.accept_hours),
        resolve_by=start + timedelta(hours=level.resolve_hours),
    )


def reminder_time(start: datetime, deadline: datetime, levels: ServiceLevels) -> datetime:
    """When to remind the assignee: once `remind_before` of the window is left."""
    return deadline - (deadline - start) * levels.remind_before


class Stage(StrEnum):
    """Which deadline a reminder or an escalation is about."""

    ACCEPT = "accept"
    RESOLVE = "resolve"


def stage_met(stage: Stage, status: TicketStatus) -> bool:
    """Whether a ticket in `status` has done what the stage's deadline asks."""
    if stage is Stage.ACCEPT:
        return status not in (TicketStatus.SUBMITTED,)
    return status not in OPEN


def overdue(ticket: Ticket, now: datetime) -> Stage | None:
    """The deadline an open ticket has missed at `now` (its "red light"), if any."""
    if ticket.status not in OPEN:
        return None
    if ticket.status is TicketStatus.SUBMITTED and now >= ticket.accept_by:
        return Stage.ACCEPT
    if now >= ticket.resolve_by:
        return Stage.RESOLVE
    return None


def next_deadline(ticket: Ticket) -> datetime:
    """The deadline the ticket is working against now (the inbox sorts by it)."""
    if ticket.status is TicketStatus.SUBMITTED:
        return ticket.accept_by
    return ticket.resolve_by
