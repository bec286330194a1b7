"""What nobody else handled: unknown commands, unexpected input, stale buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler, filters

from handlers.callback_data import PressHandler
from handlers.context import BotContext
from handlers.menu import main_menu
from handlers.replies import stale


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command we do not have."""
    await update.effective_message.reply_text(
        context.t("fallback.unknown_command"),
        reply_markup=main_menu(context.lang, context.account),
    )


async def unexpected_input(update: Update, context: BotContext) -> None:
    """Text, a photo, a sticker… that no flow is waiting for: point to the menu."""
    await update.effective_message.reply_text(
        context.t("fallback.use_menu"), reply_markup=main_menu(context.lang, context.account)
    )


async def stale_button(update: Update, context: BotContext) -> None:
    """A button no handler accepts (old, from a finished flow, or forged): say so, tidy up."""
    await stale(update, context)


def handlers() -> list[BaseHandler]:
    """Registered last (see handlers.build_application)."""
    return [
        MessageHandler(filters.COMMAND, unknown_command),
        MessageHandler(filters.ChatType.PRIVATE & ~filters.StatusUpdate.ALL, unexpected_input),
        PressHandler(stale_button),
    ]
