"""/start, /help and the Help button: the welcome and what each button of the person's menu
is for; and what /cancel says when nothing is running."""

from __future__ import annotations

from bot.dialogs.engine import Ctx
from bot.interaction.menu import visible_items
from bot.interaction.screen import Keyboard, Reply, reply, screen, text


async def welcome(ctx: Ctx) -> Reply:
    """/start: greet the person by name, with the main menu."""
    hello = text("start.welcome", name=ctx.user.first_name)
    return reply(screen(hello, keyboard=Keyboard.MAIN_MENU, replace=False))


async def explain(ctx: Ctx) -> Reply:
    """/help or ❓: a line for each button of the person's menu, then the commands."""
    lines = [
        text("help.title"),
        *(text(item.help_key) for item in visible_items(ctx.user)),
        text("help.commands"),
    ]
    return reply(screen(*lines, keyboard=Keyboard.MAIN_MENU, replace=False))


def nothing_to_cancel() -> Reply:
    """/cancel when nothing is running: say so, and here is the menu."""
    return reply(screen(text("cancel.nothing"), keyboard=Keyboard.MAIN_MENU, replace=False))
