"""A proposal as a household meets it: its card (text, rule, the household's share of the cost,
its answer), agree / disagree / abstain while it is open, and its files. The vote service
re-checks that the household is in the proposal's scope and that it is open.

With a cost to share, an answer is a promise of money: pressing it first shows the household's
share and what the answer means, with Confirm and Back; only Confirm records it. Confirm names
the household and the share it showed, so it records nothing for another household, on a
closed proposal, or for a share that has changed since (shown again to confirm)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from bot.dialogs.engine import Ctx
from bot.domain.consent import Answer
from bot.domain.messages import Attachment
from bot.domain.votes import Phase, VoteClosed
from bot.domain.wording import money_exact
from bot.features.vote_texts import standing_texts
from bot.interaction.payload import Feature, Payload, StaleButton, payload
from bot.interaction.screen import Option, Reply, Screen, Text, option, reply, screen, text
from bot.services.votes import ShareChanged, Standing


class ProposalAction(StrEnum):
    """A household's buttons on a proposal (codes already on buttons sent: never change one)."""

    OPEN = "po"
    ANSWER = "pa"
    FILES = "pf"
    CONFIRM = "py"  # an answer with money attached, confirmed: proposal, answer, household, fen
    BACK = "pb"  # from the confirmation back to the card


def standing_options(standing: Standing) -> tuple[tuple[Option, ...], ...]:
    """Agree / disagree / abstain while open (✅ on the household's answer), and the files."""
    proposal = standing.proposal
    rows: list[tuple[Option, ...]] = []
    if standing.phase is Phase.OPEN:
        current = standing.answer.answer if standing.answer else None
        rows.append(
            tuple(
                Option(
                    payload=payload(Feature.VOTE, ProposalAction.ANSWER, proposal.id, a.value),
                    key="vote.answer_chosen" if a is current else f"vote.answer_{a.value}",
                    labels={"answer": f"vote.answer_{a.value}"},
                )
                for a in Answer
            )
        )
    if proposal.attachments:
        files = payload(Feature.VOTE, ProposalAction.FILES, proposal.id)
        rows.append((option(files, "vote.files_button", n=len(proposal.attachments)),))
    return tuple(rows)


def standing_screen(ctx: Ctx, standing: Standing, *, new: bool) -> Screen:
    """The proposal's card for the household."""
    texts = standing_texts(standing, ctx.services.votes.timezone)
    return screen(*texts, options=standing_options(standing), replace=not new)


def files_reply(attachments: Sequence[Attachment]) -> Reply:
    """A proposal's files as they were attached, each on its own."""
    return reply(*(screen(attachment=file, replace=False) for file in attachments))


def confirm_screen(standing: Standing, answer: Answer) -> Screen:
    """The household's share and what the answer means, with Confirm and Back (in place of
    the card)."""
    proposal = standing.proposal
    share = standing.share_fen or 0
    words = Text(
        key="vote.confirm_answer",
        params={
            "title": proposal.title,
            "share": money_exact(share),
            "total": money_exact(proposal.total_cost_fen or 0),
        },
        labels={"answer": f"vote.answer_{answer.value}", "means": f"vote.means_{answer.value}"},
    )
    vote = Feature.VOTE
    confirm = payload(
        vote, ProposalAction.CONFIRM, proposal.id, answer.value, standing.household_id, share
    )
    back = payload(vote, ProposalAction.BACK, proposal.id)
    buttons = (
        option(confirm, "vote.confirm_answer_button"),
        option(back, "vote.back_to_proposal"),
    )
    return screen(words, options=(buttons,))


def _answer(pressed: Payload) -> Answer:
    try:
        return Answer(pressed.arg(1))
    except ValueError:
        raise StaleButton("not an answer") from None


async def _open_standing(ctx: Ctx, proposal_id: int) -> Standing:
    """The household's standing on a proposal it may still answer (VoteClosed if not open)."""
    standing = await ctx.services.votes.standing(ctx.user, proposal_id)
    if standing.phase is not Phase.OPEN:
        raise VoteClosed()
    return standing


async def _record(ctx: Ctx, proposal_id: int, answer: Answer, share: int | None) -> Reply:
    """Record the answer; the card with it, and "recorded"."""
    standing = await ctx.services.votes.answer(ctx.user, proposal_id, answer, share_fen=share)
    return reply(standing_screen(ctx, standing, new=False), notice=text("vote.answered_short"))


async def press(ctx: Ctx, pressed: Payload) -> Reply:
    """Open the card, answer (confirmed first when money is attached), or the files."""
    votes = ctx.services.votes
    proposal_id = pressed.number(0)
    if pressed.action == ProposalAction.ANSWER:
        answer = _answer(pressed)
        standing = await _open_standing(ctx, proposal_id)
        if standing.share_fen is None:  # no money attached: one press answers
            return await _record(ctx, proposal_id, answer, None)
        return reply(confirm_screen(standing, answer))
    if pressed.action == ProposalAction.CONFIRM:
        answer = _answer(pressed)
        household, share = pressed.number(2), pressed.number(3)
        standing = await _open_standing(ctx, proposal_id)
        if standing.household_id != household:
            raise StaleButton("a confirmation for another household")
        try:
            return await _record(ctx, proposal_id, answer, share)
        except ShareChanged:
            now = await _open_standing(ctx, proposal_id)
            return reply(
                confirm_screen(now, answer), notice=text("vote.share_changed"), alert=True
            )
    standing = await votes.standing(ctx.user, proposal_id)
    if pressed.action == ProposalAction.FILES:
        return files_reply(standing.proposal.attachments)
    if pressed.action == ProposalAction.BACK:
        return reply(standing_screen(ctx, standing, new=False))
    return reply(standing_screen(ctx, standing, new=True))
