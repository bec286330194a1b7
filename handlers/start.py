"""What is left of the legacy start module: `require_message`, which the feature handlers not
yet on the core still import (/start, /help and /cancel are in bot/features/start.py now).
Delete this module with the last of them."""

from __future__ import annotations

from telegram import Message, Update


def require_message(update: Update) -> Message:
    """The message of an update that handlers registered for messages receive."""
    if update.effective_message is None:
        raise ValueError("handler registered for messages got an update without one")
    return update.effective_message
