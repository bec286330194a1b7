"""Meetings: what invitees do (answer, ask a question in advance), and the whole service."""

from __future__ import annotations

from collections.abc import Sequence

from bot.delivery.files import GeneratedFiles
from bot.delivery.scheduling import Scheduler
from bot.domain.delivery import Category
from bot.domain.meetings import (
    MAX_QUESTION,
    Meeting,
    MeetingOver,
    Question,
    Rsvp,
    RsvpClosed,
)
from bot.domain.messages import Attachment, Outgoing
from bot.domain.models import User
from bot.ports import Clock, UnitOfWork, UserRepository
from bot.services.access import AccessService
from bot.services.meetings.lookups import ICS_PREFIX, REMIND_KIND
from bot.services.meetings.models import CalendarFile, CurrentHousehold, MeetingStore
from bot.services.meetings.organiser import MeetingOrganiser
from bot.services.outbox import OutboxNotifier


class MeetingService(MeetingOrganiser):
    """Meetings (会议): organisers call them, invitees answer and ask, reminders go out."""

    def __init__(
        self,
        *,
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
        calendar: CalendarFile,
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
        self._calendar = calendar
        scheduler.register(REMIND_KIND, self._remind)
        files.register(ICS_PREFIX, self._ics)

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
