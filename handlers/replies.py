"""Small helpers every feature uses to answer: refusals, inline pickers."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import CallbackQuery, InlineKeyboardMarkup, MaybeInaccessibleMessage, Message, Update
from telegram.error import BadRequest

from bot.domain.errors import DomainError
from handlers.callback_data import BadCallback, CallbackData, unpack
from handlers.context import BotContext
from handlers.menu import main_menu
from handlers.telegram_bot import ShangliangBot


async def refuse(update: Update, context: BotContext, error: DomainError) -> None:
    """Tell the user, politely and in their language, why the rule said no."""
    query = update.callback_query
    if query is not None:
        await query.answer(context.label(error.key, **error.params), show_alert=True)
        return
    if update.effective_message is not None:
        await update.effective_message.reply_text(
            context.t(error.key, **error.params),
            reply_markup=main_menu(context.lang, context.account),
        )


async def stale(update: Update, context: BotContext) -> None:
    """An old or forged button: say so and take the buttons off that message."""
    await update.callback_query.answer(context.label("error.stale_button"), show_alert=True)
    await drop_buttons(update.callback_query)


T = TypeVar("T")


async def pressed(
    update: Update, context: BotContext, call: Callable[[CallbackData], Awaitable[T]]
) -> T | None:
    """Run `call` on the pressed button's data; None (already answered) if the data is
    malformed or forged (stale) or a rule says no (refused)."""
    try:
        return await call(unpack(update.callback_query.data))
    except BadCallback:
        await stale(update, context)
    except DomainError as error:
        await refuse(update, context, error)
    return None


async def answered(
    update: Update, context: BotContext, call: Callable[[CallbackData], Awaitable[T]]
) -> T | None:
    """`pressed`, then the press answered (without a message) when the call succeeded."""
    result = await pressed(update, context, call)
    if result is not None:
        await update.callback_query.answer()
    return result


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
