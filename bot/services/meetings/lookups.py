"""Meetings: finding meetings and invitees, the notice and the calendar file, the reminder."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from bot.delivery.files import FileNotAvailable
from bot.delivery.scheduling import Scheduler
from bot.domain.delivery import Category, Priority
from bot.domain.errors import NotAllowed, NotFound
from bot.domain.meetings import (
    Invitee,
    Meeting,
    MeetingStatus,
    NotInvited,
    Rsvp,
    invitable_scopes,
    reminder_times,
    to_remind,
)
from bot.domain.messages import Action, Attachment, Outgoing
from bot.domain.models import Role, User
from bot.domain.schedule import Job
from bot.domain.scope import Scope, ScopeKind
from bot.domain.vocabulary import Feature
from bot.domain.wording import time_words
from bot.ports import Clock, UnitOfWork, UserRepository
from bot.services.access import AccessService
from bot.services.meetings.models import CalendarFile, CurrentHousehold, MeetingStore, Overview
from bot.services.outbox import OutboxNotifier

logger = logging.getLogger(__name__)
FEATURE = Feature.MEETING
REMIND_KIND = "meeting.remind"
ICS_PREFIX = "meeting-ics"


class MeetingLookups:
    """Lookups, the notice of a meeting, its .ics, its reminder."""

    _uow: UnitOfWork
    _meetings: MeetingStore
    _households: CurrentHousehold
    _users: UserRepository
    _access: AccessService
    _notifier: OutboxNotifier
    _scheduler: Scheduler
    _clock: Clock
    timezone: str
    reminder_hours: tuple[float, ...]
    _calendar: CalendarFile

    def now(self) -> datetime:
        """The service's clock."""
        return self._clock.now()

    def scope_kinds(self, actor: User | None) -> tuple[ScopeKind, ...]:
        """The kinds of households the actor may invite (the buttons to offer)."""
        actor = self._access.require(actor, Role.GRID_WORKER)
        return invitable_scopes(actor.has_role(Role.STAFF))

    def check_scope_kind(self, actor: User | None, kind: ScopeKind) -> None:
        """NotAllowed unless the actor may invite households by `kind`."""
        if kind not in self.scope_kinds(actor):
            raise NotAllowed(f"{kind} scope")

    async def check_scope(self, actor: User | None, scope: Scope | None) -> None:
        """Staff invite anyone; a grid worker the households of their own buildings."""
        actor = self._access.require(actor, Role.GRID_WORKER)
        if scope is None:
            return
        self.check_scope_kind(actor, scope.kind)
        if actor.has_role(Role.STAFF):
            return
        managed = await self._access.managed_buildings(actor)
        if not await self._meetings.buildings_of(scope) <= managed:
            raise NotAllowed("scope outside the grid")

    async def managed(self, actor: User | None) -> list[Meeting]:
        """Staff: every meeting; a grid worker: those they organise."""
        actor = self._access.require(actor, Role.GRID_WORKER)
        meetings = await self._meetings.all()
        if actor.has_role(Role.STAFF):
            return meetings
        return [m for m in meetings if m.organiser_id == actor.id]

    async def overview(self, actor: User | None, meeting_id: int) -> Overview:
        """Answers, contacts and questions (the organiser or staff)."""
        meeting = await self._organised(actor, meeting_id)
        return Overview(
            meeting,
            await self._meetings.invitees(meeting.id),
            await self._meetings.contacts(meeting.id),
            await self._meetings.questions(meeting.id),
        )

    async def organiser_name(self, meeting: Meeting) -> str:
        """Who organises it."""
        organiser = await self._users.get(meeting.organiser_id)
        return organiser.first_name if organiser else ""

    @staticmethod
    def with_calendar(message: Outgoing, meeting: Meeting) -> Outgoing:
        """The message with the meeting's .ics attached, made when it is sent: from the meeting
        as it is then, so a notice that waited (quiet hours, a slow chat) while the meeting
        changed again carries the newest time, place and SEQUENCE, never an older one."""
        return message.model_copy(
            update={"attachment": Attachment(kind="generated", ref=f"{ICS_PREFIX}:{meeting.id}")}
        )

    def notice(self, meeting: Meeting, key: str, **extra: str | int) -> Outgoing:
        """A message about the meeting with its date, time, place and (while answers are
        open) the RSVP, question and calendar buttons."""
        rows: tuple[tuple[Action, ...], ...] = ()
        if meeting.status is MeetingStatus.ACTIVE and key != "meeting.minutes_push":
            ref = (str(meeting.id),)
            rows = (
                tuple(
                    Action(
                        label_key=f"meeting.rsvp_{answer.value}",
                        feature=FEATURE,
                        action="rs",
                        args=(*ref, answer.value),
                    )
                    for answer in Rsvp
                ),
                (
                    Action(label_key="meeting.ask_button", feature=FEATURE, action="q", args=ref),
                    Action(
                        label_key="meeting.ics_button", feature=FEATURE, action="ics", args=ref
                    ),
                ),
            )
        return Outgoing(
            key=key,
            params={
                "title": meeting.title,
                "when": time_words(meeting.starts_at, self.timezone),
                "place": meeting.place,
                "agenda": meeting.agenda or "—",
                "rsvp_by": time_words(meeting.rsvp_by, self.timezone),
                **extra,
            },
            labels={"kind": f"meeting.kind_{meeting.kind.value}"},
            actions=rows,
        )

    async def calendar_file(self, meeting: Meeting) -> tuple[str, bytes]:
        """The meeting's .ics file (made now): its name and bytes."""
        data = self._calendar(
            meeting,
            self.timezone,
            stamp=self.now(),
            organiser=await self.organiser_name(meeting),
        )
        return f"meeting-{meeting.id}.ics", data

    async def _ics(self, argument: str) -> tuple[str, bytes]:
        meeting = await self._meetings.get(int(argument)) if argument.isdigit() else None
        if meeting is None:
            raise FileNotAvailable(argument)
        return await self.calendar_file(meeting)

    async def _get(self, meeting_id: int) -> Meeting:
        meeting = await self._meetings.get(meeting_id)
        if meeting is None:
            raise NotFound("meeting")
        return meeting

    async def _organised(self, actor: User | None, meeting_id: int) -> Meeting:
        actor = self._access.require(actor, Role.GRID_WORKER)
        meeting = await self._get(meeting_id)
        if meeting.organiser_id != actor.id and not actor.has_role(Role.STAFF):
            raise NotAllowed("not the organiser")
        return meeting

    async def _invited(self, user: User | None, meeting_id: int) -> Meeting:
        meeting = await self._get(meeting_id)
        if user is None or not await self._meetings.is_invited(meeting.id, user.id):
            raise NotInvited()
        return meeting

    async def _tell(self, user_ids: Sequence[int], message: Outgoing) -> None:
        await self._notifier.push_many(
            list(user_ids), message, category=Category.MEETING, priority=Priority.PERSONAL
        )

    async def _schedule(self, meeting: Meeting) -> None:
        for moment in reminder_times(meeting.starts_at, self.reminder_hours, self.now()):
            await self._scheduler.add(
                REMIND_KIND, meeting.id, moment, expires_at=meeting.starts_at
            )

    async def _remind(self, job: Job) -> None:
        meeting = await self._meetings.get(job.ref_id)
        if meeting is None or meeting.status is not MeetingStatus.ACTIVE:
            return
        invitees = await self._meetings.invitees(meeting.id)
        message = self.notice(meeting, "meeting.remind_push").model_copy(update={"actions": ()})
        await self._tell(to_remind(invitees), message)

    async def for_resident(self, user: User | None) -> list[Meeting]:
        """Meetings the user is invited to, and past ones of their household's compound whose
        minutes are posted, the latest first."""
        if user is None:
            return []
        found = {m.id: m for m in await self._meetings.of_user(user.id)}
        household = await self._households.current_household(user.id)
        compound = (
            await self._meetings.compound_of_household(household)
            if household is not None
            else None
        )
        if compound is not None:
            for meeting in await self._meetings.all():
                if (
                    meeting.id not in found
                    and meeting.scope is not None
                    and meeting.minutes_at is not None
                    and compound in await self._meetings.compounds_of(meeting.scope)
                ):
                    found[meeting.id] = meeting
        return sorted(found.values(), key=lambda m: m.starts_at, reverse=True)

    async def readable(self, user: User | None, meeting_id: int) -> Meeting:
        """A meeting the user may read: invited, or of their household's scope."""
        meeting = await self._get(meeting_id)
        if meeting.id in {m.id for m in await self.for_resident(user)}:
            return meeting
        if user is not None and (user.has_role(Role.STAFF) or meeting.organiser_id == user.id):
            return meeting
        raise NotInvited()

    async def invitation(self, user: User | None, meeting_id: int) -> tuple[Meeting, Invitee]:
        """The meeting and the user's own answer."""
        meeting = await self._invited(user, meeting_id)
        assert user is not None
        invitee = await self._meetings.invitee(meeting.id, user.id)
        assert invitee is not None
        return meeting, invitee
