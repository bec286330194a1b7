"""The Telegram adapter of the Notifier port: renders a pushed message in the user's language."""

from __future__ import annotations

import logging
from collections.abc import Callable

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import Forbidden, TelegramError

from bot.domain.messages import Outgoing
from bot.domain.models import Language, User
from bot.i18n import plain, t
from handlers.callback_data import pack

logger = logging.getLogger(__name__)

CHANNEL = "telegram"


def markup(language: Language, message: Outgoing) -> InlineKeyboardMarkup | None:
    """The message's buttons as an inline keyboard, labels in `language`."""
    if not message.actions:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    plain(language, action.label_key),
                    callback_data=pack(action.feature, action.action, *action.args),
                )
                for action in row
            ]
            for row in message.actions
        ]
    )


class TelegramNotifier:
    """Sends pushes with the Bot; a user who blocked the bot is logged by id only."""

    def __init__(self, bot: Bot, language_of: Callable[[User | None], Language]) -> None:
        self._bot = bot
        self._language_of = language_of

    async def push(self, user: User, message: Outgoing) -> bool:
        """Send `message` to the user's private chat."""
        if user.channel != CHANNEL:
            return False
        language = self._language_of(user)
        try:
            await self._bot.send_message(
                int(user.external_id),
                t(language, message.key, **message.params),
                reply_markup=markup(language, message),
            )
        except Forbidden:
            logger.info("user %s has blocked the bot; push %s not delivered", user.id, message.key)
            return False
        except TelegramError as error:
            logger.warning("push %s to user %s failed: %s", message.key, user.id, error)
            return False
        return True
