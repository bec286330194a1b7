"""Reports (报事): residents file tickets and follow them; grid workers handle them in time.

Every status change is appended to the ticket's history and pushed (through the outbox) to
the members of the reporting household and of the households that joined with "+1". Deadlines
are job rows: a reminder to the assignee before each deadline and an escalation to staff after
it, each at most once, rebuilt from the database after a restart.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from bot.delivery.scheduling import Scheduler
from bot.domain.delivery import Category, Priority
from bot.domain.errors import NotAllowed, NotFound
from bot.domain.homes import Home
from bot.domain.messages import Action, Attachment, Outgoing
from bot.domain.models import MembershipStatus, Place, Role, User
from bot.domain.report_stats import ReportStats, report_stats
from bot.domain.reports import (
    AUTO_CLOSE_AFTER,
    AlreadyJoined,
    BadTransition,
    EventKind,
    HouseholdTicket,
    Media,
    MediaKind,
    NoHome,
    NotRateable,
    PlaceKind,
    Rating,
    ReportDraft,
    ServiceLevels,
    Stage,
    Ticket,
    TicketEvent,
    TicketStatus,
    Urgency,
    check_transition,
    deadlines,
    local_text,
    media_seen_by_household,
    next_deadline,
    reminder_time,
    seen_by_household,
    similar_key,
    stage_met,
    ticket_year,
    worker_moves,
)
from bot.domain.schedule import Job
from bot.ports import Clock, MembershipRepository, PlaceLookup, UnitOfWork, UserRepository
from bot.services.access import AccessService
from bot.services.outbox import OutboxNotifier

RESIDENT_FEATURE = "rp"  # buttons residents press on pushes (rate, answer)
STAFF_FEATURE = "tk"  # buttons grid workers and staff press (open a ticket)
REMIND_KINDS = {Stage.ACCEPT: "ticket.accept_remind", Stage.RESOLVE: "ticket.resolve_remind"}
DUE_KINDS = {Stage.ACCEPT: "ticket.accept_due", Stage.RESOLVE: "ticket.resolve_due"}
CLOSE_KIND = "ticket.autoclose"
ALL_KINDS = (*REMIND_KINDS.values(), *DUE_KINDS.values(), CLOSE_KIND)
MY_REPORTS = 20


class TicketStore(Protocol):
    """Ticket rows (see storage.reports)."""

    async def add(
        self,
        year: int,
        draft: ReportDraft,
        *,
        reporter_id: int,
        household_id: int,
        building_id: int,
        compound_id: int,
        accept_by: datetime,
        resolve_by: datetime,
        now: datetime,
    ) -> int: ...
    async def get(self, ticket_id: int) -> Ticket | None: ...
    async def update(self, ticket_id: int, now: datetime, **fields: object) -> None: ...
    async def add_event(
        self,
        ticket_id: int,
        kind: EventKind,
        at: datetime,
        *,
        actor_id: int | None = None,
        from_status: TicketStatus | None = None,
        to_status: TicketStatus | None = None,
        note: str = "",
    ) -> int: ...
    async def events(self, ticket_id: int) -> list[TicketEvent]: ...
    async def event(self, event_id: int) -> TicketEvent | None: ...
    async def add_media(
        self, ticket_id: int, media: Sequence[Media], now: datetime, event_id: int | None = None
    ) -> None: ...
    async def media(self, ticket_id: int) -> list[Media]: ...
    async def media_by_event(self, ticket_id: int) -> list[tuple[int | None, Media]]: ...
    async def add_supporter(
        self, ticket_id: int, household_id: int, user_id: int, now: datetime
    ) -> bool: ...
    async def supporter_households(self, ticket_id: int) -> list[int]: ...
    async def similar(
        self, category: object, building_id: int, compound_id: int, spot: str | None
    ) -> list[Ticket]: ...
    async def open_in(self, building_ids: Sequence[int]) -> list[Ticket]: ...
    async def of_households(self, household_ids: Sequence[int], limit: int) -> list[Ticket]: ...
    async def created_between(self, start: datetime, end: datetime) -> list[Ticket]: ...
    async def all_open(self) -> list[Ticket]: ...
    async def grid_of_buildings(self) -> dict[int, str]: ...


class Homes(Protocol):
    """The reporter's household (see RegistrationService)."""

    async def current_home(self, user: User) -> Home | None: ...
    async def homes(self, user: User) -> list[Home]: ...


class BuildingTree(Protocol):
    """Which compound a building is in."""

    async def get_building(self, building_id: int) -> object | None: ...


