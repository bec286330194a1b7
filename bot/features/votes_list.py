"""🗳 (or /votes): staff and grid workers get the votes they manage (staff also the New
buttons); everyone with a household the open votes of its scope, each a button with its phase.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.dialogs.engine import Ctx, refusal
from bot.domain.errors import DomainError
from bot.domain.models import Role
from bot.domain.votes import Menu, Proposal
from bot.features.ballot import BallotAction
from bot.features.menu_card import MenuCardAction
from bot.features.proposal import ProposalAction
from bot.features.proposal_progress import ProgressAction
from bot.interaction.payload import Feature, payload
from bot.interaction.screen import Keyboard, Option, Reply, Screen, option, reply, screen, text

LISTED = 10  # of each kind, for staff
NEW = "new"  # the vote-creation flow's first button (bot.features of VOTE_CREATE)


def rows(
    votes: Sequence[Menu] | Sequence[Proposal], action: str, now: datetime
) -> list[tuple[Option, ...]]:
    """One button a vote, its phase in the label; `action` opens it."""
    return [
        (
            option(
                payload(Feature.VOTE, action, vote.id),
                f"vote.list_{'menu' if isinstance(vote, Menu) else 'proposal'}"
                f"_{vote.phase(now).value}",
                title=vote.title[:40],
            ),
        )
        for vote in votes
    ]


async def managed(ctx: Ctx) -> Screen:
    """Menus (staff) and proposals (staff and grid workers), with the New buttons for staff."""
    votes = ctx.services.votes
    now = votes.now()
    staff = ctx.user.has_role(Role.STAFF)
    found: list[tuple[Option, ...]] = []
    if staff:
        found += rows((await votes.managed_menus(ctx.user))[:LISTED], MenuCardAction.OPEN, now)
    found += rows((await votes.managed_proposals(ctx.user))[:LISTED], ProgressAction.OPEN, now)
    count = len(found)
    if staff:
        found.append(
            (
                option(payload(Feature.VOTE_CREATE, NEW, "menu"), "vote.new_menu"),
                option(payload(Feature.VOTE_CREATE, NEW, "proposal"), "vote.new_proposal"),
            )
        )
    return screen(text("vote.manage_title", count=count), options=tuple(found), replace=False)


async def show(ctx: Ctx) -> Reply:
    """What 🗳 shows this person."""
    votes = ctx.services.votes
    manager = ctx.user.has_role(Role.GRID_WORKER)
    shown = [await managed(ctx)] if manager else []
    try:
        menus = await votes.open_menus(ctx.user)
        proposals = await votes.open_proposals(ctx.user)
    except DomainError as error:
        if not manager:
            shown.append(screen(refusal(error), keyboard=Keyboard.MAIN_MENU, replace=False))
        return reply(*shown)
    if not menus and not proposals:
        if not manager:
            shown.append(screen(text("vote.none"), keyboard=Keyboard.MAIN_MENU, replace=False))
        return reply(*shown)
    now = votes.now()
    found = rows(menus, BallotAction.OPEN, now) + rows(proposals, ProposalAction.OPEN, now)
    shown.append(screen(text("vote.list_title"), options=tuple(found), replace=False))
    return reply(*shown)
