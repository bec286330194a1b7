"""A broadcast's buttons outside its flow: cancel a scheduled broadcast (the button under its
confirmation). The service re-checks who presses and whether it can still be cancelled."""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.engine import Ctx
from bot.interaction.payload import Feature, Payload, payload
from bot.interaction.screen import Option, Reply, option, reply, screen, text


class BroadcastAction(StrEnum):
    """The broadcast's own buttons (codes already on buttons sent: never change one)."""

    STOP = "stop"


def stop_option(broadcast_id: int) -> Option:
    """The button under a scheduled broadcast that cancels it."""
    stop = payload(Feature.BROADCAST, BroadcastAction.STOP, broadcast_id)
    return option(stop, "bc.cancel_scheduled")


async def press(ctx: Ctx, pressed: Payload) -> Reply | None:
    """Cancel a scheduled broadcast; None for the flow's buttons (the dialog engine's)."""
    if pressed.action != BroadcastAction.STOP:
        return None
    broadcast = await ctx.services.broadcasts.cancel(ctx.user, pressed.number(0))
    return reply(screen(text("bc.cancelled_scheduled", id=broadcast.id)))
