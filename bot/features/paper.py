"""✍️ Paper answers: a grid worker (or staff) enters the answer a household gave on the paper
form — pick a household of their grid that has not answered, then its answer. The vote service
re-checks the grid, the household and that the proposal is open; who entered it and when are
kept."""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.engine import Ctx
from bot.domain.consent import Answer
from bot.domain.homes import paginate
from bot.domain.wording import time_words
from bot.features.vote_texts import household_label
from bot.interaction.payload import Feature, Payload, StaleButton, payload
from bot.interaction.screen import Option, Reply, Text, option, reply, screen, text

PAGE = 8  # households a page of the picker


class PaperAction(StrEnum):
    """The paper answer's buttons (codes already on buttons sent: never change one)."""

    PICK = "pw"  # the households, as a new message
    PAGE = "pq"  # another page of them, in place
    HOUSEHOLD = "ph"
    RECORD = "pr"


async def pick(ctx: Ctx, proposal_id: int, page: int, *, new: bool) -> Reply:
    """The households of the worker's grid that have not answered, a page at a time."""
    proposal, rows = await ctx.services.votes.paper_list(ctx.user, proposal_id)
    shown, page, pages = paginate(rows, page, PAGE)
    pid = proposal.id
    options: list[tuple[Option, ...]] = [
        (
            option(
                payload(Feature.VOTE, PaperAction.HOUSEHOLD, pid, row.household_id),
                literal=f"{row.building} {row.unit} {row.room}",
            ),
        )
        for row in shown
    ]
    if pages > 1:
        options.append(
            (
                option(
                    payload(Feature.VOTE, PaperAction.PAGE, pid, (page - 1) % pages), "reg.prev"
                ),
                option(
                    payload(Feature.VOTE, PaperAction.PAGE, pid, (page + 1) % pages), "reg.next"
                ),
            )
        )
    said: Text = text("vote.paper_pick", title=proposal.title, count=len(rows))
    if not rows:
        said = text("vote.paper_none")
    return reply(screen(said, options=tuple(options), replace=not new))


async def household(ctx: Ctx, proposal_id: int, household_id: int) -> Reply:
    """The household chosen: which answer did they give on paper?"""
    votes = ctx.services.votes
    proposal, row = await votes.paper_target(ctx.user, proposal_id, household_id)
    answers = tuple(
        option(
            payload(Feature.VOTE, PaperAction.RECORD, proposal.id, row.household_id, a.value),
            f"vote.answer_{a.value}",
        )
        for a in Answer
    )
    asked = text("vote.paper_which", place=household_label(row))
    return reply(screen(asked, options=(answers,)))


async def record(ctx: Ctx, proposal_id: int, household_id: int, answer: Answer) -> Reply:
    """Record the paper answer."""
    votes = ctx.services.votes
    recorded = await votes.record_paper(ctx.user, proposal_id, household_id, answer)
    done = Text(
        key="vote.paper_done",
        params={"at": time_words(recorded.at, votes.timezone)},
        labels={"answer": f"vote.answer_{recorded.answer.value}"},
    )
    return reply(screen(done), notice=text("vote.answered_short"))


def _answer(pressed: Payload) -> Answer:
    try:
        return Answer(pressed.arg(2))
    except ValueError:
        raise StaleButton("not an answer") from None


async def press(ctx: Ctx, pressed: Payload) -> Reply:
    """One of the paper answer's buttons."""
    action = pressed.action
    proposal_id = pressed.number(0)
    if action == PaperAction.HOUSEHOLD:
        return await household(ctx, proposal_id, pressed.number(1))
    if action == PaperAction.RECORD:
        answer = _answer(pressed)
        return await record(ctx, proposal_id, pressed.number(1), answer)
    return await pick(ctx, proposal_id, pressed.number(1), new=action == PaperAction.PICK)
