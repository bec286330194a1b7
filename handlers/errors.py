"""The global error handler: log without personal data, then apologise in the user's language."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import TelegramError

from handlers.context import BotContext
from handlers.identity import channel_user

logger = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Log the error (update id only, never its content) and tell the user something failed."""
    update_id = update.update_id if isinstance(update, Update) else None
    logger.error(
        "error while handling update %s: %s",
        update_id,
        type(context.error).__name__,
        exc_info=context.error,
    )
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    who = channel_user(update)
    if who is not None and context.account is None:
        # The error handler gets a fresh context: look the user up again for their language.
        with contextlib.suppress(Exception):
            context.account = await context.services.users.identify(who)
    with contextlib.suppress(TelegramError):
        if update.callback_query is not None:
            with contextlib.suppress(TelegramError):
                await update.callback_query.answer()
        await context.bot.send_message(update.effective_chat.id, context.t("error.apology"))
