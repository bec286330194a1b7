"""Reports: the ticket, its events and media, and what a household sees of them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import Field

from bot.domain.models import Frozen
from bot.domain.reports.common import (
    MAX_DESCRIPTION,
    MAX_PHOTOS,
    MAX_PLACE_NOTE,
    OPEN,
    PlaceKind,
    Rating,
    ReportCategory,
    TicketStatus,
    Urgency,
)


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
    """ "2026-11-22 09:00" in community time, or "—": the machine format of exports (what
    people read goes through bot.domain.wording)."""
    if moment is None:
        return "—"
    return f"{moment.astimezone(ZoneInfo(timezone)):%Y-%m-%d %H:%M}"
