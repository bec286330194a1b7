"""Routes deliveries to the adapter of the recipient's channel (Telegram, later WeChat).

The sender holds this router from the start; a channel adapter attaches when its application
is built. A delivery to a channel with no adapter attached is a transient failure: the row
waits in the outbox until the channel is back.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.delivery import Transient
from bot.domain.messages import Outgoing
from bot.domain.models import User
from bot.ports import Transport


class ChannelRouter:
    """A Transport that hands each delivery to its recipient's channel adapter."""

    def __init__(self) -> None:
        self._adapters: dict[str, Transport] = {}

    def attach(self, channel: str, adapter: Transport) -> None:
        """Send `channel`'s deliveries through `adapter` from now on."""
        self._adapters[channel] = adapter

    def detach(self, channel: str) -> None:
        """Stop sending to `channel` (its application stopped)."""
        self._adapters.pop(channel, None)

    async def deliver(
        self,
        user: User,
        messages: Sequence[Outgoing],
        *,
        replace: str | None = None,
        bulk: bool = False,
    ) -> str | None:
        """Deliver through the user's channel."""
        adapter = self._adapters.get(user.channel)
        if adapter is None:
            raise Transient(f"no {user.channel} adapter attached")
        return await adapter.deliver(user, messages, replace=replace, bulk=bulk)
