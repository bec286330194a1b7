"""Reports: residents file tickets (or join one with +1), follow them, answer, rate them."""

from __future__ import annotations

from datetime import timedelta

from bot.delivery.scheduling import Scheduler
from bot.domain.delivery import Category
from bot.domain.errors import NotAllowed, NotFound
from bot.domain.free_input import ANSWER_WINDOW_HOURS, open_question
from bot.domain.homes import Home
from bot.domain.messages import Attachment
from bot.domain.models import MembershipStatus, User
from bot.domain.reports import (
    OPEN,
    AlreadyJoined,
    EventKind,
    HouseholdTicket,
    Media,
    NoHome,
    NotRateable,
    Rating,
    ReportDraft,
    ServiceLevels,
    Stage,
    Ticket,
    TicketEvent,
    TicketStatus,
    Urgency,
    deadlines,
    media_seen_by_household,
    seen_by_household,
    similar_key,
    ticket_year,
)
from bot.ports import Clock, MembershipRepository, PlaceLookup, UnitOfWork, UserRepository
from bot.services.access import AccessService
from bot.services.outbox import OutboxNotifier
from bot.services.reports.cards import (
    CLOSE_KIND,
    DUE_KINDS,
    REMIND_KINDS,
)
from bot.services.reports.desk import GridDesk
from bot.services.reports.ports import BuildingTree, Homes, TicketStore


