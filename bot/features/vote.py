"""🗳's buttons, each action to the module that answers it: the ballot (bot.features.ballot),
a proposal's card (proposal), the staff's menu card (menu_card), a proposal's progress
(proposal_progress) and paper answers (paper). An action no module knows is a stale button."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import StrEnum

from bot.dialogs.engine import Ctx
from bot.features import ballot, menu_card, paper, proposal, proposal_progress
from bot.interaction.payload import Payload, StaleButton
from bot.interaction.screen import Reply

Press = Callable[[Ctx, Payload], Awaitable[Reply | None]]

MODULES: tuple[tuple[type[StrEnum], Press], ...] = (
    (ballot.BallotAction, ballot.press),
    (proposal.ProposalAction, proposal.press),
    (menu_card.MenuCardAction, menu_card.press),
    (proposal_progress.ProgressAction, proposal_progress.press),
    (paper.PaperAction, paper.press),
)
ACTIONS: dict[str, Press] = {action.value: answer for kind, answer in MODULES for action in kind}


async def press(ctx: Ctx, pressed: Payload) -> Reply | None:
    """The answer of the module the action belongs to."""
    answer = ACTIONS.get(pressed.action)
    if answer is None:
        raise StaleButton(f"no vote action {pressed.action!r}")
    return await answer(ctx, pressed)
