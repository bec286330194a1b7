"""The persistent main menu: big buttons for what a resident needs, in their language.

A feature that is not built does not appear. Each item names its label and help text in the
catalogs; later features add their items here, in the order residents should see them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from telegram import KeyboardButton, ReplyKeyboardMarkup

from bot.domain.models import Language, Role, User
from bot.i18n import all_labels, plain


@dataclass(frozen=True)
class MenuItem:
    """One button of the main menu."""

    key: str  # catalog key of the label, e.g. "menu.help"
    help_key: str  # catalog key of its line in /help
    visible: Callable[[User | None], bool] = lambda user: True


def _manages(user: User | None) -> bool:
    return user is not None and user.has_role(Role.GRID_WORKER)


def _leads_only(user: User | None) -> bool:
    return user is not None and user.role is Role.BUILDING_LEAD


def _staff(user: User | None) -> bool:
    return user is not None and user.has_role(Role.STAFF)


MENU: list[MenuItem] = [
    MenuItem("menu.report", "help.item_report"),
    MenuItem("menu.my_reports", "help.item_my_reports"),
    MenuItem("menu.home", "help.item_home"),
    MenuItem("menu.notices", "help.item_notices"),
    MenuItem("menu.votes", "help.item_votes"),
    MenuItem("menu.meetings", "help.item_meetings"),
    MenuItem("menu.inbox", "help.item_inbox", _manages),
    MenuItem("menu.building", "help.item_building", _leads_only),
    MenuItem("menu.pending", "help.item_pending", _manages),
    MenuItem("menu.coverage", "help.item_coverage", _manages),
    MenuItem("menu.broadcast", "help.item_broadcast", _manages),
    MenuItem("menu.stats", "help.item_stats", _staff),
    MenuItem("menu.help", "help.item_help"),
    MenuItem("menu.language", "help.item_language"),
]

COLUMNS = 2


def visible_items(user: User | None) -> list[MenuItem]:
    """The items this user sees."""
    return [item for item in MENU if item.visible(user)]


def menu_labels() -> list[str]:
    """Every menu button's label in every language (a flow lets these through)."""
    return sorted({label for item in MENU for label in all_labels(item.key)})


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