class ReportService(GridDesk):
    """Files, shows, handles, reminds of and rates tickets."""

    def __init__(
        self,
        *,
        uow: UnitOfWork,
        tickets: TicketStore,
        homes: Homes,
        memberships: MembershipRepository,
        places: PlaceLookup,
        tree: BuildingTree,
        users: UserRepository,
        access: AccessService,
        notifier: OutboxNotifier,
        scheduler: Scheduler,
        clock: Clock,
        levels: ServiceLevels,
        timezone: str,
    ) -> None:
        self._uow = uow
        self._tickets = tickets
        self._homes = homes
        self._memberships = memberships
        self._places = places
        self._tree = tree
        self._users = users
        self._access = access
        self._notifier = notifier
        self._scheduler = scheduler
        self._clock = clock
        self.levels = levels
        self.timezone = timezone
        for stage, kind in REMIND_KINDS.items():
            scheduler.register(kind, self._reminder(stage))
        for stage, kind in DUE_KINDS.items():
            scheduler.register(kind, self._escalation(stage))
        scheduler.register(CLOSE_KIND, self._auto_close)

    async def home_for_report(self, user: User | None) -> Home:
        """The household a report is filed for: the user's current, approved one."""
        if user is None:
            raise NoHome()
        home = await self._homes.current_home(user)
        if home is None or home.status is not MembershipStatus.APPROVED:
            raise NoHome()
        return home

    async def similar(self, user: User | None, draft: ReportDraft) -> list[Ticket]:
        """Open tickets that may be the same problem: same category, same building or spot."""
        home = await self.home_for_report(user)
        building_id, compound_id = await self._where(home.household_id)
        where, spot = similar_key(draft.category, draft.place)
        return await self._tickets.similar(
            draft.category, building_id, compound_id, spot if where == "compound" else None
        )

    async def submit(self, user: User | None, draft: ReportDraft) -> Ticket:
        """File the report; the grid workers of the building are told; deadlines are set."""
        home = await self.home_for_report(user)
        assert user is not None
        return await self._file(user, home.household_id, draft)

    async def submit_for(
        self, worker: User | None, reporter: User, household_id: int, draft: ReportDraft
    ) -> Ticket:
        """A grid worker files what a household told them (a thread's "📝 转成工单"), as the
        household's report by `reporter`; only for a household of the worker's grid."""
        building_id, _ = await self._where(household_id)
        await self._access.require_building(worker, building_id)
        return await self._file(reporter, household_id, draft)

    async def _file(self, user: User, household_id: int, draft: ReportDraft) -> Ticket:
        building_id, compound_id = await self._where(household_id)
        now = self._clock.now()
        due = deadlines(now, draft.category, draft.urgency, self.levels)
        async with self._uow.transaction():
            ticket_id = await self._tickets.add(
                ticket_year(now, self.timezone),
                draft,
                reporter_id=user.id,
                household_id=household_id,
                building_id=building_id,
                compound_id=compound_id,
                accept_by=due.accept_by,
                resolve_by=due.resolve_by,
                now=now,
            )
            await self._tickets.add_event(
                ticket_id,
                EventKind.CREATED,
                now,
                actor_id=user.id,
                to_status=TicketStatus.SUBMITTED,
            )
            media = [*draft.photos, *([draft.voice] if draft.voice else [])]
            if media:
                await self._tickets.add_media(ticket_id, media, now)
            ticket = await self._get(ticket_id)
            await self._schedule(ticket, now, stages=(Stage.ACCEPT, Stage.RESOLVE))
            for worker in await self._handlers_of(ticket):
                await self._notifier.push(
                    worker,
                    await self._handler_card(ticket, "report.new_push"),
                    category=Category.REPORT,
                    urgent=ticket.urgency is Urgency.HIGH,
                )
        return ticket

    async def join(self, user: User | None, ticket_id: int, draft: ReportDraft) -> Ticket:
        """ "+1": the household joins an open ticket instead of filing a duplicate."""
        home = await self.home_for_report(user)
        assert user is not None
        now = self._clock.now()
        async with self._uow.transaction():
            ticket = await self._get(ticket_id)
            similar = await self.similar(user, draft)
            if ticket.id not in {t.id for t in similar}:
                raise NotFound("ticket")
            if ticket.household_id == home.household_id or not await self._tickets.add_supporter(
                ticket.id, home.household_id, user.id, now
            ):
                raise AlreadyJoined(number=ticket.number)
            event_id = await self._tickets.add_event(
                ticket.id, EventKind.JOIN, now, actor_id=user.id, note=draft.description
            )
            media = [*draft.photos, *([draft.voice] if draft.voice else [])]
            if media:
                await self._tickets.add_media(ticket.id, media, now, event_id)
            return await self._get(ticket.id)

    async def for_resident(self, user: User | None, ticket_id: int) -> Ticket:
        """A ticket the user's household reported or joined; NotFound otherwise."""
        ticket = await self._tickets.get(ticket_id)
        if ticket is None or user is None or not await self._concerns(user, ticket):
            raise NotFound("ticket")
        return ticket

    async def household_view(self, user: User | None, ticket_id: int) -> HouseholdTicket:
        """A ticket as the user's household sees it: the reporting household all of it, a
        household that joined with "+1" the public part and its own entries."""
        ticket = await self.for_resident(user, ticket_id)
        assert user is not None
        reporter = await self._reported_by(user, ticket)
        homes = [h for h in await self._homes.homes(user) if h.status is MembershipStatus.APPROVED]
        household = {member.id for member in await self._members([h.household_id for h in homes])}
        history = {event.id: event for event in await self._tickets.events(ticket.id)}
        events = [
            seen
            for event in history.values()
            if (
                seen := seen_by_household(
                    event, reporter=reporter, own=event.actor_id in household
                )
            )
        ]
        media = [
            item
            for event_id, item in await self._tickets.media_by_event(ticket.id)
            if media_seen_by_household(
                event := history.get(event_id) if event_id is not None else None,
                reporter=reporter,
                own=event is not None and event.actor_id in household,
            )
        ]
        return HouseholdTicket(
            ticket=ticket, reporter=reporter, events=tuple(events), media=tuple(media)
        )

    async def rate(self, user: User | None, ticket_id: int, rating: Rating) -> Ticket:
        """The reporting household rates a resolved ticket; all but "unsatisfied" close it."""
        ticket = await self.for_resident(user, ticket_id)
        assert user is not None
        if not await self._reported_by(user, ticket) or ticket.status is not (
            TicketStatus.RESOLVED
        ):
            raise NotRateable()
        now = self._clock.now()
        async with self._uow.transaction():
            current = await self._get(ticket.id)
            if current.status is not TicketStatus.RESOLVED or current.rating is not None:
                raise NotRateable()
            await self._tickets.update(ticket.id, now, rating=rating)
            await self._tickets.add_event(
                ticket.id, EventKind.RATING, now, actor_id=user.id, note=rating.value
            )
            if rating is not Rating.UNSATISFIED:
                await self._close(current, user.id, now)
        return await self._get(ticket.id)

    async def reopen(self, user: User | None, ticket_id: int, reason: str) -> Ticket:
        """After "unsatisfied": the reporting household reopens it with a reason."""
        ticket = await self.for_resident(user, ticket_id)
        assert user is not None
        if not await self._reported_by(user, ticket):
            raise NotRateable()
        return await self._move(user, ticket, TicketStatus.REOPENED, reason)

    async def keep_closed(self, user: User | None, ticket_id: int) -> Ticket:
        """After "unsatisfied": close it without reopening."""
        ticket = await self.for_resident(user, ticket_id)
        assert user is not None
        if not await self._reported_by(user, ticket):
            raise NotRateable()
        return await self._move(user, ticket, TicketStatus.CLOSED, "")

    async def question(self, user: User | None, event_id: int) -> tuple[Ticket, TicketEvent]:
        """A question asked of the user's household, to answer."""
        event = await self._tickets.event(event_id)
        if event is None or event.kind is not EventKind.QUESTION:
            raise NotFound("question")
        ticket = await self.for_resident(user, event.ticket_id)
        assert user is not None
        if not await self._reported_by(user, ticket):
            raise NotFound("question")
        return ticket, event

    async def open_question(self, user: User | None) -> TicketEvent | None:
        """The latest question asked of the user's household on one of its open tickets, in
        the last ANSWER_WINDOW_HOURS and not answered yet (plain words answer it)."""
        if user is None:
            return None
        households = {
            h.household_id
            for h in await self._homes.homes(user)
            if h.status is MembershipStatus.APPROVED
        }
        since = self._clock.now() - timedelta(hours=ANSWER_WINDOW_HOURS)
        found: list[TicketEvent] = []
        for ticket in await self._tickets.of_households(sorted(households), 50):
            if ticket.household_id in households and ticket.status in OPEN:
                question = open_question(await self._tickets.events(ticket.id), since)
                if question is not None:
                    found.append(question)
        return max(found, key=lambda event: (event.at, event.id), default=None)

    async def answer(
        self, user: User | None, event_id: int, text: str, voice: Media | None = None
    ) -> Ticket:
        """The resident's answer is attached to the ticket and pushed to whoever asked."""
        ticket, question = await self.question(user, event_id)
        assert user is not None
        now = self._clock.now()
        async with self._uow.transaction():
            answer_id = await self._tickets.add_event(
                ticket.id, EventKind.ANSWER, now, actor_id=user.id, note=text
            )
            if voice is not None:
                await self._tickets.add_media(ticket.id, [voice], now, answer_id)
            asker = await self._users.get(question.actor_id) if question.actor_id else None
            if asker is not None:
                message = await self._handler_card(
                    ticket,
                    "report.answer_push",
                    question=question.note,
                    answer=text or "🎤",
                )
                if voice is not None:
                    message = message.model_copy(
                        update={"attachment": Attachment(kind="voice", ref=voice.ref)}
                    )
                await self._notifier.push(asker, message, category=Category.REPORT)
        return await self._get(ticket.id)

    async def media(self, user: User | None, ticket_id: int) -> list[Media]:
        """Photos and voice notes of a ticket: all of them for its handlers, what a household
        may see (`household_view`) for its households."""
        ticket = await self._tickets.get(ticket_id)
        if ticket is None or user is None:
            raise NotFound("ticket")
        if await self._concerns(user, ticket):
            return list((await self.household_view(user, ticket_id)).media)
        try:
            await self.managed(user, ticket_id)
        except NotAllowed:
            raise NotFound("ticket") from None
        return await self._tickets.media(ticket_id)
