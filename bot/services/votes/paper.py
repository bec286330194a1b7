"""Votes: paper answers a grid worker records door to door, and the whole service."""

from __future__ import annotations

from bot.delivery.scheduling import Scheduler
from bot.domain.consent import Answer
from bot.domain.contacts import with_contact
from bot.domain.errors import NotFound
from bot.domain.messages import Outgoing
from bot.domain.models import User
from bot.domain.votes import (
    AnswerRecord,
    Phase,
    Proposal,
    RosterRow,
    VoteClosed,
)
from bot.ports import Clock, Offload, UnitOfWork, UserRepository
from bot.services.access import AccessService
from bot.services.broadcasts import BroadcastService
from bot.services.contacts import WorkerLookup, worker_of
from bot.services.outbox import OutboxNotifier
from bot.services.votes.lookups import (
    MENU_CLOSE,
    MENU_OPEN,
    MENU_REMIND,
    PROPOSAL_CLOSE,
    PROPOSAL_OPEN,
    PROPOSAL_REMIND,
)
from bot.services.votes.models import VoteStore
from bot.services.votes.proposals import ProposalVoting


class VoteService(ProposalVoting):
    """Publishes menus and proposals, takes ballots and answers, records paper, counts."""

    def __init__(
        self,
        *,
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
        contacts: WorkerLookup | None = None,
    ) -> None:
        self._uow = uow
        self._contacts = contacts
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
        proposal, row = await self.paper_target(actor, proposal_id, household_id)
        assert actor is not None
        # "if this is wrong, contact your grid worker": with their name and phone if known
        key, params = with_contact(
            "vote.paper_recorded", await worker_of(self._contacts, row.building_id)
        )
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
                    key=key,
                    params={**params, "title": proposal.title, "name": actor.first_name or "—"},
                    labels={"answer": f"vote.answer_{answer.value}"},
                ),
            )
        record = await self._votes.answer_of(proposal.id, household_id)
        assert record is not None
        return record
