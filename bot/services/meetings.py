"""Meetings: staff (or a grid worker for their grid) invite residents, roles and named
contacts; invitees answer until the deadline and send questions in advance; reminders go
out before the meeting; changes, cancellations and the minutes reach every invitee.

The list of invitees is fixed when the meeting is created. Reminders are job rows, rebuilt
after a restart; every push goes through the outbox.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.delivery.files import FileNotAvailable, GeneratedFiles
from bot.delivery.scheduling import Scheduler
from bot.documents.meeting_calendar import ics
from bot.domain.delivery import Category, Priority
from bot.domain.errors import NotAllowed, NotFound
from bot.domain.meetings import (
    MAX_QUESTION,
    ContactRow,
    DeadlinePassed,
    Invitee,
    Meeting,
    MeetingDraft,
    MeetingOver,
    MeetingStatus,
    NoInvitees,
    NotInvited,
    NotYetHeld,
    Question,
    Rsvp,
    RsvpClosed,
    check_new_time,
    invitable_scopes,
    moved_deadline,
    reminder_times,
    to_remind,
)
from bot.domain.messages import Action, Attachment, Outgoing
from bot.domain.models import Role, User
from bot.domain.reports import local_text
from bot.domain.schedule import Job
from bot.domain.scope import Scope, ScopeKind
from bot.domain.vocabulary import Feature
from bot.ports import Clock, UnitOfWork, UserRepository
from bot.services.access import AccessService
from bot.services.outbox import OutboxNotifier

logger = logging.getLogger(__name__)

FEATURE = Feature.MEETING
REMIND_KIND = "meeting.remind"
ICS_PREFIX = "meeting-ics"


class MeetingStore(Protocol):
    """Meeting rows (see storage.meetings)."""

    async def add(self, draft: MeetingDraft, organiser_id: int, now: datetime) -> int: ...
    async def get(self, meeting_id: int) -> Meeting | None: ...
    async def all(self) -> list[Meeting]: ...
    async def update(self, meeting_id: int, **fields: object) -> None: ...
    async def revise(self, meeting_id: int, **fields: object) -> None: ...
    async def people(self, scope: Scope | None, roles: Sequence[Role]) -> list[int]: ...
    async def invite(self, meeting_id: int, user_ids: Sequence[int]) -> None: ...
    async def invitees(self, meeting_id: int) -> list[Invitee]: ...
    async def invitee(self, meeting_id: int, user_id: int) -> Invitee | None: ...
    async def is_invited(self, meeting_id: int, user_id: int) -> bool: ...
    async def rsvp(self, meeting_id: int, user_id: int, answer: Rsvp, now: datetime) -> None: ...
    async def set_attended(self, meeting_id: int, user_id: int, attended: bool) -> None: ...
    async def contacts(self, meeting_id: int) -> list[ContactRow]: ...
    async def set_contact_attended(
        self, meeting_id: int, contact_id: int, attended: bool
    ) -> bool: ...
    async def add_question(
        self, meeting_id: int, user_id: int, text: str, voice: str | None, now: datetime
    ) -> int: ...
    async def questions(self, meeting_id: int) -> list[Question]: ...
    async def of_user(self, user_id: int) -> list[Meeting]: ...
    async def buildings_of(self, scope: Scope) -> set[int]: ...
    async def compounds_of(self, scope: Scope) -> set[int]: ...
    async def compound_of_household(self, household_id: int) -> int | None: ...


class CurrentHousehold(Protocol):
    """The household a user acts for (see storage.votes)."""

    async def current_household(self, user_id: int) -> int | None: ...


@dataclass(frozen=True)
class Overview:
    """What the organiser sees: the list with answers, contacts and questions."""

    meeting: Meeting
    invitees: list[Invitee]
    contacts: list[ContactRow]
    questions: list[Question]


class MeetingService:
    """Creates, changes, reminds of and closes meetings."""

    def __init__(
        self,
        uow: UnitOfWork,
        meetings: MeetingStore,
        households: CurrentHousehold,
        users: UserRepository,
        access: AccessService,
        notifier: OutboxNotifier,
        scheduler: Scheduler,
        clock: Clock,
        timezone: str,
        reminder_hours: Sequence[float],
        files: GeneratedFiles,
    ) -> None:
        self._uow = uow
        self._meetings = meetings
        self._households = households
        self._users = users
        self._access = access
        self._notifier = notifier
        self._scheduler = scheduler
        self._clock = clock
        self.timezone = timezone
        self.reminder_hours = tuple(reminder_hours)
        scheduler.register(REMIND_KIND, self._remind)
        files.register(ICS_PREFIX, self._ics)

    def now(self) -> datetime:
        """The service's clock."""
        return self._clock.now()

    # ------------------------------------------------------------------ organisers

    async def create(self, actor: User | None, draft: MeetingDraft) -> Meeting:
        """Invite everyone in scope and of the roles; each gets the notice with its buttons."""
        actor = self._access.require(actor, Role.GRID_WORKER)
        await self.check_scope(actor, draft.scope)
        now = self.now()
        if draft.starts_at <= now:
            raise MeetingOver()
        if draft.rsvp_by <= now:
            raise DeadlinePassed()
        people = [
            p for p in await self._meetings.people(draft.scope, draft.roles) if p != actor.id
        ]
        if not people and not draft.contacts:
            raise NoInvitees()
        async with self._uow.transaction():
            meeting_id = await self._meetings.add(draft, actor.id, now)
            await self._meetings.invite(meeting_id, people)
            meeting = await self._get(meeting_id)
            await self._schedule(meeting)
            await self._tell(
                people, self.with_calendar(self.notice(meeting, "meeting.notice_push"), meeting)
            )
        logger.info("meeting %s created: %s invitees", meeting_id, len(people))
        return meeting

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

    async def changeable(self, actor: User | None, meeting_id: int) -> Overview:
        """The organiser's overview of a meeting that may still move or be cancelled."""
        overview = await self.overview(actor, meeting_id)
        if not overview.meeting.changeable(self.now()):
            raise MeetingOver()
        return overview

    async def held(self, actor: User | None, meeting_id: int) -> Overview:
        """The organiser's overview of a meeting that has taken place (minutes, attendance)."""
        overview = await self.overview(actor, meeting_id)
        if not overview.meeting.held(self.now()):
            raise NotYetHeld()
        return overview

    async def change(
        self,
        actor: User | None,
        meeting_id: int,
        *,
        starts_at: datetime | None = None,
        place: str | None = None,
    ) -> Meeting:
        """Move it (its answer deadline with it) or change its place; every invitee is told
        what changed, with the calendar file of the meeting as it now is."""
        meeting = await self._organised(actor, meeting_id)
        now = self.now()
        if not meeting.changeable(now):
            raise MeetingOver()
        fields: dict[str, object] = {}
        changes: list[str] = []
        if starts_at is not None and starts_at != meeting.starts_at:
            check_new_time(starts_at, now)
            fields["starts_at"] = starts_at
            fields["rsvp_by"] = moved_deadline(meeting.starts_at, meeting.rsvp_by, starts_at, now)
            changes.append(
                f"{local_text(meeting.starts_at, self.timezone)} → "
                f"{local_text(starts_at, self.timezone)}"
            )
        if place is not None and place.strip() and place.strip() != meeting.place:
            Meeting.model_validate({**meeting.model_dump(), "place": place.strip()})
            fields["place"] = place.strip()
            changes.append(f"{meeting.place} → {place.strip()}")
        if not fields:
            return meeting
        async with self._uow.transaction():
            await self._meetings.revise(meeting.id, **fields)
            changed = await self._get(meeting.id)
            await self._scheduler.cancel((REMIND_KIND,), meeting.id)
            await self._schedule(changed)
            people = [i.user_id for i in await self._meetings.invitees(meeting.id)]
            await self._tell(
                people,
                self.with_calendar(
                    self.notice(changed, "meeting.changed_push", changes="\n".join(changes)),
                    changed,
                ),
            )
        return changed

    async def cancel(self, actor: User | None, meeting_id: int) -> Meeting:
        """Call it off; every invitee is told, with the calendar file that cancels it."""
        meeting = await self._organised(actor, meeting_id)
        if not meeting.changeable(self.now()):
            raise MeetingOver()
        async with self._uow.transaction():
            await self._meetings.revise(meeting.id, status=MeetingStatus.CANCELLED)
            await self._scheduler.cancel((REMIND_KIND,), meeting.id)
            cancelled = await self._get(meeting.id)
            people = [i.user_id for i in await self._meetings.invitees(meeting.id)]
            await self._tell(
                people,
                self.with_calendar(self.notice(cancelled, "meeting.cancelled_push"), cancelled),
            )
        return cancelled

    async def post_minutes(
        self,
        actor: User | None,
        meeting_id: int,
        *,
        minutes: str,
        decisions: str,
        document: str | None,
    ) -> Meeting:
        """The minutes and decisions, after the meeting; they go to every invitee."""
        meeting = await self._organised(actor, meeting_id)
        now = self.now()
        if not meeting.held(now):
            raise NotYetHeld()
        async with self._uow.transaction():
            await self._meetings.update(
                meeting.id,
                minutes=minutes,
                decisions=decisions,
                minutes_doc=document,
                minutes_at=now,
            )
            posted = await self._get(meeting.id)
            people = [i.user_id for i in await self._meetings.invitees(meeting.id)]
            message = self.notice(
                posted,
                "meeting.minutes_push",
                minutes=minutes or "—",
                decisions=decisions or "—",
            ).model_copy(
                update={
                    "actions": (),
                    "attachment": Attachment(kind="document", ref=document) if document else None,
                }
            )
            await self._tell(people, message)
        return posted

    async def mark(
        self, actor: User | None, meeting_id: int, who: str, ref_id: int, attended: bool
    ) -> Overview:
        """Record who came ("u": an invitee by user id, "c": a contact by its id)."""
        meeting = await self._organised(actor, meeting_id)
        if not meeting.held(self.now()):
            raise NotYetHeld()
        async with self._uow.transaction():
            if who == "u":
                if not await self._meetings.is_invited(meeting.id, ref_id):
                    raise NotFound("invitee")
                await self._meetings.set_attended(meeting.id, ref_id, attended)
            elif not await self._meetings.set_contact_attended(meeting.id, ref_id, attended):
                raise NotFound("contact")
        return await self.overview(actor, meeting.id)

    # ------------------------------------------------------------------ invitees

    async def rsvp(self, user: User | None, meeting_id: int, answer: Rsvp) -> Meeting:
        """Answer (or change the answer) until the deadline."""
        meeting = await self._invited(user, meeting_id)
        assert user is not None
        async with self._uow.transaction():
            if not meeting.rsvp_open(self.now()):
                raise RsvpClosed()
            await self._meetings.rsvp(meeting.id, user.id, answer, self.now())
        return meeting

    async def ask(
        self, user: User | None, meeting_id: int, *, text: str = "", voice: str | None = None
    ) -> Question:
        """A topic or question for the organiser, before the meeting."""
        meeting = await self._invited(user, meeting_id)
        assert user is not None
        if not meeting.changeable(self.now()):
            raise MeetingOver()
        text = text.strip()
        if len(text) > MAX_QUESTION:
            raise ValueError("question too long")
        async with self._uow.transaction():
            question_id = await self._meetings.add_question(
                meeting.id, user.id, text, voice, self.now()
            )
            organiser = await self._users.get(meeting.organiser_id)
            if organiser is not None:
                await self._notifier.push(
                    organiser,
                    Outgoing(
                        key="meeting.question_push",
                        params={
                            "title": meeting.title,
                            "name": user.first_name or "—",
                            "text": text or "🎤",
                        },
                        attachment=Attachment(kind="voice", ref=voice) if voice else None,
                    ),
                    category=Category.MEETING,
                )
        questions = await self._meetings.questions(meeting.id)
        return next(q for q in questions if q.id == question_id)

    async def askable(self, user: User | None, meeting_id: int) -> Meeting:
        """A meeting the user is invited to that has not taken place (questions in advance)."""
        meeting = await self._invited(user, meeting_id)
        if not meeting.changeable(self.now()):
            raise MeetingOver()
        return meeting

    async def invitation(self, user: User | None, meeting_id: int) -> tuple[Meeting, Invitee]:
        """The meeting and the user's own answer."""
        meeting = await self._invited(user, meeting_id)
        assert user is not None
        invitee = await self._meetings.invitee(meeting.id, user.id)
        assert invitee is not None
        return meeting, invitee

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

    async def organiser_name(self, meeting: Meeting) -> str:
        """Who organises it."""
        organiser = await self._users.get(meeting.organiser_id)
        return organiser.first_name if organiser else ""

    # ------------------------------------------------------------------ messages

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
                "when": local_text(meeting.starts_at, self.timezone),
                "place": meeting.place,
                "agenda": meeting.agenda or "—",
                "rsvp_by": local_text(meeting.rsvp_by, self.timezone),
                **extra,
            },
            labels={"kind": f"meeting.kind_{meeting.kind.value}"},
            actions=rows,
        )

    async def calendar_file(self, meeting: Meeting) -> tuple[str, bytes]:
        """The meeting's .ics file (made now): its name and bytes."""
        data = ics(
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

    # ------------------------------------------------------------------ helpers

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


__all__ = ["FEATURE", "REMIND_KIND", "MeetingService", "Overview"]
