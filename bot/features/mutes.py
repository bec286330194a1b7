"""🔔 Notification settings: a person mutes or unmutes kinds of pushes, one button each.

Urgent notices (outages, urgent announcements) always come through, whatever is muted.
"""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.engine import Ctx
from bot.domain.delivery import MUTABLE, Category
from bot.interaction.payload import Feature, Payload, StaleButton, payload
from bot.interaction.screen import Option, Reply, Screen, reply, screen, text


class MuteAction(StrEnum):
    """The settings' buttons (codes already on buttons sent: never change one)."""

    SHOW = "show"  # the button under my home
    TOGGLE = "tog"


def panel(muted: set[Category], *, replace: bool) -> Screen:
    """Each kind with 🔔 (on) or 🔕 (muted); pressing one switches it."""
    rows = tuple(
        (
            Option(
                payload=payload(Feature.MUTE, MuteAction.TOGGLE, category),
                key="mute.off" if category in muted else "mute.on",
                labels={"name": f"mute.{category}"},
            ),
        )
        for category in MUTABLE
    )
    return screen(text("mute.title"), options=rows, replace=replace)


async def show(ctx: Ctx) -> Reply:
    """/notifications, or the button under my home (a new message below it)."""
    muted = await ctx.services.notifier.muted(ctx.user)
    return reply(panel(muted, replace=False))


async def press(ctx: Ctx, pressed: Payload) -> Reply:
    """Open the settings, or mute / unmute one kind (the panel changes in place)."""
    if pressed.action == MuteAction.SHOW:
        return await show(ctx)
    if pressed.action != MuteAction.TOGGLE:
        raise StaleButton(f"no settings action {pressed.action!r}")
    try:
        category = Category(pressed.arg(0))
    except ValueError:
        raise StaleButton("no such kind of message") from None
    if category not in MUTABLE:
        raise StaleButton("a kind that cannot be muted")
    muted = await ctx.services.notifier.toggle_muted(ctx.user, category)
    said = text("mute.muted" if category in muted else "mute.unmuted")
    return reply(panel(muted, replace=True), notice=said)
