"""🏠 My home: a resident's households, their other members, the current one; make another
one current, leave one (asked first), register another. The service re-checks every id a
button names against the person's memberships."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from bot.dialogs.engine import Ctx
from bot.domain.homes import Home, place_text
from bot.domain.models import MembershipStatus
from bot.features.contacts import home_card
from bot.interaction.payload import Feature, Payload, StaleButton, payload
from bot.interaction.screen import Option, Reply, Screen, Text, option, reply, screen, text

# The registration flow's "begin" (bot.interaction.router.BEGIN): register a (further) home.
REGISTER = payload(Feature.REGISTRATION, "begin")
# The notification settings under my home (bot.features.mutes.MuteAction.SHOW).
SETTINGS = payload(Feature.MUTE, "show")


class HomeAction(StrEnum):
    """My home's buttons (codes already on buttons sent: never change one)."""

    CURRENT = "cur"
    LEAVE = "leave"  # asks first
    SURE = "sure"  # yes, leave
    KEEP = "keep"  # no, stay


def home_screen(homes: list[Home], *, replace: bool, card: Sequence[Text] = ()) -> Screen:
    """The households with their members and buttons, or an offer to register; then `card`
    (who looks after the current home's building, the numbers to call)."""
    after = [text("dialog.paragraph", words=card[0]), *card[1:]] if card else []
    if not homes:
        register = ((option(REGISTER, "home.register"),),)
        return screen(text("home.none"), *after, options=register, replace=replace)
    lines: list[Text] = [text("home.title")]
    rows: list[tuple[Option, ...]] = []
    for home in homes:
        place, room = place_text(home.place), home.place.room
        leave = payload(Feature.HOME, HomeAction.LEAVE, home.household_id)
        if home.status is MembershipStatus.PENDING:
            lines.append(text("home.pending", place=place))
            rows.append((option(leave, "home.withdraw", room=room),))
            continue
        lines.append(text("home.current" if home.is_current else "home.other", place=place))
        members = "、".join(home.members) if home.members else text("home.no_members")
        lines.append(text("home.members", names=members))
        row = [option(leave, "home.leave", room=room)]
        if not home.is_current:
            current = payload(Feature.HOME, HomeAction.CURRENT, home.household_id)
            row.insert(0, option(current, "home.make_current", room=room))
        rows.append(tuple(row))
    rows.append((option(REGISTER, "home.add"),))
    rows.append((option(SETTINGS, "mute.open"),))
    return screen(*lines, *after, options=tuple(rows), replace=replace)


async def show(ctx: Ctx) -> Reply:
    """🏠 or /home."""
    homes = await ctx.services.registration.homes(ctx.user)
    return reply(home_screen(homes, replace=False, card=await home_card(ctx)))


async def press(ctx: Ctx, pressed: Payload) -> Reply:
    """Make current, leave (asks first), confirm or keep; then my home again, in place."""
    service = ctx.services.registration
    notice: Text | None = None
    if pressed.action != HomeAction.KEEP:
        household_id = pressed.number(0)
        if pressed.action == HomeAction.CURRENT:
            place = await service.set_current(ctx.user, household_id)
            notice = text("home.now_current", place=place_text(place))
        elif pressed.action == HomeAction.LEAVE:
            return await ask_leave(ctx, household_id)
        elif pressed.action == HomeAction.SURE:
            place = await service.leave(ctx.user, household_id)
            notice = text("home.left", place=place_text(place))
        else:
            raise StaleButton(f"no home action {pressed.action!r}")
    homes = await service.homes(ctx.user)
    shown = home_screen(homes, replace=True, card=await home_card(ctx))
    return reply(shown, notice=notice)


async def ask_leave(ctx: Ctx, household_id: int) -> Reply:
    """Ask "leave this household?" with Yes / No, in place of my home."""
    service = ctx.services.registration
    place = await service.place(household_id)
    if household_id not in {home.household_id for home in await service.homes(ctx.user)}:
        raise StaleButton("not one of the person's households")
    sure = payload(Feature.HOME, HomeAction.SURE, household_id)
    keep = payload(Feature.HOME, HomeAction.KEEP)
    choices = ((option(sure, "home.leave_yes"), option(keep, "home.leave_no")),)
    return reply(screen(text("home.leave_ask", place=place_text(place)), options=choices))
