"""Construction notices: water, power or gas outages and works, for buildings or units.

Residents in scope get the notice at once, at 20:00 the evening before and 1 h before (all
urgent: an outage notice held back by quiet hours would be useless); the grid workers of the
buildings get the list of affected vulnerable households, to check on them. A change or a
cancellation reaches the same people. Reminders are job rows, rebuilt after a restart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from bot.delivery.scheduling import Scheduler
from bot.domain.broadcasts import BroadcastDraft
from bot.domain.delivery import Category, Priority
from bot.domain.errors import NotAllowed, NotEditable, NotFound
from bot.domain.homes import place_text
from bot.domain.messages import Outgoing
from bot.domain.models import Language, User
from bot.domain.notices import (
    EVENING_KIND,
    HOUR_KIND,
    REMINDER_KINDS,
    Notice,
    NoticeDraft,
    NoticeStatus,
    VulnerableHousehold,
    check_window,
    reminder_times,
    window_text,
)
from bot.domain.schedule import Job
from bot.domain.scope import Scope
from bot.i18n import plain
from bot.ports import Clock, PlaceLookup, UnitOfWork, UserRepository
from bot.services.broadcasts import Audience, BroadcastService
from bot.services.outbox import OutboxNotifier


class NoticeStore(Protocol):
    """Notice rows (see storage.notices)."""

    async def add(self, author_id: int, draft: NoticeDraft, now: datetime) -> Notice: ...
    async def get(self, notice_id: int) -> Notice | None: ...
    async def update(self, notice_id: int, draft: NoticeDraft, now: datetime) -> None: ...
    async def set_status(self, notice_id: int, status: NoticeStatus, now: datetime) -> None: ...
    async def active(self, now: datetime) -> list[Notice]: ...
    async def vulnerable_in(self, scope: Scope) -> list[VulnerableHousehold]: ...


class NoticeService:
    """Creates, changes, cancels and reminds of construction notices."""

    def __init__(
        self,
        *,
        uow: UnitOfWork,
        notices: NoticeStore,
        audience: Audience,
        places: PlaceLookup,
        broadcasts: BroadcastService,
        notifier: OutboxNotifier,
        users: UserRepository,
        scheduler: Scheduler,
        clock: Clock,
        timezone: str,
        language_of: Callable[[User], Language],
    ) -> None:
        self._uow = uow
        self._language_of = language_of
        self._notices = notices
        self._audience = audience
        self._places = places
        self._broadcasts = broadcasts
        self._notifier = notifier
        self._users = users
        self._scheduler = scheduler
        self._clock = clock
        self.timezone = timezone  # the community's: times are typed and shown in it
        for kind in REMINDER_KINDS:
            scheduler.register(kind, self._remind)

    async def create(self, actor: User | None, draft: NoticeDraft) -> Notice:
        """Store the notice, tell residents and grid workers now, set the reminders."""
        actor = await self._broadcasts.check_scope(actor, draft.scope)
        now = self._clock.now()
        check_window(draft.starts_at, draft.ends_at, now, self.timezone)
        async with self._uow.transaction():
            notice = await self._notices.add(actor.id, draft, now)
            await self._announce(notice, "notice.new", report=True)
            await self._schedule(notice)
            await self._alert_workers(notice)
        return notice

    async def change(
        self, actor: User | None, notice_id: int, starts_at: object, ends_at: object
    ) -> Notice:
        """Move the window; everyone in scope is told what changed; reminders follow."""
        notice = await self._editable(actor, notice_id)
        now = self._clock.now()
        changed = NoticeDraft.model_validate(
            notice.model_dump(include=set(NoticeDraft.model_fields))
            | {"starts_at": starts_at, "ends_at": ends_at}
        )
        check_window(changed.starts_at, changed.ends_at, now, self.timezone)
        before = window_text(notice.starts_at, notice.ends_at, self.timezone)
        async with self._uow.transaction():
            await self._notices.update(notice_id, changed, now)
            updated = await self._get(notice_id)
            await self._scheduler.cancel(REMINDER_KINDS, notice_id)
            await self._schedule(updated)
            await self._announce(updated, "notice.changed", report=False, before=before)
        return updated

    async def cancel(self, actor: User | None, notice_id: int) -> Notice:
        """Call it off; everyone in scope is told; no more reminders."""
        notice = await self._editable(actor, notice_id)
        async with self._uow.transaction():
            await self._notices.set_status(notice_id, NoticeStatus.CANCELLED, self._clock.now())
            await self._scheduler.cancel(REMINDER_KINDS, notice_id)
            await self._announce(notice, "notice.cancelled", report=False)
        return await self._get(notice_id)

    async def for_resident(self, user: User | None) -> list[Notice]:
        """Current and upcoming notices that concern one of the user's households."""
        if user is None:
            return []
        found = []
        for notice in await self._notices.active(self._clock.now()):
            pairs = await self._audience.targets(notice.scope)
            if any(member == user.id for _, member in pairs):
                found.append(notice)
        return found

    async def managed(self, actor: User | None) -> list[Notice]:
        """Active notices the actor may change or cancel."""
        actor = self._broadcasts.require_manager(actor)
        found = []
        for notice in await self._notices.active(self._clock.now()):
            if await self._may_manage(actor, notice):
                found.append(notice)
        return found

    async def get(self, actor: User | None, notice_id: int) -> Notice:
        """A notice the actor manages."""
        return await self._editable(actor, notice_id)

    def reminders(self, starts_at: datetime) -> dict[str, datetime]:
        """The reminders a notice starting then would get if made now (kind → when): only
        those still ahead, so a notice is never promised one that cannot come."""
        return reminder_times(starts_at, self._clock.now(), self.timezone)

    def message(self, notice: Notice, key: str, **extra: str | int) -> Outgoing:
        """A notice as residents see it, in their language."""
        return Outgoing(
            key=key,
            params={
                "id": notice.id,
                "window": window_text(notice.starts_at, notice.ends_at, self.timezone),
                "details": notice.details or "—",
                "arrangements": notice.arrangements or "—",
                **extra,
            },
            labels={
                "kind": f"notice.kind_{notice.kind}",
                "as_usual": f"notice.as_usual_{notice.kind}",
            },
        )

    # ------------------------------------------------------------------ inside

    async def _get(self, notice_id: int) -> Notice:
        notice = await self._notices.get(notice_id)
        if notice is None:
            raise NotFound("notice")
        return notice

    async def _may_manage(self, actor: User, notice: Notice) -> bool:
        try:
            await self._broadcasts.check_scope(actor, notice.scope)
        except (NotAllowed, NotFound):
            return False
        return True

    async def _editable(self, actor: User | None, notice_id: int) -> Notice:
        actor = self._broadcasts.require_manager(actor)
        notice = await self._get(notice_id)
        if not await self._may_manage(actor, notice):
            raise NotAllowed("notice outside the actor's buildings")
        if notice.status is not NoticeStatus.ACTIVE or notice.ends_at <= self._clock.now():
            raise NotEditable()
        return notice

    async def _announce(self, notice: Notice, key: str, *, report: bool, **extra: str) -> None:
        message = self.message(notice, key, **extra)
        await self._broadcasts.send_as(
            notice.author_id,
            BroadcastDraft(
                body=f"[{notice.kind}] {key} #{notice.id}", scope=notice.scope, urgent=True
            ),
            report=report,
            notice_id=notice.id,
            message=message,
        )

    async def _schedule(self, notice: Notice) -> None:
        times = self.reminders(notice.starts_at)
        for kind, moment in times.items():
            await self._scheduler.add(kind, notice.id, moment, expires_at=notice.starts_at)

    async def _remind(self, job: Job) -> None:
        notice = await self._notices.get(job.ref_id)
        if notice is None or notice.status is not NoticeStatus.ACTIVE:
            return
        key = "notice.evening" if job.kind == EVENING_KIND else "notice.hour"
        assert job.kind in (EVENING_KIND, HOUR_KIND)
        await self._announce(notice, key, report=False)

    async def _alert_workers(self, notice: Notice) -> None:
        """The grid workers of each affected building get its vulnerable households (whether
        anyone there uses the bot or not): where, why, the owner's name and a phone."""
        by_building: dict[int, list[VulnerableHousehold]] = {}
        for household in await self._notices.vulnerable_in(notice.scope):
            by_building.setdefault(household.building_id, []).append(household)
        for building, households in by_building.items():
            for channel, external_id in await self._places.workers_of_building(building):
                worker = await self._users.get_by_external(channel, external_id)
                if worker is None:
                    continue
                message = self.message(
                    notice,
                    "notice.check_vulnerable",
                    visit=visit_list(households, self._language_of(worker)),
                    count=len(households),
                )
                await self._notifier.push(
                    worker,
                    message,
                    category=Category.NOTICE,
                    urgent=True,
                    priority=Priority.PERSONAL,
                )


def visit_list(households: Sequence[VulnerableHousehold], language: Language) -> str:
    """One line per household to check on, in the grid worker's language: where, why (lives
    alone, elderly, disabled), the owner's name and a phone."""
    lines = []
    for household in households:
        why = " · ".join(plain(language, f"vote.flag_{reason}") for reason in household.reasons)
        lines.append(
            plain(
                language,
                "notice.visit_line",
                place=place_text(household.place),
                why=why,
                owner=household.owner_name or "—",
                phone=household.phone or plain(language, "notice.no_phone"),
            )
        )
    return "\n".join(lines) if lines else "—"
