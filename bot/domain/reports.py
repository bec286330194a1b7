"""Reports (报事): categories, tickets, their statuses and service levels (pure).

A resident reports a problem; it becomes a ticket with a readable number per year
("R-2026-0042"), a history of every change, and two deadlines: to accept it and to resolve it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import Field

from bot.domain.errors import DomainError
from bot.domain.models import Frozen

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


class ReportPlace(Frozen):
    """Where a problem is."""

    kind: PlaceKind
    spot: str | None = None  # one of BUILDING_SPOTS / COMPOUND_SPOTS
    note: str = Field(default="", max_length=MAX_PLACE_NOTE)


class MediaKind(StrEnum):
    """A photo or a voice note, as the channel holds it."""

    PHOTO = "photo"
    VOICE = "voice"


class Media(Frozen):
    """A file the channel holds, by its own reference."""

    kind: MediaKind
    ref: str = Field(min_length=1, max_length=256)


class ReportDraft(Frozen):
    """What a resident fills in before submitting."""

    category: ReportCategory
    description: str = Field(default="", max_length=MAX_DESCRIPTION)
    voice: Media | None = None
    photos: tuple[Media, ...] = Field(default=(), max_length=MAX_PHOTOS)
    place: ReportPlace
    urgency: Urgency


class Ticket(Frozen):
    """A report as stored."""

    id: int
    number: str
    category: ReportCategory
    urgency: Urgency
    status: TicketStatus
    description: str
    reporter_id: int
    household_id: int
    building_id: int
    compound_id: int
    place: ReportPlace
    assignee_id: int | None
    accept_by: datetime
    resolve_by: datetime
    created_at: datetime
    accepted_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    rating: Rating | None = None
    reason: str = ""
    supporters: int = 0  # households that joined with "+1"
    photos: int = 0
    voices: int = 0

    @property
    def open(self) -> bool:
        """Whether someone still has to act on it."""
        return self.status in OPEN

    @property
    def awaiting_rating(self) -> bool:
        """Resolved and not yet rated by the reporting household."""
        return self.status is TicketStatus.RESOLVED and self.rating is None


class EventKind(StrEnum):
    """What an entry of a ticket's history records."""

    CREATED = "created"
    STATUS = "status"
    ASSIGN = "assign"
    QUESTION = "question"
    ANSWER = "answer"
    JOIN = "join"
    RATING = "rating"
    ESCALATION = "escalation"


class TicketEvent(Frozen):
    """One append-only history entry: who, when, from, to, note."""

    id: int
    ticket_id: int
    kind: EventKind
    at: datetime
    actor_id: int | None
    from_status: TicketStatus | None = None
    to_status: TicketStatus | None = None
    note: str = ""


class HouseholdTicket(Frozen):
    """A ticket as one household concerned by it sees it (see `seen_by_household`)."""

    ticket: Ticket
    reporter: bool  # the household filed it; else it joined with "+1"
    events: tuple[TicketEvent, ...]
    media: tuple[Media, ...]

    @property
    def photos(self) -> int:
        """The photos this household may see."""
        return sum(1 for item in self.media if item.kind is MediaKind.PHOTO)

    @property
    def voices(self) -> int:
        """The voice notes this household may see."""
        return sum(1 for item in self.media if item.kind is MediaKind.VOICE)


# What every household concerned by a ticket sees of its history; the rest depends on who.
PUBLIC_EVENTS = frozenset(
    {EventKind.CREATED, EventKind.STATUS, EventKind.ASSIGN, EventKind.ESCALATION}
)
# Between the grid worker and the household that filed the ticket.
REPORTER_EVENTS = frozenset({EventKind.QUESTION, EventKind.ANSWER, EventKind.RATING})


def seen_by_household(event: TicketEvent, *, reporter: bool, own: bool) -> TicketEvent | None:
    """One history entry as a household concerned by the ticket sees it, or None.

    `reporter`: the household filed the ticket (the others joined with "+1"); `own`: a member
    of the household made the entry. Status changes are for everyone; questions, answers and
    the rating only for the reporting household; another household's "+1" shows without its
    note, which may describe that household's home.
    """
    if event.kind in PUBLIC_EVENTS or own or (event.kind in REPORTER_EVENTS and reporter):
        return event
    if event.kind is EventKind.JOIN:
        return event.model_copy(update={"note": ""})
    return None


def media_seen_by_household(event: TicketEvent | None, *, reporter: bool, own: bool) -> bool:
    """Whether a household sees a photo or voice note that came with `event` (None: with the
    report itself): only its own, and the reporter's exchanges with the grid worker."""
    if event is None:
        return reporter
    return own or (event.kind in REPORTER_EVENTS and reporter)


def similar_key(category: ReportCategory, place: ReportPlace) -> tuple[str, str | None]:
    """What two reports must share to be offered as the same problem (besides the category).

    A compound spot is compared by compound and spot; everything else by building.
    """
    if place.kind is PlaceKind.COMPOUND:
        return ("compound", place.spot)
    return ("building", None)


def local_text(moment: datetime | None, timezone: str) -> str:
    """ "2026-11-22 09:00" in community time, or "—"."""
    if moment is None:
        return "—"
    return f"{moment.astimezone(ZoneInfo(timezone)):%Y-%m-%d %H:%M}"
