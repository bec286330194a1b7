"""/start, /help, /cancel and the Help button: the first conversation."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.i18n import all_labels
from handlers.context import BotContext
from handlers.menu import main_menu, visible_items


def require_message(update: Update):
    """The message of an update that handlers registered for messages receive."""
    if update.effective_message is None:
        raise ValueError("handler registered for messages got an update without one")
    return update.effective_message


async def start(update: Update, context: BotContext) -> None:
    """Greet the user and show the main menu."""
    message = require_message(update)
    name = update.effective_user.first_name if update.effective_user else ""
    await message.reply_text(
        context.t("start.welcome", name=name),
        reply_markup=main_menu(context.lang, context.account),
    )


async def show_help(update: Update, context: BotContext) -> None:
    """Explain each button of the user's menu and the commands."""
    lines = [context.t("help.title")]
    lines += [context.t(item.help_key) for item in visible_items(context.account)]
    lines.append(context.t("help.commands"))
    await require_message(update).reply_text(
        "\n".join(lines), reply_markup=main_menu(context.lang, context.account)
    )


async def cancel(update: Update, context: BotContext) -> None:
    """/cancel outside any conversation: nothing to cancel, here is the menu."""
    await require_message(update).reply_text(
        context.t("cancel.nothing"), reply_markup=main_menu(context.lang, context.account)
    )


def handlers() -> list[BaseHandler]:
    """The start feature's handlers."""
    return [
        CommandHandler("start", start),
        CommandHandler("help", show_help),
        MessageHandler(filters.Text(all_labels("menu.help")), show_help),
        CommandHandler("cancel", cancel),
    ]
