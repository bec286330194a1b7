"""PTB's ExtBot with one lean call: editing a pressed message without reading the answer.

Telegram answers editMessageText with the whole edited Message, and PTB turns it into a
`telegram.Message` (a hundred attributes, each set through TelegramObject.__setattr__). Our
handlers never read that answer; under a storm of button presses building it cost about a
tenth of the bot's CPU (benchmarks/updates.py). `edit_text` makes the same call through the
same path (defaults, rate limiter, request, errors) and returns nothing.
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.ext import ExtBot


class ShangliangBot(ExtBot[None]):
    """ExtBot plus `edit_text`."""

    async def edit_text(
        self,
        chat_id: int,
        message_id: int,
        text: str,
        reply_markup: InlineKeyboardMarkup | None = None,
    ) -> None:
        """editMessageText for a message of a chat; Telegram's answer is not parsed."""
        defaults = self.defaults
        data: dict[str, Any] = {
            "chat_id": chat_id,
            "message_id": message_id,
            "text": text,
            "parse_mode": defaults.parse_mode if defaults else None,
            "link_preview_options": defaults.link_preview_options if defaults else None,
            "reply_markup": reply_markup,
        }
        await self._post("editMessageText", data)
