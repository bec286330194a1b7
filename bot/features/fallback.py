"""The core's last answer: what nothing else took — a command the bot does not have, /cancel
with nothing running, a sticker or a file no flow waits for, "words" with no words in them, a
button no longer valid. (Free words, voice notes and photos are answered by
bot/features/free_input.py first.)"""

from __future__ import annotations

from bot.dialogs.engine import STALE
from bot.features.start import nothing_to_cancel
from bot.interaction.inputs import Input, Kind
from bot.interaction.screen import Keyboard, Reply, reply, screen, text


def last_answer(given: Input) -> Reply:
    """A polite word and the main menu (for a press: "that button is old", buttons off)."""
    if given.kind is Kind.PRESS:
        return STALE
    if given.kind is Kind.COMMAND and given.text == "cancel":
        return nothing_to_cancel()
    key = "fallback.unknown_command" if given.kind is Kind.COMMAND else "fallback.use_menu"
    return reply(screen(text(key), keyboard=Keyboard.MAIN_MENU, replace=False))
