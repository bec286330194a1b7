"""A proposal as a household meets it: its card (text, rule, the household's share of the cost,
its answer), agree / disagree / abstain while it is open, and its files. The vote service
re-checks that the household is in the proposal's scope and that it is open."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from bot.dialogs.engine import Ctx
from bot.domain.consent import Answer
from bot.domain.messages import Attachment
from bot.domain.votes import Phase
from bot.features.vote_texts import standing_texts
from bot.interaction.payload import Feature, Payload, StaleButton, payload
from bot.interaction.screen import Option, Reply, Screen, option, reply, screen, text
from bot.services.votes import Standing


class ProposalAction(StrEnum):
    """A household's buttons on a proposal (codes already on buttons sent: never change one)."""

    OPEN = "po"
    ANSWER = "pa"
    FILES = "pf"


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


def _answer(pressed: Payload) -> Answer:
    try:
        return Answer(pressed.arg(1))
    except ValueError:
        raise StaleButton("not an answer") from None


async def press(ctx: Ctx, pressed: Payload) -> Reply:
    """Open the card, answer, or the files."""
    votes = ctx.services.votes
    proposal_id = pressed.number(0)
    if pressed.action == ProposalAction.ANSWER:
        answer = _answer(pressed)
        standing = await votes.answer(ctx.user, proposal_id, answer)
        return reply(standing_screen(ctx, standing, new=False), notice=text("vote.answered_short"))
    standing = await votes.standing(ctx.user, proposal_id)
    if pressed.action == ProposalAction.FILES:
        return files_reply(standing.proposal.attachments)
    return reply(standing_screen(ctx, standing, new=True))
