"""Votes: staff publish menus and proposals for a scope; households order and answer.

A menu's ballot and a proposal's answer belong to the household, not to the account: any
approved member may cast or change it until closing, the last change counts, and the other
members are told. Opening, a reminder to those who have not voted, and closing are job rows
(restored after a restart); closing freezes the result (a trigger keeps it frozen) and
announces it to the scope through the broadcast outbox.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from bot.delivery.scheduling import Scheduler
from bot.domain.broadcasts import BroadcastDraft
from bot.domain.consent import Answer, Flat, Result, ShareFlat, cost_shares, count
from bot.domain.delivery import Category
from bot.domain.errors import DomainError, NotFound
from bot.domain.messages import Action, Outgoing
from bot.domain.models import Role, User
from bot.domain.reports import local_text
from bot.domain.schedule import Job
from bot.domain.scope import Scope
from bot.domain.vocabulary import Feature
from bot.domain.votes import (
    AnswerRecord,
    Menu,
    MenuDraft,
    MenuResult,
    NotEligible,
    Phase,
    Proposal,
    ProposalDraft,
    ResultsHidden,
    RosterRow,
    RulesFrozen,
    VoteClosed,
    answers_of,
    bar,
    check_picks,
    menu_result,
    percent,
    reminder_at,
    toggle_pick,
    yuan,
)
from bot.ports import Clock, Offload, UnitOfWork, UserRepository
from bot.services.access import AccessService
from bot.services.broadcasts import BroadcastService
from bot.services.outbox import OutboxNotifier

logger = logging.getLogger(__name__)

FEATURE = Feature.VOTE
MENU_OPEN = "vote.menu_open"
MENU_REMIND = "vote.menu_remind"
MENU_CLOSE = "vote.menu_close"
PROPOSAL_OPEN = "vote.proposal_open"
PROPOSAL_REMIND = "vote.proposal_remind"
PROPOSAL_CLOSE = "vote.proposal_close"
MENU_KINDS = (MENU_OPEN, MENU_REMIND, MENU_CLOSE)
PROPOSAL_KINDS = (PROPOSAL_OPEN, PROPOSAL_REMIND, PROPOSAL_CLOSE)


class VoteStore(Protocol):
    """Menu and proposal rows (see storage.votes)."""

    async def add_menu(self, draft: MenuDraft, author_id: int, now: datetime) -> int: ...
    async def get_menu(self, menu_id: int) -> Menu | None: ...
    async def menus(self) -> list[Menu]: ...
    async def update_menu(self, menu_id: int, **fields: object) -> None: ...
    async def freeze_menu(self, menu_id: int, result: MenuResult) -> bool: ...
    async def cast(
        self, menu_id: int, household_id: int, user_id: int, picks: Sequence[int], now: datetime
    ) -> None: ...
    async def ballot(
        self, menu_id: int, household_id: int
    ) -> tuple[tuple[int, ...], int, int] | None: ...
    async def ballots(self, menu_id: int) -> dict[int, frozenset[int]]: ...
    async def add_proposal(self, draft: ProposalDraft, author_id: int, now: datetime) -> int: ...
    async def get_proposal(self, proposal_id: int) -> Proposal | None: ...
    async def proposals(self) -> list[Proposal]: ...
    async def cancel_proposal(self, proposal_id: int) -> None: ...
    async def freeze_proposal(self, proposal_id: int, result_json: str) -> bool: ...
    async def answer(
        self,
        proposal_id: int,
        household_id: int,
        answer: Answer,
        now: datetime,
        *,
        user_id: int | None,
        recorded_by: int | None,
    ) -> Answer | None: ...
    async def answers(self, proposal_id: int) -> list[AnswerRecord]: ...
    async def answer_of(self, proposal_id: int, household_id: int) -> AnswerRecord | None: ...
    async def audit(self, proposal_id: int) -> list[AnswerRecord]: ...
    async def roster(self, scope: Scope) -> list[RosterRow]: ...
    async def current_household(self, user_id: int) -> int | None: ...
    async def in_scope(self, scope: Scope, household_id: int) -> bool: ...
    async def eligible(self, scope: Scope) -> list[int]: ...
    async def members(self, household_ids: Sequence[int]) -> list[int]: ...


class Vote(Protocol):
    """What menus and proposals share: a scope and a phase."""

    @property
    def scope(self) -> Scope: ...
    def phase(self, now: datetime) -> Phase: ...


V = TypeVar("V", Menu, Proposal)


@dataclass(frozen=True)
class Ballot:
    """What a member sees of their household's ballot."""

    menu: Menu
    phase: Phase
    household_id: int
    picks: tuple[int, ...]  # as cast (empty if not voted)
    voted: bool
    cast_by: str  # first name of who cast it ("" if not voted)
    version: int = 0  # times it was cast or changed: a Submit names the version it changes


