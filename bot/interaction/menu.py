"""The persistent main menu: big buttons for what a person needs, in their language.

A feature that is not built does not appear. Each item names its label and help text in the
catalogs; later features add their items here, in the order residents should see them. Which
items a person sees is the core's rule; each channel shows them its own way (Telegram: a
reply keyboard; WeChat: the custom menu and numbered lines).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from bot.domain.models import Role, User
from bot.i18n import all_labels


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
    MenuItem("menu.threads", "help.item_threads", _manages),
    MenuItem("menu.building", "help.item_building", _leads_only),
    MenuItem("menu.pending", "help.item_pending", _manages),
    MenuItem("menu.coverage", "help.item_coverage", _manages),
    MenuItem("menu.broadcast", "help.item_broadcast", _manages),
    MenuItem("menu.stats", "help.item_stats", _staff),
    MenuItem("menu.contact", "help.item_contact"),
    MenuItem("menu.help", "help.item_help"),
    MenuItem("menu.language", "help.item_language"),
]


def visible_items(user: User | None) -> list[MenuItem]:
    """The items this user sees."""
    return [item for item in MENU if item.visible(user)]


# Labels the menu had before its words were made one term each (issue 20): a keyboard already
# on a phone still sends them, so they still open their item.
FORMER_LABELS = {"📝 报事报修": "menu.report", "🗳 投票表决": "menu.votes"}


def labels_of(key: str) -> list[str]:
    """A menu item's label in every language, and what it said before."""
    return [*all_labels(key), *(old for old, now in FORMER_LABELS.items() if now == key)]


@cache
def menu_words() -> frozenset[str]:
    """Every menu button's label in every language (a flow lets these through)."""
    return frozenset(label for item in MENU for label in labels_of(item.key))


def menu_labels() -> list[str]:
    """The same, sorted."""
    return sorted(menu_words())
