"""🔔 Notification settings: a person mutes or unmutes categories of pushes.

Urgent notices (outages, urgent announcements) always come through, whatever is muted.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler

from bot.domain.delivery import MUTABLE, Category
from handlers.callback_data import BadCallback, PressHandler, pack, pattern, unpack
from handlers.context import BotContext
from handlers.replies import edit, stale
from handlers.start import require_message

FEATURE = "mute"


async def panel(
    context: BotContext, muted: set[Category] | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    """Each category with 🔔 (on) or 🔕 (muted); pressing one switches it."""
    if muted is None:
        muted = (
            await context.services.notifier.muted(context.account) if context.account else set()
        )
    rows = [
        [
            InlineKeyboardButton(
                ("🔕 " if category in muted else "🔔 ") + context.label(f"mute.{category}"),
                callback_data=pack(FEATURE, "tog", category),
            )
        ]
        for category in MUTABLE
    ]
    return context.t("mute.title"), InlineKeyboardMarkup(rows)


async def show(update: Update, context: BotContext) -> None:
    """/notifications, or the button under My home."""
    text, markup = await panel(context)
    if update.callback_query is not None:
        await update.callback_query.answer()
        await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)
        return
    await require_message(update).reply_text(text, reply_markup=markup)


async def toggle(update: Update, context: BotContext) -> None:
    """Mute or unmute one category."""
    query = update.callback_query
    try:
        category = Category(unpack(query.data).arg(0))
        if category not in MUTABLE or context.account is None:
            raise BadCallback("not a mutable category")
    except (BadCallback, ValueError):
        await stale(update, context)
        return
    now_muted = await context.services.notifier.toggle_muted(context.account, category)
    await query.answer(context.label("mute.muted" if category in now_muted else "mute.unmuted"))
    text, markup = await panel(context, now_muted)
    await edit(query, text, markup)


def handlers() -> list[BaseHandler]:
    """The settings panel and its switches."""
    return [
        CommandHandler("notifications", show),
        PressHandler(show, pattern=pattern(FEATURE, "show")),
        PressHandler(toggle, pattern=pattern(FEATURE, "tog")),
    ]
