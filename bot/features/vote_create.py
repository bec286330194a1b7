"""➕ New menu / ➕ New proposal: the buttons under the staff's list of votes that open the two
creation flows (staff only; the role is checked again on every press). The flows' own buttons
are the dialog engine's; a "vc" button of the old conversation (its steps had their own
action codes) is stale."""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.engine import ACTS, Ctx
from bot.domain.models import Role
from bot.domain.votes import VoteKind
from bot.interaction.payload import Feature, Payload, StaleButton, payload
from bot.interaction.screen import Option, Reply, option

FLOWS = {VoteKind.MENU: Feature.VOTE_CREATE, VoteKind.PROPOSAL: Feature.PROPOSAL_CREATE}


class VoteCreateAction(StrEnum):
    """The buttons outside the flows (codes already on buttons sent: never change one)."""

    NEW = "new"  # its argument: the kind of vote


def new_option(kind: VoteKind) -> Option:
    """The button that starts a new menu or proposal."""
    return option(payload(Feature.VOTE_CREATE, VoteCreateAction.NEW, kind), f"vote.new_{kind}")


async def press(ctx: Ctx, pressed: Payload) -> Reply | None:
    """Begin a flow; None for the menu flow's own buttons (the dialog engine's)."""
    if pressed.action in ACTS:
        return None
    if pressed.action != VoteCreateAction.NEW:
        raise StaleButton(f"{pressed.action}: a button of the old conversation")
    ctx.services.access.require(ctx.user, Role.STAFF)
    kind = next((kind for kind in VoteKind if kind.value == pressed.arg(0)), None)
    if kind is None:
        raise StaleButton("not a kind of vote")
    return await ctx.services.dialogs.begin(ctx, FLOWS[kind])