class ReportService:
    """Files, shows, handles, reminds of and rates tickets."""

    def __init__(
        self,
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

    # ------------------------------------------------------------------ residents

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
        building_id, compound_id = await self._where(home.household_id)
        now = self._clock.now()
        due = deadlines(now, draft.category, draft.urgency, self.levels)
        async with self._uow.transaction():
            ticket_id = await self._tickets.add(
                ticket_year(now, self.timezone),
                draft,
                reporter_id=user.id,
                household_id=home.household_id,
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

    async def mine(self, user: User | None) -> list[Ticket]:
        """Tickets of the user's households, reported or joined, newest first."""
        if user is None:
            return []
        households = [
            home.household_id
            for home in await self._homes.homes(user)
            if home.status is MembershipStatus.APPROVED
        ]
        return await self._tickets.of_households(households, MY_REPORTS)

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

    async def history(self, ticket: Ticket) -> list[tuple[TicketEvent, str]]:
        """The ticket's history with each actor's first name (callers checked the viewer)."""
        names: dict[int, str] = {}
        result = []
        for event in await self._tickets.events(ticket.id):
            if event.actor_id is not None and event.actor_id not in names:
                actor = await self._users.get(event.actor_id)
                names[event.actor_id] = actor.first_name if actor else "?"
            result.append((event, names.get(event.actor_id, "") if event.actor_id else ""))
        return result

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

    # ------------------------------------------------------------------ grid workers, staff

    async def inbox(self, actor: User | None) -> list[Ticket]:
        """Open tickets of the actor's grid (staff: all), the nearest deadline first."""
        buildings = await self._access.managed_buildings(actor)
        found = await self._tickets.open_in(sorted(buildings))
        return sorted(found, key=lambda ticket: (next_deadline(ticket), ticket.id))

    async def managed(self, actor: User | None, ticket_id: int) -> Ticket:
        """A ticket in the actor's grid; NotFound for a ticket that does not exist."""
        ticket = await self._tickets.get(ticket_id)
        if ticket is None:
            raise NotFound("ticket")
        await self._access.require_building(actor, ticket.building_id)
        return ticket

    async def claim(self, actor: User | None, ticket_id: int) -> Ticket:
        """The actor takes the ticket."""
        ticket = await self.managed(actor, ticket_id)
        assert actor is not None
        return await self._assign(actor, ticket, actor)

    async def assignees(self, actor: User | None, ticket_id: int) -> list[User]:
        """Who a ticket may be assigned to: its building's grid workers, then staff."""
        ticket = await self.managed(actor, ticket_id)
        found: dict[int, User] = {}
        for channel, external_id in await self._places.workers_of_building(ticket.building_id):
            user = await self._users.get_by_external(channel, external_id)
            if user is not None:
                found[user.id] = user
        for user in await self._users.with_role(Role.STAFF):
            found.setdefault(user.id, user)
        return list(found.values())

    async def assign(self, actor: User | None, ticket_id: int, assignee_id: int) -> Ticket:
        """Give the ticket to one of `assignees`; they are told."""
        choices = {user.id: user for user in await self.assignees(actor, ticket_id)}
        if assignee_id not in choices:
            raise NotAllowed("not someone this ticket can be assigned to")
        assert actor is not None
        return await self._assign(actor, await self._get(ticket_id), choices[assignee_id])

    async def check_move(self, actor: User | None, ticket_id: int, status: TicketStatus) -> Ticket:
        """The ticket, if the actor handles it and may set it to `status` now (before asking
        for a note); BadTransition otherwise."""
        ticket = await self.managed(actor, ticket_id)
        if status not in worker_moves(ticket.status):
            raise BadTransition(current=ticket.status.value, target=status.value)
        return ticket

    async def change_status(
        self, actor: User | None, ticket_id: int, status: TicketStatus, note: str
    ) -> Ticket:
        """Move a ticket on (accepted, in progress, resolved, rejected, duplicate)."""
        ticket = await self.check_move(actor, ticket_id, status)
        assert actor is not None
        return await self._move(actor, ticket, status, note)

    async def ask(self, actor: User | None, ticket_id: int, text: str) -> TicketEvent:
        """Ask the reporting household a question; the answer comes back to the actor."""
        ticket = await self.managed(actor, ticket_id)
        assert actor is not None
        now = self._clock.now()
        async with self._uow.transaction():
            event_id = await self._tickets.add_event(
                ticket.id, EventKind.QUESTION, now, actor_id=actor.id, note=text
            )
            message = await self.card(ticket, "report.question_push", private=True, question=text)
            message = message.model_copy(
                update={
                    "actions": (
                        (
                            Action(
                                label_key="report.answer_button",
                                feature=RESIDENT_FEATURE,
                                action="ans",
                                args=(str(event_id),),
                            ),
                        ),
                    )
                }
            )
            for member in await self._members([ticket.household_id]):
                await self._notifier.push(member, message, category=Category.REPORT)
        event = await self._tickets.event(event_id)
        assert event is not None
        return event

    async def led(self, actor: User | None) -> list[Ticket]:
        """Open tickets of the buildings a building lead looks after."""
        buildings = await self._access.led_buildings(actor)
        found = await self._tickets.open_in(sorted(buildings))
        return sorted(found, key=lambda ticket: ticket.created_at)

    async def stats(self, actor: User | None, days: int) -> ReportStats:
        """Staff only: open tickets now, and how those filed in the last `days` days went."""
        self._access.require(actor, Role.STAFF)
        now = self._clock.now()
        period = await self._tickets.created_between(
            now - timedelta(days=days), now + timedelta(seconds=1)
        )
        return report_stats(
            await self._tickets.all_open(), period, await self._tickets.grid_of_buildings()
        )

    async def tickets_between(self, start: datetime, end: datetime) -> list[Ticket]:
        """Tickets filed in [start, end) (for exports and statistics)."""
        return await self._tickets.created_between(start, end)

    async def open_tickets(self) -> list[Ticket]:
        """Every open ticket."""
        return await self._tickets.all_open()

    async def grid_names(self) -> dict[int, str]:
        """Building id → grid name."""
        return await self._tickets.grid_of_buildings()

    async def assignee_name(self, ticket: Ticket) -> str:
        """The assignee's first name, or ""."""
        assignee = await self._users.get(ticket.assignee_id) if ticket.assignee_id else None
        return assignee.first_name if assignee else ""

    async def place_label(self, ticket: Ticket, *, private: bool) -> tuple[str, str]:
        """(catalog key of the kind of place, the names) — no room unless `private`."""
        place = await self._places.place(ticket.household_id)
        if place is None:
            return "report.where_other", ticket.place.note
        kind = ticket.place.kind
        if kind is PlaceKind.HOME:
            return ("report.where_home" if private else "report.where_a_home"), _names(
                place, room=private
            )
        if kind is PlaceKind.BUILDING:
            return f"report.spot_{ticket.place.spot}", f"{place.compound} {place.building}"
        if kind is PlaceKind.COMPOUND:
            return f"report.spot_{ticket.place.spot}", place.compound
        return "report.where_other", f"{place.compound}: {ticket.place.note}"

    async def card(
        self,
        ticket: Ticket,
        key: str,
        *,
        private: bool,
        open_button: bool = False,
        **extra: str | int,
    ) -> Outgoing:
        """A ticket as a message (`private`: with the room, for its household and handlers;
        `open_button`: with the button that opens the ticket card, for its handlers)."""
        where, names = await self.place_label(ticket, private=private)
        assignee = await self._users.get(ticket.assignee_id) if ticket.assignee_id else None
        return Outgoing(
            key=key,
            params={
                "number": ticket.number,
                "place": names,
                "description": ticket.description or ("🎤" if ticket.voices else "—"),
                "created": local_text(ticket.created_at, self.timezone),
                "deadline": local_text(next_deadline(ticket), self.timezone),
                "supporters": ticket.supporters,
                "photos": ticket.photos,
                "voices": ticket.voices,
                "assignee": assignee.first_name if assignee else "—",
                "reason": ticket.reason or "—",
                **extra,
            },
            labels={
                "category": f"report.cat_{ticket.category.value}",
                "status": f"report.status_{ticket.status.value}",
                "urgency": f"report.urgency_{ticket.urgency.value}",
                "where": where,
            },
            actions=(
                (
                    Action(
                        label_key="report.open_button",
                        feature=STAFF_FEATURE,
                        action="open",
                        args=(str(ticket.id),),
                    ),
                ),
            )
            if open_button
            else (),
        )

    async def _handler_card(self, ticket: Ticket, key: str, **extra: str | int) -> Outgoing:
        """A push to whoever handles the ticket: with the room and the Open button."""
        return await self.card(ticket, key, private=True, open_button=True, **extra)

    # ------------------------------------------------------------------ inside

    async def _get(self, ticket_id: int) -> Ticket:
        ticket = await self._tickets.get(ticket_id)
        if ticket is None:
            raise NotFound("ticket")
        return ticket

    async def _where(self, household_id: int) -> tuple[int, int]:
        building_id = await self._places.building_of_household(household_id)
        building = await self._tree.get_building(building_id) if building_id else None
        if building_id is None or building is None:
            raise NotFound("household")
        return building_id, building.compound_id  # type: ignore[attr-defined]

    async def _concerns(self, user: User, ticket: Ticket) -> bool:
        households = {ticket.household_id, *await self._tickets.supporter_households(ticket.id)}
        return any(
            home.household_id in households and home.status is MembershipStatus.APPROVED
            for home in await self._homes.homes(user)
        )

    async def _reported_by(self, user: User, ticket: Ticket) -> bool:
        return any(
            home.household_id == ticket.household_id and home.status is MembershipStatus.APPROVED
            for home in await self._homes.homes(user)
        )

    async def _members(self, household_ids: Sequence[int]) -> list[User]:
        found: dict[int, User] = {}
        for household_id in household_ids:
            for membership in await self._memberships.list_for_household(household_id):
                if membership.status is MembershipStatus.APPROVED:
                    user = await self._users.get(membership.user_id)
                    if user is not None:
                        found[user.id] = user
        return list(found.values())

    async def _handlers_of(self, ticket: Ticket) -> list[User]:
        """The assignee; else the grid workers of the building who use the bot; else staff."""
        if ticket.assignee_id is not None:
            assignee = await self._users.get(ticket.assignee_id)
            if assignee is not None:
                return [assignee]
        found = []
        for channel, external_id in await self._places.workers_of_building(ticket.building_id):
            user = await self._users.get_by_external(channel, external_id)
            if user is not None:
                found.append(user)
        return found or await self._users.with_role(Role.STAFF)

    async def _assign(self, actor: User, ticket: Ticket, assignee: User) -> Ticket:
        now = self._clock.now()
        async with self._uow.transaction():
            await self._tickets.update(ticket.id, now, assignee_id=assignee.id)
            await self._tickets.add_event(
                ticket.id, EventKind.ASSIGN, now, actor_id=actor.id, note=assignee.first_name
            )
            updated = await self._get(ticket.id)
            if assignee.id != actor.id:
                await self._notifier.push(
                    assignee,
                    await self._handler_card(updated, "report.assigned_push", by=actor.first_name),
                    category=Category.REPORT,
                )
        return updated

    async def _move(self, actor: User, ticket: Ticket, status: TicketStatus, note: str) -> Ticket:
        """Change the status (re-checked inside the transaction), log it, tell the households."""
        now = self._clock.now()
        async with self._uow.transaction():
            current = await self._get(ticket.id)
            check_transition(current.status, status, note)
            fields: dict[str, object] = {"status": status}
            if status in (TicketStatus.REJECTED, TicketStatus.DUPLICATE):
                fields["reason"] = note.strip()
            if current.accepted_at is None and status is not TicketStatus.REOPENED:
                fields["accepted_at"] = now
            if status is TicketStatus.RESOLVED:
                fields["resolved_at"] = now
            if status in (TicketStatus.CLOSED, TicketStatus.REJECTED, TicketStatus.DUPLICATE):
                fields["closed_at"] = now
            if status is TicketStatus.REOPENED:
                due = deadlines(now, current.category, current.urgency, self.levels)
                fields.update(resolve_by=due.resolve_by, rating=None, resolved_at=None)
            if current.assignee_id is None and status in (
                TicketStatus.ACCEPTED,
                TicketStatus.IN_PROGRESS,
                TicketStatus.RESOLVED,
            ):
                fields["assignee_id"] = actor.id
            await self._tickets.update(current.id, now, **fields)
            await self._tickets.add_event(
                current.id,
                EventKind.STATUS,
                now,
                actor_id=actor.id,
                from_status=current.status,
                to_status=status,
                note=note.strip(),
            )
            updated = await self._get(current.id)
            await self._reschedule(updated, now)
            await self._tell_households(updated, note.strip(), actor_id=actor.id)
            if status is TicketStatus.REOPENED:
                for handler in await self._handlers_of(updated):
                    await self._notifier.push(
                        handler,
                        await self._handler_card(
                            updated, "report.reopened_push", note=note.strip()
                        ),
                        category=Category.REPORT,
                    )
        return updated

    async def _close(self, ticket: Ticket, actor_id: int | None, now: datetime) -> None:
        await self._tickets.update(ticket.id, now, status=TicketStatus.CLOSED, closed_at=now)
        await self._tickets.add_event(
            ticket.id,
            EventKind.STATUS,
            now,
            actor_id=actor_id,
            from_status=ticket.status,
            to_status=TicketStatus.CLOSED,
        )
        await self._scheduler.cancel(ALL_KINDS, ticket.id)
        await self._tell_households(await self._get(ticket.id), "", actor_id=actor_id)

    async def _tell_households(
        self, ticket: Ticket, note: str, *, actor_id: int | None = None
    ) -> None:
        """The reporting household (rating buttons once resolved) and the "+1" households;
        not the person who made the change (they got the answer to their press)."""
        message = await self.card(ticket, "report.status_push", private=True, note=note or "—")
        reporters = await self._members([ticket.household_id])
        supporters = [
            user
            for user in await self._members(await self._tickets.supporter_households(ticket.id))
            if user.id not in {r.id for r in reporters}
        ]
        to_reporters = message
        if ticket.status is TicketStatus.RESOLVED:
            to_reporters = message.model_copy(
                update={
                    "key": "report.resolved_push",
                    "actions": tuple(
                        (
                            Action(
                                label_key=f"report.rating_{rating.value}",
                                feature=RESIDENT_FEATURE,
                                action="rate",
                                args=(str(ticket.id), rating.value),
                            ),
                        )
                        for rating in Rating
                    ),
                }
            )
        for user in reporters:
            if user.id != actor_id:
                await self._notifier.push(user, to_reporters, category=Category.REPORT)
        if supporters:
            public = await self.card(ticket, "report.status_push", private=False, note=note or "—")
            for user in supporters:
                if user.id == actor_id:
                    continue
                await self._notifier.push(user, public, category=Category.REPORT)

    async def _schedule(self, ticket: Ticket, start: datetime, stages: Sequence[Stage]) -> None:
        for stage in stages:
            deadline = ticket.accept_by if stage is Stage.ACCEPT else ticket.resolve_by
            remind_at = reminder_time(start, deadline, self.levels)
            await self._scheduler.add(REMIND_KINDS[stage], ticket.id, remind_at, deadline)
            await self._scheduler.add(DUE_KINDS[stage], ticket.id, deadline)

    async def _reschedule(self, ticket: Ticket, now: datetime) -> None:
        """After a status change: drop what no longer applies, set what a reopening needs."""
        if ticket.status is TicketStatus.REOPENED:
            await self._scheduler.cancel((*REMIND_KINDS.values(), *DUE_KINDS.values()), ticket.id)
            await self._scheduler.cancel((CLOSE_KIND,), ticket.id)
            await self._schedule(ticket, now, stages=(Stage.RESOLVE,))
            return
        for stage in Stage:
            if stage_met(stage, ticket.status):
                await self._scheduler.cancel((REMIND_KINDS[stage], DUE_KINDS[stage]), ticket.id)
        if ticket.status is TicketStatus.RESOLVED:
            await self._scheduler.add(CLOSE_KIND, ticket.id, now + AUTO_CLOSE_AFTER)
        if ticket.status not in (TicketStatus.RESOLVED,) and not ticket.open:
            await self._scheduler.cancel(ALL_KINDS, ticket.id)

    def _reminder(self, stage: Stage) -> Callable[[Job], Awaitable[None]]:
        async def remind(job: Job) -> None:
            ticket = await self._tickets.get(job.ref_id)
            if ticket is None or stage_met(stage, ticket.status):
                return
            message = await self._handler_card(ticket, f"report.remind_{stage.value}")
            for handler in await self._handlers_of(ticket):
                await self._notifier.push(
                    handler,
                    message,
                    category=Category.REMINDER,
                    urgent=ticket.urgency is Urgency.HIGH,
                )

        return remind

    def _escalation(self, stage: Stage) -> Callable[[Job], Awaitable[None]]:
        async def escalate(job: Job) -> None:
            ticket = await self._tickets.get(job.ref_id)
            if ticket is None or stage_met(stage, ticket.status):
                return
            now = self._clock.now()
            await self._tickets.add_event(ticket.id, EventKind.ESCALATION, now, note=stage.value)
            message = await self._handler_card(ticket, f"report.escalate_{stage.value}")
            for staff in await self._users.with_role(Role.STAFF):
                await self._notifier.push(
                    staff,
                    message,
                    category=Category.REPORT,
                    urgent=ticket.urgency is Urgency.HIGH,
                    priority=Priority.PERSONAL,
                )

        return escalate

    async def _auto_close(self, job: Job) -> None:
        ticket = await self._tickets.get(job.ref_id)
        if ticket is None or ticket.status is not TicketStatus.RESOLVED:
            return
        await self._close(ticket, None, self._clock.now())


def _names(place: Place, *, room: bool) -> str:
    parts = [place.compound, place.building, place.unit, *([place.room] if room else [])]
    return " ".join(parts)


__all__ = ["ALL_KINDS", "MediaKind", "ReportService"]
