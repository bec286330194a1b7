"""Reports: categories, places, statuses and the moves between them, ratings, errors."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.errors import DomainError

MAX_DESCRIPTION = 1000
MAX_PLACE_NOTE = 200
MAX_NOTE = 1000
MAX_PHOTOS = 10
AUTO_CLOSE_AFTER = timedelta(days=3)


class ReportCategory(StrEnum):
    """What the problem is about (PRODUCT.md §2)."""

    WATER = "water"  # water and drains
    ROOF = "roof"  # roof leak
    PIPES = "pipes"  # pipes and wiring
    ELEVATOR = "elevator"
    ROADS = "roads"
    GREENERY = "greenery"
    LIGHTING = "lighting"
    DISTURBANCE = "disturbance"  # construction disturbance
    HAZARD = "hazard"  # safety hazard
    DISPUTE = "dispute"  # neighbour dispute
    OTHER = "other"


class Urgency(StrEnum):
    """How soon it must be dealt with; `high` reminders come through quiet hours too."""

    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"


class PlaceKind(StrEnum):
    """Where the problem is: the reporter's home, a spot of their building or compound."""

    HOME = "home"
    BUILDING = "building"
    COMPOUND = "compound"
    OTHER = "other"  # typed by the resident


# Public spots a resident can pick, by where they are.
BUILDING_SPOTS = ("stairwell", "roof", "wall", "basement")
COMPOUND_SPOTS = ("road", "green", "parking", "gate", "bikes")


class TicketStatus(StrEnum):
    """Where a ticket stands."""

    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"
    REOPENED = "reopened"


OPEN = frozenset(
    {
        TicketStatus.SUBMITTED,
        TicketStatus.ACCEPTED,
        TicketStatus.IN_PROGRESS,
        TicketStatus.REOPENED,
    }
)
# Statuses a grid worker sets; "closed" and "reopened" come from the resident or the clock.
WORKER_STATUSES = (
    TicketStatus.ACCEPTED,
    TicketStatus.IN_PROGRESS,
    TicketStatus.RESOLVED,
    TicketStatus.REJECTED,
    TicketStatus.DUPLICATE,
)
NEEDS_REASON = frozenset({TicketStatus.REJECTED, TicketStatus.DUPLICATE})

_NEXT: dict[TicketStatus, frozenset[TicketStatus]] = {
    TicketStatus.SUBMITTED: frozenset(
        {
            TicketStatus.ACCEPTED,
            TicketStatus.IN_PROGRESS,
            TicketStatus.RESOLVED,
            TicketStatus.REJECTED,
            TicketStatus.DUPLICATE,
        }
    ),
    TicketStatus.ACCEPTED: frozenset(
        {
            TicketStatus.IN_PROGRESS,
            TicketStatus.RESOLVED,
            TicketStatus.REJECTED,
            TicketStatus.DUPLICATE,
        }
    ),
    TicketStatus.IN_PROGRESS: frozenset({TicketStatus.RESOLVED, TicketStatus.REJECTED}),
    TicketStatus.REOPENED: frozenset(
        {TicketStatus.ACCEPTED, TicketStatus.IN_PROGRESS, TicketStatus.RESOLVED}
    ),
    TicketStatus.RESOLVED: frozenset({TicketStatus.CLOSED, TicketStatus.REOPENED}),
    TicketStatus.CLOSED: frozenset(),
    TicketStatus.REJECTED: frozenset(),
    TicketStatus.DUPLICATE: frozenset(),
}


class BadTransition(DomainError):
    """The ticket cannot go from its status to the one asked for (it moved meanwhile)."""

    key = "report.bad_transition"


class ReasonNeeded(DomainError):
    """Rejecting or marking a duplicate needs a reason for the resident."""

    key = "report.reason_needed"


class AlreadyJoined(DomainError):
    """The household already reported this problem or already joined it."""

    key = "report.already_joined"


class NotRateable(DomainError):
    """Only a resolved ticket is rated, by its reporting household, once."""

    key = "report.not_rateable"


class NoHome(DomainError):
    """Reporting needs a registered household."""

    key = "report.no_home"


def allowed_next(status: TicketStatus) -> frozenset[TicketStatus]:
    """The statuses a ticket may move to from `status`."""
    return _NEXT[status]


def worker_moves(status: TicketStatus) -> list[TicketStatus]:
    """The statuses a grid worker may set a ticket in `status` to, in button order."""
    return [target for target in WORKER_STATUSES if target in _NEXT[status]]


def check_transition(current: TicketStatus, target: TicketStatus, note: str) -> None:
    """Raise BadTransition or ReasonNeeded unless `current → target` with `note` is allowed."""
    if target not in _NEXT[current]:
        raise BadTransition(current=current.value, target=target.value)
    if target in NEEDS_REASON and not note.strip():
        raise ReasonNeeded()


class Rating(StrEnum):
    """The reporter's satisfaction with a resolved ticket (满意度回访)."""

    VERY_SATISFIED = "very_satisfied"
    SATISFIED = "satisfied"
    FAIR = "fair"
    UNSATISFIED = "unsatisfied"


RATING_SCORE = {
    Rating.VERY_SATISFIED: 4,
    Rating.SATISFIED: 3,
    Rating.FAIR: 2,
    Rating.UNSATISFIED: 1,
}


def ticket_number(year: int, seq: int) -> str:
    """ "R-2026-0042": the same in every language."""
    return f"R-{year}-{seq:04d}"


def ticket_year(moment: datetime, timezone: str) -> int:
    """The year a ticket is numbered in: the community's calendar year."""
    return moment.astimezone(ZoneInfo(timezone)).year
