"""For grid workers and staff: registration requests to decide, and who is registered in
each building of their grid. The services refuse anyone without the role, and re-check every
request a button names."""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.engine import Ctx, refusal
from bot.domain.errors import AlreadyDecided, DomainError
from bot.domain.homes import BuildingCoverage, PendingRequest, place_text
from bot.domain.models import MembershipStatus
from bot.interaction.payload import Feature, Payload, payload
from bot.interaction.screen import Keyboard, Reply, Screen, Text, option, reply, screen, text

MAX_LISTED = 20  # requests shown one message each; the rest are counted


class DecisionAction(StrEnum):
    """The buttons under a registration request (codes already on buttons sent, and on the
    requests RegistrationService pushes: never change one)."""

    APPROVE = "ok"
    REJECT = "no"


def request_screen(request: PendingRequest) -> Screen:
    """One request with Approve / Reject."""
    args = (request.user_id, request.household_id)
    asked = text(
        "reg.ask_decision", name=request.first_name or "?", place=place_text(request.place)
    )
    choices = (
        (
            option(payload(Feature.REGISTRATION, DecisionAction.APPROVE, *args), "reg.approve"),
            option(payload(Feature.REGISTRATION, DecisionAction.REJECT, *args), "reg.reject"),
        ),
    )
    return screen(asked, options=choices, replace=False)


def refused(error: DomainError) -> Reply:
    """Why the rule said no, with the main menu."""
    return reply(screen(refusal(error), keyboard=Keyboard.MAIN_MENU, replace=False))


async def pending(ctx: Ctx) -> Reply:
    """📋 or /pending: the requests waiting in the grid, each with Approve / Reject."""
    try:
        waiting = await ctx.services.registration.pending(ctx.user)
    except DomainError as error:
        return refused(error)
    if not waiting:
        return reply(screen(text("staff.no_pending"), keyboard=Keyboard.MAIN_MENU, replace=False))
    screens = [screen(text("staff.pending_title", count=len(waiting)), replace=False)]
    screens += [request_screen(request) for request in waiting[:MAX_LISTED]]
    if len(waiting) > MAX_LISTED:
        more = text("staff.more_pending", count=len(waiting) - MAX_LISTED)
        screens.append(screen(more, replace=False))
    return reply(*screens)


async def press(ctx: Ctx, pressed: Payload) -> Reply | None:
    """Approve or reject; the request then shows the decision, without its buttons. None for
    the registration flow's own buttons (the dialog engine's)."""
    if pressed.action not in (DecisionAction.APPROVE, DecisionAction.REJECT):
        return None
    user_id, household_id = pressed.number(0), pressed.number(1)
    try:
        decision = await ctx.services.registration.decide(
            ctx.user, user_id, household_id, approve=pressed.action == DecisionAction.APPROVE
        )
    except AlreadyDecided as error:  # decided meanwhile (another device, another worker)
        return Reply(notice=refusal(error), alert=True, unbutton=True)
    approved = decision.status is MembershipStatus.APPROVED
    decided = text(
        "staff.approved" if approved else "staff.rejected",
        name=decision.resident or "?",
        place=place_text(decision.place),
        by=ctx.user.first_name,
    )
    return reply(screen(decided))


def coverage_texts(item: BuildingCoverage) -> list[Text]:
    """One building: registered/total, and the households nobody registered for."""
    texts = [
        text(
            "staff.coverage_line",
            compound=item.compound,
            building=item.building,
            registered=item.registered,
            households=item.households,
            percent=round(item.share * 100),
        )
    ]
    if item.unregistered:
        texts.append(text("staff.unregistered", rooms="、".join(item.unregistered)))
    return texts


async def coverage(ctx: Ctx) -> Reply:
    """🏘 or /coverage: per building of the grid, how many households are registered and
    whom to visit (a message each)."""
    try:
        buildings = await ctx.services.registration.coverage(ctx.user)
    except DomainError as error:
        return refused(error)
    if not buildings:
        return reply(screen(text("staff.no_buildings"), replace=False))
    screens = [screen(text("staff.coverage_title"), replace=False)]
    screens += [screen(*coverage_texts(item), replace=False) for item in buildings]
    return reply(*screens)
