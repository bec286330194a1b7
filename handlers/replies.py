"""Answering a press on Telegram: the pressed message edited (only when it changes), its
buttons taken off."""

from __future__ import annotations

import contextlib

from telegram import CallbackQuery, InlineKeyboardMarkup, MaybeInaccessibleMessage, Message
from telegram.error import BadRequest

from handlers.telegram_bot import ShangliangBot


async def drop_buttons(query: CallbackQuery) -> None:
    """Take the buttons off the pressed message, if it still has any."""
    bot, message = query.get_bot(), query.message
    if message is None or not isinstance(bot, ShangliangBot):
        return
    with contextlib.suppress(BadRequest):  # deleted meanwhile, or too old to edit
        await bot.edit_markup(message.chat.id, message.message_id, None, pressed=_known(message))


async def edit(
    query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Show `text` and `markup` on the pressed message, unless it already shows them (a
    button pressed twice, or twenty times at once, changes nothing the second time)."""
    bot, message = query.get_bot(), query.message
    if message is None or not isinstance(bot, ShangliangBot):  # inline mode: not used
        await query.edit_message_text(text, reply_markup=markup)
        return
    await bot.edit_text(message.chat.id, message.message_id, text, markup, pressed=_known(message))


def _known(message: MaybeInaccessibleMessage) -> Message | None:
    """The pressed message's copy, when Telegram sent its content (not when too old)."""
    return message if isinstance(message, Message) else None
