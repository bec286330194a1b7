"""Meetings (议事协商会 / 听证会 / 协调会): who is invited, until when they answer, when they
are reminded, what changed, and the calendar file (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import Field, model_validator

from bot.domain.errors import DomainError
from bot.domain.models import Frozen, Role
from bot.domain.scope import Scope, ScopeKind

MAX_TITLE = 100
MAX_PLACE = 200
MAX_AGENDA = 2000
MAX_QUESTION = 1000
MAX_MINUTES = 3500
MAX_CONTACTS = 20
DEFAULT_LENGTH = timedelta(hours=2)  # for the calendar entry
MEETING_SCOPES = (ScopeKind.COMPOUNDS, ScopeKind.BUILDINGS, ScopeKind.UNITS)
GRID_MEETING_SCOPES = (ScopeKind.BUILDINGS, ScopeKind.UNITS)  # within a grid worker's grid
INVITED_ROLES = (Role.BUILDING_LEAD, Role.GRID_WORKER, Role.STAFF)


class MeetingKind(StrEnum):
    """What kind of meeting."""

    CONSULTATION = "consultation"  # 议事协商会
    HEARING = "hearing"  # 听证会
    COORDINATION = "coordination"  # 协调会


class Rsvp(StrEnum):
    """An invitee's answer."""

    ATTEND = "attend"
    CANNOT = "cannot"
    MAYBE = "maybe"


class Party(StrEnum):
    """Who a named contact speaks for (the "seven parties")."""

    PROPERTY = "property"  # 物业公司
    COMMITTEE = "committee"  # 业委会
    CONTRACTOR = "contractor"  # 施工单位
    DESIGNER = "designer"  # 设计单位
    OTHER = "other"


class RsvpClosed(DomainError):
    """The answer deadline has passed (or the meeting was cancelled)."""

    key = "meeting.rsvp_closed"


class NotInvited(DomainError):
    """The user is not on the meeting's list."""

    key = "meeting.not_invited"


class MeetingOver(DomainError):
    """The meeting has taken place (or was cancelled): it can no longer change."""

    key = "meeting.over"


class NotYetHeld(DomainError):
    """Minutes and attendance come after the meeting."""

    key = "meeting.not_yet"


class DeadlinePassed(DomainError):
    """The answer deadline chosen would already be past: every answer would be refused."""

    key = "meeting.deadline_past"


class NoInvitees(DomainError):
    """Nobody would be invited."""

    key = "meeting.no_invitees"


class Contact(Frozen):
    """A named participant who may not use the bot (property company, contractor…)."""

    name: str = Field(min_length=1, max_length=50)
    party: Party = Party.OTHER
    phone: str = Field(default="", max_length=30)


class MeetingDraft(Frozen):
    """What the organiser fills in."""

    kind: MeetingKind
    title: str = Field(min_length=1, max_length=MAX_TITLE)
    starts_at: datetime
    place: str = Field(min_length=1, max_length=MAX_PLACE)
    agenda: str = Field(default="", max_length=MAX_AGENDA)
    scope: Scope | None = None
    roles: tuple[Role, ...] = ()
    contacts: tuple[Contact, ...] = Field(default=(), max_length=MAX_CONTACTS)
    rsvp_by: datetime

    @model_validator(mode="after")
    def _sane(self) -> MeetingDraft:
        if self.rsvp_by > self.starts_at:
            raise ValueError("answers are due before the meeting")
        if self.scope is not None and (
            self.scope.kind not in MEETING_SCOPES or self.scope.vulnerable_only
        ):
            raise ValueError("invitees are a compound, buildings or units")
        if any(role not in INVITED_ROLES for role in self.roles):
            raise ValueError("invited roles are building leads, grid workers and staff")
        if self.scope is None and not self.roles and not self.contacts:
            raise ValueError("nobody is invited")
        return self


class MeetingStatus(StrEnum):
    """A meeting is on until cancelled."""

    ACTIVE = "active"
    CANCELLED = "cancelled"


class Meeting(MeetingDraft):
    """A meeting as stored."""

    id: int
    organiser_id: int
    status: MeetingStatus = MeetingStatus.ACTIVE
    minutes: str = ""
    minutes_doc: str | None = None  # channel file reference
    decisions: str = ""
    minutes_at: datetime | None = None
    # The calendar file's SEQUENCE: one more for every change of time, place or status, so
    # that a phone's calendar takes the newer file over the older.
    sequence: int = Field(default=0, ge=0)

    def held(self, now: datetime) -> bool:
        """Whether its time has come (minutes and attendance may be recorded)."""
        return self.status is MeetingStatus.ACTIVE and now >= self.starts_at

    def rsvp_open(self, now: datetime) -> bool:
        """Whether invitees may still answer or change their answer."""
        return self.status is MeetingStatus.ACTIVE and now < self.rsvp_by

    def changeable(self, now: datetime) -> bool:
        """Whether its time or place may still change, or it be cancelled."""
        return self.status is MeetingStatus.ACTIVE and now < self.starts_at


