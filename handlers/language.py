"""/language: switch between 简体中文 and English, per user."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.domain.models import Language
from bot.i18n import all_labels, language_names
from handlers.callback_data import BadCallback, PressHandler, pack, pattern, unpack
from handlers.context import BotContext
from handlers.menu import main_menu
from handlers.replies import edit
from handlers.start import require_message

FEATURE = "lang"


def picker() -> InlineKeyboardMarkup:
    """One button per language, each named in itself."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(name, callback_data=pack(FEATURE, "set", language.value))]
            for language, name in language_names().items()
        ]
    )


async def ask_language(update: Update, context: BotContext) -> None:
    """Show the language picker."""
    await require_message(update).reply_text(context.t("language.ask"), reply_markup=picker())


async def choose_language(update: Update, context: BotContext) -> None:
    """Store the chosen language and show the menu in it."""
    query = update.callback_query
    try:
        language = Language(unpack(query.data).arg(0))
    except (BadCallback, ValueError):
        await query.answer(context.label("error.stale_button"), show_alert=True)
        return
    if context.account is None:
        await query.answer()
        return
    context.account = await context.services.users.set_language(context.account, language)
    await query.answer(context.label("language.saved_short"))
    await edit(query, context.t("language.saved"))
    await context.bot.send_message(
        query.message.chat.id,
        context.t("language.menu_ready"),
        reply_markup=main_menu(context.lang, context.account),
    )


def handlers() -> list[BaseHandler]:
    """The language feature's handlers."""
    return [
        CommandHandler("language", ask_language),
        MessageHandler(filters.Text(all_labels("menu.language")), ask_language),
        PressHandler(choose_language, pattern=pattern(FEATURE, "set")),
    ]
