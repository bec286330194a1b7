"""Votes: proposals (表决) under the Civil Code's rules: staff publish them; households answer."""

from __future__ import annotations

from bot.domain.consent import Answer, Result
from bot.domain.messages import Outgoing
from bot.domain.models import Role, User
from bot.domain.votes import (
    Phase,
    Proposal,
    ProposalDraft,
    RulesFrozen,
    VoteClosed,
)
from bot.services.votes.lookups import (
    PROPOSAL_KINDS,
    _count,
    _shares,
    logger,
)
from bot.services.votes.menus import MenuVoting
from bot.services.votes.models import Progress, ShareChanged, Standing


class ProposalVoting(MenuVoting):
    """Proposals, their answers and their progress."""

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

    async def answer(
        self,
        user: User | None,
        proposal_id: int,
        answer: Answer,
        *,
        share_fen: int | None = None,
    ) -> Standing:
        """Answer (or change the answer) for the household; the other members are told.

        With a cost to share, the answer names the household's share it was shown and
        confirmed (`share_fen`): ShareChanged, and nothing recorded, if that is not its share
        now."""
        proposal = await self.proposal(proposal_id)
        household = await self._voter(user, proposal.scope)
        assert user is not None
        async with self._uow.transaction():
            if proposal.phase(self.now()) is not Phase.OPEN:
                raise VoteClosed()
            if proposal.total_cost_fen is not None:
                roster = await self._votes.roster(proposal.scope)
                if share_fen is None or _shares(proposal, roster).get(household) != share_fen:
                    raise ShareChanged()
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

    async def for_export(self, actor: User | None, proposal_id: int) -> Progress:
        """Everything the export needs (staff only)."""
        self._access.require(actor, Role.STAFF)
        return await self.progress(actor, proposal_id)
