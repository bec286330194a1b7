"""Talk to my grid worker: a household's members write to the grid workers of their building
(pushed with the household's room and members, never a phone), a grid worker replies (pushed
to every member), both open the thread, and a grid worker turns its first messages into a
ticket. A grid worker sees the threads of their grid's households only; staff see all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.domain.delivery import Category
from bot.domain.errors import NotFound
from bot.domain.meetings import Question
from bot.domain.messages import Action, Attachment, Outgoing
from bot.domain.models import MembershipStatus, Place, Role, User
from bot.domain.reports import NoHome, Ticket
from bot.domain.thread import (
    LIST_PAGE,
    PAGE,
    Direction,
    ThreadMessage,
    Written,
    page_of,
    ticket_draft,
    to_turn,
)
from bot.domain.vocabulary import Feature
from bot.ports import Clock, MembershipRepository, PlaceLookup, UnitOfWork, UserRepository
from bot.services.access import AccessService
from bot.services.meetings import MeetingService
from bot.services.outbox import OutboxNotifier
from bot.services.reports import ReportService
from bot.services.reports.ports import Homes

# A message to one person is never muted (the category no one can mute).
CATEGORY = Category.ACCOUNT


class ThreadStore(Protocol):
    """The `thread_message` rows (see storage.threads)."""

    async def add(
        self,
        household_id: int,
        author_id: int,
        direction: Direction,
        written: Written,
        now: datetime,
    ) -> ThreadMessage: ...
    async def count(self, household_id: int) -> int: ...
    async def latest(self, household_id: int, offset: int, limit: int) -> list[ThreadMessage]: ...
    async def all_of(self, household_id: int) -> list[ThreadMessage]: ...
    async def mark_read(self, household_id: int, direction: Direction, now: datetime) -> None: ...
    async def mark_ticket(self, message_ids: Sequence[int], ticket_id: int) -> None: ...
    async def households(self, building_ids: Sequence[int]) -> list[tuple[int, int]]: ...


@dataclass(frozen=True)
class ThreadView:
    """A page of a household's thread as one reader sees it."""

    household_id: int
    place: str  # the household (with its room for the grid worker; the reader's own home)
    messages: tuple[ThreadMessage, ...]
    page: int
    pages: int
    as_worker: bool


@dataclass(frozen=True)
class ThreadLine:
    """A household of the grid worker's list."""

    household_id: int
    place: str
    unread: int


def place_name(place: Place) -> str:
    """幸福里小区 1号楼 1单元 101."""
    return f"{place.compound} {place.building} {place.unit} {place.room}"


def _attachment(written: Written) -> Attachment | None:
    if written.voice:
        return Attachment(kind="voice", ref=written.voice)
    if written.photo:
        return Attachment(kind="photo", ref=written.photo)
    return None


def _words(written: Written) -> str:
    """The words of a message, or what stands for a file with none."""
    if written.text.strip():
        return written.text.strip()
    return "🎤" if written.voice else "📷"