class BallotChanged(DomainError):
    """Another member of the household changed the ballot after these buttons were made."""

    key = "vote.ballot_changed"

    def __init__(self, ballot: Ballot) -> None:
        super().__init__()
        self.ballot = ballot


@dataclass(frozen=True)
class Standing:
    """A proposal as one household sees it."""

    proposal: Proposal
    phase: Phase
    household_id: int
    answer: AnswerRecord | None
    share_fen: int | None  # the household's part of the cost, if the proposal has one
    answered_by: str


@dataclass(frozen=True)
class Progress:
    """A proposal's count now (or frozen), with its roster and answers."""

    proposal: Proposal
    result: Result
    roster: list[RosterRow]
    answers: dict[int, AnswerRecord]

    def disagreeing(self, buildings: set[int] | None = None) -> list[RosterRow]:
        """Households whose answer now is "disagree", by place; only those in `buildings`
        when given."""
        return [
            row
            for row in self.roster
            if (record := self.answers.get(row.household_id)) is not None
            and record.answer is Answer.DISAGREE
            and (buildings is None or row.building_id in buildings)
        ]

    def unanswered(self, buildings: set[int] | None = None) -> list[RosterRow]:
        """Households that have not answered (the door-to-door list), by place; only those
        in `buildings` when given."""
        return [
            row
            for row in self.roster
            if row.household_id not in self.answers
            and (buildings is None or row.building_id in buildings)
        ]


