"""PTB's ExtBot with lean edits that are made only when they change something.

Telegram answers editMessageText with the whole edited Message, and PTB turns it into a
`telegram.Message` (a hundred attributes, each set through TelegramObject.__setattr__). Our
handlers never read that answer; under a storm of button presses building it cost about a
tenth of the bot's CPU (benchmarks/updates.py). `edit_text` and `edit_markup` make the same
calls through the same path (defaults, rate limiter, request, errors) and return nothing.

Telegram refuses an edit that changes nothing ("message is not modified"), and a press carries
the message as it was when it was pressed: twenty quick presses of one button all carry the
same old message, though the first edit already changed it. So the bot remembers what it last
made each recently edited message show, and compares with that — the message as it is now —
falling back to the pressed message's copy for a message it has not edited since it started.
"""

from __future__ import annotations

import html
import re
from collections import OrderedDict
from typing import Any

from telegram import InlineKeyboardMarkup, Message
from telegram.ext import ExtBot

REMEMBERED = 20_000  # messages whose shown content is kept (least recently edited dropped)
_TAG = re.compile(r"<[^>]+>")

# What a message shows, as hashes (kept for thousands of messages): its plain text (None when
# unknown) and its buttons.
Shown = tuple[int | None, int]


def buttons_of(markup: InlineKeyboardMarkup | None) -> int:
    """What an inline keyboard shows and does, comparable between ours and Telegram's copy."""
    if markup is None:
        return hash(())
    rows = (
        tuple(
            (
                button.text,
                button.callback_data if isinstance(button.callback_data, str) else None,
                button.url,
            )
            for button in row
        )
        for row in markup.inline_keyboard
    )
    return hash(tuple(row for row in rows if row))


def plain_text(html_text: str) -> str:
    """The text an HTML message shows (Telegram trims the ends)."""
    return html.unescape(_TAG.sub("", html_text)).strip()


def shown_by(message: Message) -> Shown:
    """What a message (Telegram's copy, as sent or as pressed) shows."""
    text = message.text if message.text is not None else message.caption
    return (hash(text.strip()) if text is not None else None), buttons_of(message.reply_markup)


class ShangliangBot(ExtBot[dict[str, Any]]):  # rate_limit_args: see ratelimit.py
    """ExtBot plus `edit_text` and `edit_markup`, which skip edits that change nothing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: OrderedDict[tuple[int, int], Shown] = OrderedDict()

    def _current(self, chat_id: int, message_id: int, pressed: Message | None) -> Shown | None:
        known = self._shown.get((chat_id, message_id))
        if known is not None:
            return known
        return shown_by(pressed) if pressed is not None else None

    def _remember(self, chat_id: int, message_id: int, shown: Shown) -> None:
        key = (chat_id, message_id)
        self._shown[key] = shown
        self._shown.move_to_end(key)
        while len(self._shown) > REMEMBERED:
            self._shown.popitem(last=False)

    async def send_message(self, *args: Any, **kwargs: Any) -> Message:
        """sendMessage, remembering what the message shows (for later edits)."""
        sent = await super().send_message(*args, **kwargs)
        self._remember(sent.chat_id, sent.message_id, shown_by(sent))
        return sent

    async def edit_text(
        self,
        chat_id: int,
        message_id: int,
        text: str,
        reply_markup: InlineKeyboardMarkup | None = None,
        *,
        pressed: Message | None = None,
    ) -> bool:
        """editMessageText (HTML by the defaults) unless the message already shows exactly
        this; Telegram's answer is not parsed. `pressed`: the message as the press carried
        it. True when an edit was made."""
        wanted: Shown = (hash(plain_text(text)), buttons_of(reply_markup))
        if self._current(chat_id, message_id, pressed) == wanted:
            return False
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
        self._remember(chat_id, message_id, wanted)
        return True

    async def edit_markup(
        self,
        chat_id: int,
        message_id: int,
        reply_markup: InlineKeyboardMarkup | None = None,
        *,
        pressed: Message | None = None,
    ) -> bool:
        """editMessageReplyMarkup unless the message already has exactly these buttons (None:
        none). True when an edit was made."""
        current = self._current(chat_id, message_id, pressed)
        wanted = buttons_of(reply_markup)
        if current is not None and current[1] == wanted:
            return False
        data: dict[str, Any] = {
            "chat_id": chat_id,
            "message_id": message_id,
            "reply_markup": reply_markup,
        }
        await self._post("editMessageReplyMarkup", data)
        self._remember(chat_id, message_id, (current[0] if current else None, wanted))
        return True