class Invitee(Frozen):
    """One invited person and what they said."""

    user_id: int
    first_name: str
    rsvp: Rsvp | None = None
    rsvp_at: datetime | None = None
    attended: bool = False
    place: str = ""  # their household, for the organiser's phone list ("" if none)


class ContactRow(Frozen):
    """A named contact as stored."""

    id: int
    name: str
    party: Party
    phone: str
    attended: bool = False


class Question(Frozen):
    """A topic or question sent in advance (议题征集)."""

    id: int
    meeting_id: int
    user_id: int
    first_name: str
    text: str = ""
    voice: str | None = None
    at: datetime


def reminder_times(starts_at: datetime, hours: Sequence[float], now: datetime) -> list[datetime]:
    """The reminders still ahead: `hours` before the start, the past ones left out."""
    return sorted(
        {starts_at - timedelta(hours=h) for h in hours if starts_at - timedelta(hours=h) > now}
    )


def check_new_time(starts_at: datetime, now: datetime) -> None:
    """A meeting is moved to the future only."""
    if starts_at <= now:
        raise MeetingOver()


def invitable_scopes(staff: bool) -> tuple[ScopeKind, ...]:
    """The households an organiser may invite: staff a compound, buildings or units; a grid
    worker buildings or units of their grid (a whole compound is staff's, as in broadcasts)."""
    return MEETING_SCOPES if staff else GRID_MEETING_SCOPES


def deadline_ahead(starts_at: datetime, before: timedelta, now: datetime) -> bool:
    """Whether answers `before` the start would still be open now (a choice worth offering)."""
    return starts_at - before > now


def answer_deadline(starts_at: datetime, before: timedelta, now: datetime) -> datetime:
    """The answer deadline `before` the start; DeadlinePassed if it would already be past."""
    if not deadline_ahead(starts_at, before, now):
        raise DeadlinePassed()
    return starts_at - before


def moved_deadline(
    starts_at: datetime, rsvp_by: datetime, new_start: datetime, now: datetime
) -> datetime:
    """The answer deadline of a meeting moved from `starts_at` to `new_start`: answers "until
    it starts" stay so; any other deadline moves by as much as the meeting, and becomes the new
    start when that would already be past (a moved meeting is always open to answers)."""
    if rsvp_by >= starts_at:
        return new_start
    moved = rsvp_by + (new_start - starts_at)
    return moved if moved > now else new_start


def counts(invitees: Sequence[Invitee]) -> dict[Rsvp | None, int]:
    """How many answered each way, and how many not at all (None)."""
    result: dict[Rsvp | None, int] = {answer: 0 for answer in Rsvp}
    result[None] = 0
    for invitee in invitees:
        result[invitee.rsvp] += 1
    return result


def to_remind(invitees: Sequence[Invitee]) -> list[int]:
    """Those who said they come, or maybe, or nothing yet (not those who cannot)."""
    return [i.user_id for i in invitees if i.rsvp is not Rsvp.CANNOT]


def parse_contact(line: str) -> Contact:
    """A contact typed as "name | party | phone" (party and phone optional); ValueError."""
    parts = [part.strip() for part in line.replace("｜", "|").split("|")]
    if not parts[0] or len(parts) > 3:
        raise ValueError("a contact is: name | party | phone")
    party = Party.OTHER
    if len(parts) > 1 and parts[1]:
        party = _PARTY_WORDS.get(parts[1].lower(), Party.OTHER)
    return Contact(name=parts[0], party=party, phone=parts[2] if len(parts) > 2 else "")


_PARTY_WORDS = {
    "property": Party.PROPERTY,
    "物业": Party.PROPERTY,
    "物业公司": Party.PROPERTY,
    "committee": Party.COMMITTEE,
    "业委会": Party.COMMITTEE,
    "contractor": Party.CONTRACTOR,
    "施工": Party.CONTRACTOR,
    "施工单位": Party.CONTRACTOR,
    "designer": Party.DESIGNER,
    "设计": Party.DESIGNER,
    "设计单位": Party.DESIGNER,
}
