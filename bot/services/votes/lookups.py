"""Votes: finding menus, proposals and voters, and the pushes every part of the service sends."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar

from bot.delivery.scheduling import Scheduler
from bot.domain.broadcasts import BroadcastDraft
from bot.domain.consent import Flat, Result, ShareFlat, cost_shares, count
from bot.domain.delivery import Category
from bot.domain.errors import NotFound
from bot.domain.messages import Action, Outgoing
from bot.domain.models import Role, User
from bot.domain.schedule import Job
from bot.domain.scope import Scope
from bot.domain.vocabulary import Feature
from bot.domain.votes import (
    AnswerRecord,
    Menu,
    MenuResult,
    NotEligible,
    Phase,
    Proposal,
    RosterRow,
    VoteClosed,
    answers_of,
    bar,
    menu_result,
    reminder_at,
)
from bot.domain.wording import money_about
from bot.ports import Clock, Offload, UnitOfWork, UserRepository
from bot.services.access import AccessService
from bot.services.broadcasts import BroadcastService
from bot.services.outbox import OutboxNotifier
from bot.services.votes.models import Vote, VoteStore

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
V = TypeVar("V", Menu, Proposal)


class VoteLookups:
    """Lookups and pushes every part of the vote service uses."""

    _uow: UnitOfWork
    _offload: Offload
    _votes: VoteStore
    _users: UserRepository
    _access: AccessService
    _notifier: OutboxNotifier
    _broadcasts: BroadcastService
    _scheduler: Scheduler
    _clock: Clock
    timezone: str

    def now(self) -> datetime:
        """The service's clock."""
        return self._clock.now()

    async def menu(self, menu_id: int) -> Menu:
        """A menu, or NotFound."""
        menu = await self._votes.get_menu(menu_id)
        if menu is None:
            raise NotFound("menu")
        return menu

    async def proposal(self, proposal_id: int) -> Proposal:
        """A proposal, or NotFound."""
        proposal = await self._votes.get_proposal(proposal_id)
        if proposal is None:
            raise NotFound("proposal")
        return proposal

    async def managed_menus(self, actor: User | None) -> list[Menu]:
        """Every menu (staff)."""
        self._access.require(actor, Role.STAFF)
        return await self._votes.menus()

    async def managed_proposals(self, actor: User | None) -> list[Proposal]:
        """Every proposal (staff and grid workers, who collect paper answers)."""
        self._access.require(actor, Role.GRID_WORKER)
        return await self._votes.proposals()

    async def user_name(self, user_id: int | None) -> str:
        """A user's first name, for the audit and the export."""
        if user_id is None:
            return ""
        user = await self._users.get(user_id)
        return user.first_name if user else ""

    def shares(self, proposal: Proposal, roster: Sequence[RosterRow]) -> dict[int, int]:
        """Each household's part of the proposal's cost, in fen (empty without a cost)."""
        return _shares(proposal, roster)

    async def worker_buildings(self, actor: User | None) -> set[int] | None:
        """None for staff (everything); a grid worker's buildings."""
        actor = self._access.require(actor, Role.GRID_WORKER)
        if actor.has_role(Role.STAFF):
            return None
        return await self._access.managed_buildings(actor)

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
        households = len(await self._votes.roster(menu.scope))
        ballots = await self._votes.ballots(menu.id)
        # The selection rule can take a while on a large menu: not on the event loop.
        return await self._offload(
            menu_result, menu, list(ballots.values()), len(eligible), households
        )

    async def _tell_members(self, household_id: int, actor: User, message: Outgoing) -> None:
        for user_id in await self._votes.members([household_id]):
            if user_id == actor.id:
                continue
            user = await self._users.get(user_id)
            if user is not None:
                await self._notifier.push(user, message, category=Category.VOTE)

    async def _announce(self, author_id: int, scope: Scope, body: str, message: Outgoing) -> None:
        await self._broadcasts.send_as(
            author_id, BroadcastDraft(body=body, scope=scope), report=False, message=message
        )

    async def _remind(self, household_ids: Sequence[int], message: Outgoing) -> None:
        for user_id in await self._votes.members(household_ids):
            user = await self._users.get(user_id)
            if user is not None:
                await self._notifier.push(user, message, category=Category.REMINDER)

    async def _schedule(
        self, kinds: Sequence[str], ref_id: int, opens_at: datetime, closes_at: datetime
    ) -> Job:
        """The opening, reminder and closing jobs; the opening one."""
        opened, remind, close = kinds
        opening = await self._scheduler.add(opened, ref_id, opens_at, expires_at=closes_at)
        await self._scheduler.add(remind, ref_id, reminder_at(opens_at, closes_at), closes_at)
        await self._scheduler.add(close, ref_id, closes_at)
        return opening

    async def open_menus(self, user: User | None) -> list[Menu]:
        """Menus of the user's household's scope that have opened, newest first."""
        return await self._visible(user, await self._votes.menus())

    async def open_proposals(self, user: User | None) -> list[Proposal]:
        """Proposals of the user's household's scope that have opened, newest first."""
        return await self._visible(user, await self._votes.proposals())

    async def audit(self, actor: User | None, proposal_id: int) -> list[AnswerRecord]:
        """Every answer and change, oldest first (staff)."""
        self._access.require(actor, Role.STAFF)
        await self.proposal(proposal_id)
        return await self._votes.audit(proposal_id)


def _open_button(action: str, ref_id: int) -> tuple[tuple[Action, ...], ...]:
    """The button on an announcement or reminder that opens the ballot ("mo") or the
    proposal ("po")."""
    label = "vote.vote_button" if action == "mo" else "vote.answer_button"
    return ((Action(label_key=label, feature=FEATURE, action=action, args=(str(ref_id),)),),)


def _count(
    proposal: Proposal, roster: Sequence[RosterRow], answers: dict[int, AnswerRecord]
) -> Result:
    flats = [Flat(id=row.household_id, area=row.area, owner_key=row.owner_key) for row in roster]
    result = count(proposal.rule, flats, answers_of(list(answers.values())))
    return result.model_copy(update={"registered": sum(row.registered for row in roster)})


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
        lines.append(f"{bar(n, most)} {n:>3}  {mark}{item.title} ({money_about(item.cost * 100)})")
    return "\n".join(lines)