class VoteService:
    """Creates, opens, counts, reminds of and closes menus and proposals."""

    def __init__(
        self,
        uow: UnitOfWork,
        votes: VoteStore,
        users: UserRepository,
        access: AccessService,
        notifier: OutboxNotifier,
        broadcasts: BroadcastService,
        scheduler: Scheduler,
        clock: Clock,
        timezone: str,
        offload: Offload,
    ) -> None:
        self._uow = uow
        self._offload = offload
        self._votes = votes
        self._users = users
        self._access = access
        self._notifier = notifier
        self._broadcasts = broadcasts
        self._scheduler = scheduler
        self._clock = clock
        self.timezone = timezone
        scheduler.register(MENU_OPEN, self._menu_opened)
        scheduler.register(MENU_REMIND, self._menu_remind)
        scheduler.register(MENU_CLOSE, self._menu_closed)
        scheduler.register(PROPOSAL_OPEN, self._proposal_opened)
        scheduler.register(PROPOSAL_REMIND, self._proposal_remind)
        scheduler.register(PROPOSAL_CLOSE, self._proposal_closed)

    def now(self) -> datetime:
        """The service's clock."""
        return self._clock.now()

    # ------------------------------------------------------------------ menus: staff

    async def create_menu(self, actor: User | None, draft: MenuDraft) -> Menu:
        """Publish a menu; it opens at its time (at once if that has passed)."""
        actor = self._access.require(actor, Role.STAFF)
        now = self.now()
        if draft.opens_at < now:
            draft = draft.model_copy(update={"opens_at": now})
            MenuDraft.model_validate(draft.model_dump())
        async with self._uow.transaction():
            menu_id = await self._votes.add_menu(draft, actor.id, now)
            opening = await self._schedule(MENU_KINDS, menu_id, draft.opens_at, draft.closes_at)
        logger.info("menu %s created with %s items", menu_id, len(draft.items))
        if opening.due_at <= now:
            await self._scheduler.fire(opening.id)
        return await self.menu(menu_id)

    async def change_menu(self, actor: User | None, menu_id: int, **rules: object) -> Menu:
        """Change k, live results, the rule or the budget — only before voting opens."""
        self._access.require(actor, Role.STAFF)
        async with self._uow.transaction():
            menu = await self.menu(menu_id)
            if menu.phase(self.now()) is not Phase.SCHEDULED:
                raise RulesFrozen()
            changed = menu.model_copy(update=rules)
            MenuDraft(
                title=changed.title,
                scope=changed.scope,
                opens_at=changed.opens_at,
                closes_at=changed.closes_at,
                items=tuple(changed.items),
                max_picks=changed.max_picks,
                budget=changed.budget,
                rule=changed.rule,
                live=changed.live,
            )
            await self._votes.update_menu(menu_id, **rules)
        return await self.menu(menu_id)

    async def cancel_menu(self, actor: User | None, menu_id: int) -> Menu:
        """Withdraw a menu that has not opened."""
        self._access.require(actor, Role.STAFF)
        async with self._uow.transaction():
            menu = await self.menu(menu_id)
            if menu.phase(self.now()) is not Phase.SCHEDULED:
                raise RulesFrozen()
            await self._votes.update_menu(menu_id, cancelled=True)
            await self._scheduler.cancel(MENU_KINDS, menu_id)
        return await self.menu(menu_id)

    async def managed_menus(self, actor: User | None) -> list[Menu]:
        """Every menu (staff)."""
        self._access.require(actor, Role.STAFF)
        return await self._votes.menus()

    async def menu(self, menu_id: int) -> Menu:
        """A menu, or NotFound."""
        menu = await self._votes.get_menu(menu_id)
        if menu is None:
            raise NotFound("menu")
        return menu

    async def results(self, actor: User | None, menu_id: int) -> tuple[Menu, MenuResult]:
        """The frozen result of a closed menu, or the live count: staff always; a household
        of the scope when results are live (or once closed)."""
        menu = await self.menu(menu_id)
        if actor is None or not actor.has_role(Role.STAFF):
            await self._voter(actor, menu.scope)
            if not menu.live and menu.phase(self.now()) is not Phase.CLOSED:
                raise ResultsHidden()
        if menu.result is not None:
            return menu, menu.result
        return menu, await self._count_menu(menu)

    async def staff_results(self, actor: User | None, menu_id: int) -> tuple[Menu, MenuResult]:
        """The results for the staff's chart, whatever the menu shows residents."""
        self._access.require(actor, Role.STAFF)
        return await self.results(actor, menu_id)

    # ------------------------------------------------------------------ menus: households

    async def open_menus(self, user: User | None) -> list[Menu]:
        """Menus of the user's household's scope that have opened, newest first."""
        return await self._visible(user, await self._votes.menus())

    async def ballot(self, user: User | None, menu_id: int) -> Ballot:
        """The household's ballot on this menu."""
        menu = await self.menu(menu_id)
        household, phase = await self._opened_for(user, menu)
        return await self._ballot(menu, phase, household)

    async def _ballot(self, menu: Menu, phase: Phase, household: int) -> Ballot:
        cast = await self._votes.ballot(menu.id, household)
        if cast is None:
            return Ballot(menu, phase, household, (), False, "")
        picks, user_id, version = cast
        name = await self.user_name(user_id)
        return Ballot(menu, phase, household, picks, True, name, version)

    async def toggle(
        self, user: User | None, menu: Menu, picks: Sequence[int], item_id: int
    ) -> tuple[Ballot, tuple[int, ...]]:
        """Tick or untick an item on an unsent ballot (nothing is stored until Submit); the
        household's ballot as cast, and the ticks now."""
        household = await self._voter(user, menu.scope)
        phase = menu.phase(self.now())
        if phase is not Phase.OPEN:
            raise VoteClosed()
        ticks = toggle_pick(menu, picks, item_id)
        return await self._ballot(menu, phase, household), ticks

    async def submit(
        self, user: User | None, menu: Menu, picks: Sequence[int], version: int
    ) -> Ballot:
        """Cast (or change) the household's ballot, as it stood at `version` (the ballot the
        member's buttons were built on); the other members are told. BallotChanged, with the
        ballot as it is now, when another member changed it since."""
        household = await self._voter(user, menu.scope)
        assert user is not None
        chosen = check_picks(menu, picks)
        async with self._uow.transaction():
            phase = menu.phase(self.now())
            if phase is not Phase.OPEN:
                raise VoteClosed()
            current = await self._ballot(menu, phase, household)
            if current.version != version:
                raise BallotChanged(current)
            await self._votes.cast(menu.id, household, user.id, sorted(chosen), self.now())
            titles = "、".join(item.title for item in menu.items if item.id in chosen)
            await self._tell_members(
                household,
                user,
                Outgoing(
                    key="vote.household_voted",
                    params={"name": user.first_name or "—", "title": menu.title, "picks": titles},
                ),
            )
        cast = tuple(item.id for item in menu.items if item.id in chosen)
        return Ballot(menu, Phase.OPEN, household, cast, True, user.first_name, version + 1)

    # ------------------------------------------------------------------ proposals: staff

    async def create_proposal(self, actor: User | None, draft: ProposalDraft) -> Proposal:
        """Publish a proposal; it opens at its time (at once if that has passed)."""
        actor = self._access.require(actor, Role.STAFF)
        now = self.now()
        if draft.opens_at < now:
            draft = ProposalDraft.model_validate({**draft.model_dump(), "opens_at": now})
        async with self._uow.transaction():
            proposal_id = await self._votes.add_proposal(draft, actor.id, now)
            opening = await self._schedule(
                PROPOSAL_KINDS, proposal_id, draft.opens_at, draft.closes_at
            )
        logger.info("proposal %s created", proposal_id)
        if opening.due_at <= now:
            await self._scheduler.fire(opening.id)
        return await self.proposal(proposal_id)

    async def cancel_proposal(self, actor: User | None, proposal_id: int) -> Proposal:
        """Withdraw a proposal that has not opened."""
        self._access.require(actor, Role.STAFF)
        async with self._uow.transaction():
            proposal = await self.proposal(proposal_id)
            if proposal.phase(self.now()) is not Phase.SCHEDULED:
                raise RulesFrozen()
            await self._votes.cancel_proposal(proposal_id)
            await self._scheduler.cancel(PROPOSAL_KINDS, proposal_id)
        return await self.proposal(proposal_id)

    async def managed_proposals(self, actor: User | None) -> list[Proposal]:
        """Every proposal (staff and grid workers, who collect paper answers)."""
        self._access.require(actor, Role.GRID_WORKER)
        return await self._votes.proposals()

    async def proposal(self, proposal_id: int) -> Proposal:
        """A proposal, or NotFound."""
        proposal = await self._votes.get_proposal(proposal_id)
        if proposal is None:
            raise NotFound("proposal")
        return proposal

    async def progress(self, actor: User | None, proposal_id: int) -> Progress:
        """The count against every threshold (frozen once closed) and who has not answered.

        Staff see all; a grid worker sees it too (to plan visits), the list cut to their grid
        by the caller through `worker_buildings`."""
        self._access.require(actor, Role.GRID_WORKER)
        proposal = await self.proposal(proposal_id)
        roster = await self._votes.roster(proposal.scope)
        answers = {
            record.household_id: record for record in await self._votes.answers(proposal.id)
        }
        if proposal.result is not None:
            result = Result.model_validate_json(proposal.result)
        else:
            result = _count(proposal, roster, answers)
        return Progress(proposal, result, roster, answers)

    async def worker_buildings(self, actor: User | None) -> set[int] | None:
        """None for staff (everything); a grid worker's buildings."""
        actor = self._access.require(actor, Role.GRID_WORKER)
        if actor.has_role(Role.STAFF):
            return None
        return await self._access.managed_buildings(actor)

    async def paper_list(
        self, actor: User | None, proposal_id: int
    ) -> tuple[Proposal, list[RosterRow]]:
        """An open proposal and the households of the actor's grid (all, for staff) that have
        not answered: whom a paper answer can be entered for."""
        progress = await self.progress(actor, proposal_id)
        if progress.proposal.phase(self.now()) is not Phase.OPEN:
            raise VoteClosed()
        return progress.proposal, progress.unanswered(await self.worker_buildings(actor))

    async def paper_target(
        self, actor: User | None, proposal_id: int, household_id: int
    ) -> tuple[Proposal, RosterRow]:
        """A household of the proposal's scope in the actor's grid (staff: any), while open."""
        progress = await self.progress(actor, proposal_id)
        row = next((r for r in progress.roster if r.household_id == household_id), None)
        if row is None:
            raise NotFound("household")
        await self._access.require_building(actor, row.building_id)
        if progress.proposal.phase(self.now()) is not Phase.OPEN:
            raise VoteClosed()
        return progress.proposal, row

    async def record_paper(
        self, actor: User | None, proposal_id: int, household_id: int, answer: Answer
    ) -> AnswerRecord:
        """A grid worker (of the household's grid) or staff enters an answer given on paper."""
        proposal, _ = await self.paper_target(actor, proposal_id, household_id)
        assert actor is not None
        async with self._uow.transaction():
            if proposal.phase(self.now()) is not Phase.OPEN:
                raise VoteClosed()
            await self._votes.answer(
                proposal.id, household_id, answer, self.now(), user_id=None, recorded_by=actor.id
            )
            await self._tell_members(
                household_id,
                actor,
                Outgoing(
                    key="vote.paper_recorded",
                    params={"title": proposal.title, "name": actor.first_name or "—"},
                    labels={"answer": f"vote.answer_{answer.value}"},
                ),
            )
        record = await self._votes.answer_of(proposal.id, household_id)
        assert record is not None
        return record

    async def for_export(self, actor: User | None, proposal_id: int) -> Progress:
        """Everything the export needs (staff only)."""
        self._access.require(actor, Role.STAFF)
        return await self.progress(actor, proposal_id)

    async def audit(self, actor: User | None, proposal_id: int) -> list[AnswerRecord]:
        """Every answer and change, oldest first (staff)."""
        self._access.require(actor, Role.STAFF)
        await self.proposal(proposal_id)
        return await self._votes.audit(proposal_id)

    async def user_name(self, user_id: int | None) -> str:
        """A user's first name, for the audit and the export."""
        if user_id is None:
            return ""
        user = await self._users.get(user_id)
        return user.first_name if user else ""

    # ------------------------------------------------------------------ proposals: households

    async def open_proposals(self, user: User | None) -> list[Proposal]:
        """Proposals of the user's household's scope that have opened, newest first."""
        return await self._visible(user, await self._votes.proposals())

    async def standing(self, user: User | None, proposal_id: int) -> Standing:
        """The proposal, the household's answer and its share of the cost."""
        proposal = await self.proposal(proposal_id)
        household, phase = await self._opened_for(user, proposal)
        record = await self._votes.answer_of(proposal.id, household)
        share = None
        if proposal.total_cost_fen is not None:
            roster = await self._votes.roster(proposal.scope)
            share = _shares(proposal, roster).get(household)
        by = ""
        if record is not None:
            by = await self.user_name(record.recorded_by or record.user_id)
        return Standing(proposal, phase, household, record, share, by)

    async def answer(self, user: User | None, proposal_id: int, answer: Answer) -> Standing:
        """Answer (or change the answer) for the household; the other members are told."""
        proposal = await self.proposal(proposal_id)
        household = await self._voter(user, proposal.scope)
        assert user is not None
        async with self._uow.transaction():
            if proposal.phase(self.now()) is not Phase.OPEN:
                raise VoteClosed()
            await self._votes.answer(
                proposal.id,
                household,
                answer,
                self.now(),
                user_id=user.id,
                recorded_by=None,
            )
            await self._tell_members(
                household,
                user,
                Outgoing(
                    key="vote.household_answered",
                    params={"name": user.first_name or "—", "title": proposal.title},
                    labels={"answer": f"vote.answer_{answer.value}"},
                ),
            )
        return await self.standing(user, proposal.id)

    def shares(self, proposal: Proposal, roster: Sequence[RosterRow]) -> dict[int, int]:
        """Each household's part of the proposal's cost, in fen (empty without a cost)."""
        return _shares(proposal, roster)

    # ------------------------------------------------------------------ jobs

    async def _schedule(
        self, kinds: Sequence[str], ref_id: int, opens_at: datetime, closes_at: datetime
    ) -> Job:
        """The opening, reminder and closing jobs; the opening one."""
        opened, remind, close = kinds
        opening = await self._scheduler.add(opened, ref_id, opens_at, expires_at=closes_at)
        await self._scheduler.add(remind, ref_id, reminder_at(opens_at, closes_at), closes_at)
        await self._scheduler.add(close, ref_id, closes_at)
        return opening

    async def _menu_opened(self, job: Job) -> None:
        menu = await self._votes.get_menu(job.ref_id)
        if menu is None or menu.cancelled:
            return
        await self._announce(
            menu.author_id,
            menu.scope,
            f"[menu] opened #{menu.id}",
            Outgoing(
                key="vote.menu_opened_push",
                params={
                    "title": menu.title,
                    "closes": local_text(menu.closes_at, self.timezone),
                    "k": menu.max_picks,
                    "items": len(menu.items),
                },
                actions=_open_button("mo", menu.id),
            ),
        )

    async def _menu_remind(self, job: Job) -> None:
        menu = await self._votes.get_menu(job.ref_id)
        if menu is None or menu.cancelled:
            return
        voted = set(await self._votes.ballots(menu.id))
        waiting = [h for h in await self._votes.eligible(menu.scope) if h not in voted]
        await self._remind(
            waiting,
            Outgoing(
                key="vote.menu_remind_push",
                params={"title": menu.title, "closes": local_text(menu.closes_at, self.timezone)},
                actions=_open_button("mo", menu.id),
            ),
        )

    async def _menu_closed(self, job: Job) -> None:
        menu = await self._votes.get_menu(job.ref_id)
        if menu is None or menu.cancelled:
            return
        result = await self._count_menu(menu)
        if not await self._votes.freeze_menu(menu.id, result):
            return
        logger.info(
            "menu %s closed: %s of %s households voted", menu.id, result.voted, result.eligible
        )
        await self._announce(
            menu.author_id,
            menu.scope,
            f"[menu] closed #{menu.id}",
            Outgoing(
                key="vote.menu_closed_push",
                params={
                    "title": menu.title,
                    "bars": result_bars(menu, result),
                    "voted": result.voted,
                    "eligible": result.eligible,
                    "turnout": percent(result.turnout),
                },
            ),
        )

    async def _proposal_opened(self, job: Job) -> None:
        proposal = await self._votes.get_proposal(job.ref_id)
        if proposal is None or proposal.cancelled:
            return
        await self._announce(
            proposal.author_id,
            proposal.scope,
            f"[proposal] opened #{proposal.id}",
            Outgoing(
                key="vote.proposal_opened_push",
                params={
                    "title": proposal.title,
                    "closes": local_text(proposal.closes_at, self.timezone),
                },
                labels={"rule": f"vote.rule_{proposal.rule.kind.value}"},
                actions=_open_button("po", proposal.id),
            ),
        )

    async def _proposal_remind(self, job: Job) -> None:
        proposal = await self._votes.get_proposal(job.ref_id)
        if proposal is None or proposal.cancelled:
            return
        answered = {record.household_id for record in await self._votes.answers(proposal.id)}
        roster = await self._votes.roster(proposal.scope)
        waiting = [row.household_id for row in roster if row.household_id not in answered]
        await self._remind(
            waiting,
            Outgoing(
                key="vote.proposal_remind_push",
                params={
                    "title": proposal.title,
                    "closes": local_text(proposal.closes_at, self.timezone),
                },
                actions=_open_button("po", proposal.id),
            ),
        )

    async def _proposal_closed(self, job: Job) -> None:
        proposal = await self._votes.get_proposal(job.ref_id)
        if proposal is None or proposal.cancelled:
            return
        roster = await self._votes.roster(proposal.scope)
        answers = {
            record.household_id: record for record in await self._votes.answers(proposal.id)
        }
        result = _count(proposal, roster, answers)
        if not await self._votes.freeze_proposal(proposal.id, result.model_dump_json()):
            return
        counts = {a: 0 for a in Answer}
        for record in answers.values():
            counts[record.answer] += 1
        logger.info("proposal %s closed: passed=%s", proposal.id, result.passed)
        await self._announce(
            proposal.author_id,
            proposal.scope,
            f"[proposal] closed #{proposal.id}",
            Outgoing(
                key="vote.proposal_closed_push",
                params={
                    "title": proposal.title,
                    "agree": counts[Answer.AGREE],
                    "disagree": counts[Answer.DISAGREE],
                    "abstain": counts[Answer.ABSTAIN],
                    "answered": result.answered,
                    "eligible": result.eligible,
                },
                labels={"outcome": "vote.passed" if result.passed else "vote.not_passed"},
            ),
        )

    # ------------------------------------------------------------------ helpers

    async def _announce(self, author_id: int, scope: Scope, body: str, message: Outgoing) -> None:
        await self._broadcasts.send_as(
            author_id, BroadcastDraft(body=body, scope=scope), report=False, message=message
        )

    async def _remind(self, household_ids: Sequence[int], message: Outgoing) -> None:
        for user_id in await self._votes.members(household_ids):
            user = await self._users.get(user_id)
            if user is not None:
                await self._notifier.push(user, message, category=Category.REMINDER)

    async def _tell_members(self, household_id: int, actor: User, message: Outgoing) -> None:
        for user_id in await self._votes.members([household_id]):
            if user_id == actor.id:
                continue
            user = await self._users.get(user_id)
            if user is not None:
                await self._notifier.push(user, message, category=Category.VOTE)

    async def _home(self, user: User | None) -> int:
        """The household the user votes for: their current one, as an approved member."""
        household = await self._votes.current_household(user.id) if user else None
        if household is None:
            raise NotEligible()
        return household

    async def _voter(self, user: User | None, scope: Scope) -> int:
        """The user's household, if it is one of the scope's (and the user an approved member)."""
        household = await self._home(user)
        if not await self._votes.in_scope(scope, household):
            raise NotEligible()
        return household

    async def _visible(self, user: User | None, votes: Sequence[V]) -> list[V]:
        """Those of `votes` that have opened, for the user's household's scope."""
        household = await self._home(user)
        now = self.now()
        return [
            vote
            for vote in votes
            if vote.phase(now) in (Phase.OPEN, Phase.CLOSED)
            and await self._votes.in_scope(vote.scope, household)
        ]

    async def _opened_for(self, user: User | None, vote: Vote) -> tuple[int, Phase]:
        """The user's household in the vote's scope, and the phase (open or closed)."""
        household = await self._voter(user, vote.scope)
        phase = vote.phase(self.now())
        if phase in (Phase.SCHEDULED, Phase.CANCELLED):
            raise VoteClosed()
        return household, phase

    async def _count_menu(self, menu: Menu) -> MenuResult:
        eligible = await self._votes.eligible(menu.scope)
        ballots = await self._votes.ballots(menu.id)
        # The selection rule can take a while on a large menu: not on the event loop.
        return await self._offload(menu_result, menu, list(ballots.values()), len(eligible))


