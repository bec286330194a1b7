"""Meetings: what the organiser does (call, change, cancel, minutes, attendance)."""

from __future__ import annotations

from datetime import datetime

from bot.domain.errors import NotFound
from bot.domain.meetings import (
    DeadlinePassed,
    Meeting,
    MeetingDraft,
    MeetingOver,
    MeetingStatus,
    NoInvitees,
    NotYetHeld,
    check_new_time,
    moved_deadline,
)
from bot.domain.messages import Attachment
from bot.domain.models import Role, User
from bot.domain.wording import time_words
from bot.services.meetings.lookups import REMIND_KIND, MeetingLookups, logger
from bot.services.meetings.models import Overview


class MeetingOrganiser(MeetingLookups):
    """Calls, changes, cancels a meeting; posts minutes; marks who came."""

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
                f"{time_words(meeting.starts_at, self.timezone)} → "
                f"{time_words(starts_at, self.timezone)}"
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
