"""Votes: opening, the reminder to those who have not voted, and closing, as job rows
(restored after a restart); closing freezes the result and announces it."""

from __future__ import annotations

from bot.domain.consent import Answer
from bot.domain.messages import Line, Outgoing
from bot.domain.schedule import Job
from bot.domain.wording import time_words
from bot.services.votes.lookups import (
    VoteLookups,
    _count,
    _open_button,
    logger,
    result_bars,
)
from bot.services.votes.wording import menu_turnout, proposal_turnout, selection, tallies


class VoteTimers(VoteLookups):
    """What happens when a vote opens, is due for a reminder, and closes."""

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
                    "closes": time_words(menu.closes_at, self.timezone),
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
                params={"title": menu.title, "closes": time_words(menu.closes_at, self.timezone)},
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
                params={"title": menu.title},
                lines=(
                    menu_turnout(result),
                    Line(key="dialog.pre", params={"words": result_bars(menu, result)}),
                    *selection(menu, result),
                ),
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
                    "closes": time_words(proposal.closes_at, self.timezone),
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
                    "closes": time_words(proposal.closes_at, self.timezone),
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
                },
                labels={"outcome": "vote.passed" if result.passed else "vote.not_passed"},
                lines=(proposal_turnout(result), *tallies(result)),
            ),
        )