class ThreadService:
    """Writes, shows and turns into tickets the threads between households and grid workers."""

    def __init__(
        self,
        *,
        uow: UnitOfWork,
        store: ThreadStore,
        homes: Homes,
        places: PlaceLookup,
        memberships: MembershipRepository,
        users: UserRepository,
        access: AccessService,
        notifier: OutboxNotifier,
        reports: ReportService,
        meetings: MeetingService,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._store = store
        self._homes = homes
        self._places = places
        self._memberships = memberships
        self._users = users
        self._access = access
        self._notifier = notifier
        self._reports = reports
        self._meetings = meetings
        self._clock = clock

    async def home_of(self, user: User) -> int:
        """The household the person writes for: their current approved one (NoHome)."""
        home = await self._homes.current_home(user)
        if home is None or home.status is not MembershipStatus.APPROVED:
            raise NoHome()
        return home.household_id

    async def _place(self, household_id: int) -> str:
        place = await self._places.place(household_id)
        if place is None:
            raise NotFound("household")
        return place_name(place)

    async def _workers(self, household_id: int) -> list[User]:
        """The grid workers of the household's building who use the bot; else staff."""
        building_id = await self._places.building_of_household(household_id)
        found = []
        if building_id is not None:
            for channel, external_id in await self._places.workers_of_building(building_id):
                user = await self._users.get_by_external(channel, external_id)
                if user is not None:
                    found.append(user)
        return found or await self._users.with_role(Role.STAFF)

    async def _members(self, household_id: int) -> list[User]:
        found = []
        for user_id, _ in await self._memberships.member_names(household_id):
            user = await self._users.get(user_id)
            if user is not None:
                found.append(user)
        return found

    async def _is_member(self, user: User, household_id: int) -> bool:
        membership = await self._memberships.get(user.id, household_id)
        return membership is not None and membership.status is MembershipStatus.APPROVED

    async def _require_worker(self, user: User | None, household_id: int) -> User:
        """The grid worker (or staff) of the household's building; else NotAllowed."""
        building_id = await self._places.building_of_household(household_id)
        if building_id is None:
            raise NotFound("household")
        return await self._access.require_building(user, building_id)

    async def write(self, user: User, written: Written) -> ThreadMessage:
        """A member writes to the grid workers of the household's building."""
        household_id = await self.home_of(user)
        place = await self._place(household_id)
        names = "、".join(name for _, name in await self._memberships.member_names(household_id))
        hh = str(household_id)
        message = Outgoing(
            key="thread.push",
            params={"place": place, "members": names or "—", "words": _words(written)},
            actions=(
                (
                    Action(
                        label_key="thread.reply", feature=Feature.THREAD, action="r", args=(hh,)
                    ),
                    Action(
                        label_key="thread.to_ticket",
                        feature=Feature.THREAD,
                        action="t",
                        args=(hh,),
                    ),
                ),
                (
                    Action(
                        label_key="thread.open", feature=Feature.THREAD, action="o", args=(hh, "0")
                    ),
                ),
            ),
            attachment=_attachment(written),
        )
        now = self._clock.now()
        async with self._uow.transaction():
            stored = await self._store.add(household_id, user.id, Direction.IN, written, now)
            for worker in await self._workers(household_id):
                await self._notifier.push(worker, message, category=CATEGORY)
        return stored

    async def reply(self, worker: User | None, household_id: int, written: Written) -> str:
        """A grid worker's answer goes to every member of the household; the household."""
        worker = await self._require_worker(worker, household_id)
        place = await self._place(household_id)
        message = Outgoing(
            key="thread.reply_push",
            params={"worker": worker.first_name, "words": _words(written)},
            actions=(
                (
                    Action(label_key="thread.write_back", feature=Feature.THREAD, action="w"),
                    Action(
                        label_key="thread.open",
                        feature=Feature.THREAD,
                        action="o",
                        args=(str(household_id), "0"),
                    ),
                ),
            ),
            attachment=_attachment(written),
        )
        now = self._clock.now()
        async with self._uow.transaction():
            await self._store.add(household_id, worker.id, Direction.OUT, written, now)
            await self._store.mark_read(household_id, Direction.IN, now)
            for member in await self._members(household_id):
                await self._notifier.push(member, message, category=CATEGORY)
        return place

    async def view(self, user: User, household_id: int, page: int) -> ThreadView:
        """A page of the thread (0: the latest), for a member or the household's grid
        worker; what was written to the reader is read now."""
        if await self._is_member(user, household_id):
            as_worker, unread = False, Direction.OUT
        else:
            await self._require_worker(user, household_id)
            as_worker, unread = True, Direction.IN
        count = await self._store.count(household_id)
        offset, page, pages = page_of(count, page)
        messages = await self._store.latest(household_id, offset, PAGE)
        await self._store.mark_read(household_id, unread, self._clock.now())
        return ThreadView(
            household_id=household_id,
            place=await self._place(household_id),
            messages=tuple(messages),
            page=page,
            pages=pages,
            as_worker=as_worker,
        )

    async def threads(self, worker: User | None, page: int) -> tuple[list[ThreadLine], int, int]:
        """A page of the households of the worker's grid that wrote (latest first), with
        what is unread; the page and the pages."""
        buildings = await self._access.managed_buildings(worker)
        found = await self._store.households(sorted(buildings))
        offset, page, pages = page_of(len(found), page, LIST_PAGE)
        lines = [
            ThreadLine(household_id=hh, place=await self._place(hh), unread=unread)
            for hh, unread in found[offset : offset + LIST_PAGE]
        ]
        return lines, page, pages

    async def turn_into_ticket(self, worker: User | None, household_id: int) -> Ticket:
        """The household's first messages not in a ticket yet become one (category other,
        their words, their photos), reported by who wrote the first; the household is told."""
        worker = await self._require_worker(worker, household_id)
        run = to_turn(await self._store.all_of(household_id))
        reporter = await self._users.get(run[0].author_id)
        if reporter is None:
            raise NotFound("user")
        async with self._uow.transaction():
            ticket = await self._reports.submit_for(
                worker, reporter, household_id, ticket_draft(run)
            )
            await self._store.mark_ticket([m.id for m in run], ticket.id)
            told = Outgoing(
                key="thread.ticket_push",
                params={"number": ticket.number},
                actions=(
                    (
                        Action(
                            label_key="thread.see_ticket",
                            feature=Feature.MY_REPORTS,
                            action="view",
                            args=(str(ticket.id),),
                        ),
                    ),
                ),
            )
            for member in await self._members(household_id):
                await self._notifier.push(member, told, category=CATEGORY)
        return ticket

    async def question(self, actor: User | None, meeting_id: int, question_id: int) -> Question:
        """A question sent before a meeting, for its organiser (or staff) to answer."""
        return (await self._asked(actor, meeting_id, question_id))[1]

    async def _asked(
        self, actor: User | None, meeting_id: int, question_id: int
    ) -> tuple[str, Question]:
        overview = await self._meetings.overview(actor, meeting_id)
        found = next((q for q in overview.questions if q.id == question_id), None)
        if found is None:
            raise NotFound("question")
        return overview.meeting.title, found

    async def answer_question(
        self, actor: User | None, meeting_id: int, question_id: int, written: Written
    ) -> str:
        """The organiser's answer goes to who asked, as a push; their name."""
        title, asked = await self._asked(actor, meeting_id, question_id)
        assert actor is not None
        invitee = await self._users.get(asked.user_id)
        if invitee is None:
            raise NotFound("user")
        message = Outgoing(
            key="thread.meeting_answer_push",
            params={
                "title": title,
                "question": asked.text or "🎤",
                "worker": actor.first_name,
                "words": _words(written),
            },
            attachment=_attachment(written),
        )
        await self._notifier.push(invitee, message, category=CATEGORY)
        return invitee.first_name