def _open_button(action: str, ref_id: int) -> tuple[tuple[Action, ...], ...]:
    """The button on an announcement or reminder that opens the ballot ("mo") or the
    proposal ("po")."""
    label = "vote.vote_button" if action == "mo" else "vote.answer_button"
    return ((Action(label_key=label, feature=FEATURE, action=action, args=(str(ref_id),)),),)


def _count(
    proposal: Proposal, roster: Sequence[RosterRow], answers: dict[int, AnswerRecord]
) -> Result:
    flats = [Flat(id=row.household_id, area=row.area, owner_key=row.owner_key) for row in roster]
    return count(proposal.rule, flats, answers_of(list(answers.values())))


def _shares(proposal: Proposal, roster: Sequence[RosterRow]) -> dict[int, int]:
    if proposal.total_cost_fen is None:
        return {}
    flats = [ShareFlat(id=row.household_id, floor=row.floor or 0, area=row.area) for row in roster]
    return cost_shares(proposal.total_cost_fen, flats, proposal.coefficients)


def result_bars(menu: Menu, result: MenuResult) -> str:
    """One line per item: a text bar, its approvals, ✅ if selected, and its title."""
    most = max((n for _, n in result.approvals), default=0)
    selected = set(result.selected or ())
    lines = []
    for item in menu.items:
        n = result.count(item.id)
        mark = "✅ " if item.id in selected else ""
        lines.append(f"{bar(n, most)} {n:>3}  {mark}{item.title} (¥{item.cost:,})")
    return "\n".join(lines)


__all__ = ["FEATURE", "Ballot", "Progress", "Standing", "VoteService", "result_bars", "yuan"]
