"""Routes pushed messages to the adapter of the recipient's channel (Telegram, later WeChat).

Services hold this router from the start; a channel adapter attaches when its application is
built. A push to a channel with no adapter (the CLI, say) is logged and reported as not sent.
"""

from __future__ import annotations

import logging

from bot.domain.messages import Outgoing
from bot.domain.models import User
from bot.ports import Notifier

logger = logging.getLogger(__name__)


class ChannelRouter:
    """A Notifier that hands each message to its recipient's channel adapter."""

    def __init__(self) -> None:
        self._adapters: dict[str, Notifier] = {}

    def attach(self, channel: str, adapter: Notifier) -> None:
        """Send `channel`'s pushes through `adapter` from now on."""
        self._adapters[channel] = adapter

    def detach(self, channel: str) -> None:
        """Stop sending to `channel` (its application stopped)."""
        self._adapters.pop(channel, None)

    async def push(self, user: User, message: Outgoing) -> bool:
        """Deliver through the user's channel; False if that channel is not attached."""
        adapter = self._adapters.get(user.channel)
        if adapter is None:
            logger.warning(
                "no %s adapter attached; push %s to user %s dropped",
                user.channel,
                message.key,
                user.id,
            )
            return False
        return await adapter.push(user, message)
