"""The main menu as Telegram shows it: a persistent reply keyboard, two big buttons a row.
Which items a person sees is the core's rule (bot.interaction.menu)."""

from __future__ import annotations

from telegram import KeyboardButton, ReplyKeyboardMarkup

from bot.domain.models import Language, User
from bot.i18n import plain
from bot.interaction.menu import MENU, MenuItem, menu_labels, visible_items

__all__ = ["MENU", "MenuItem", "main_menu", "menu_labels", "visible_items"]

COLUMNS = 2


def main_menu(language: Language, user: User | None) -> ReplyKeyboardMarkup:
    """The reply keyboard with the user's menu, two big buttons a row."""
    labels = [plain(language, item.key) for item in visible_items(user)]
    rows = [
        [KeyboardButton(label) for label in labels[i : i + COLUMNS]]
        for i in range(0, len(labels), COLUMNS)
    ]
    return ReplyKeyboardMarkup(
        rows,
        resize_keyboard=True,
        is_persistent=True,
        input_field_placeholder=plain(language, "menu.placeholder"),
    )
