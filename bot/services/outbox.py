"""The Notifier port over the outbox: a push is a row written in the caller's transaction.

Quiet hours and mutes are applied when the row is written: a non-urgent push made at night is
due in the morning; a push in a category its recipient muted is kept, marked muted, and never
sent. The sender (`bot.delivery.sender.OutboxSender`) delivers what is due.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.domain.delivery import MUTABLE, Category, OutboxStatus, Priority, QuietHours, due_time
from bot.domain.messages import Outgoing
from bot.domain.models import User
from bot.ports import Clock, OutboxStore, UnitOfWork


def _mutable(category: Category | str) -> Category:
    """The category, if a person may mute it (urgent notices always come through)."""
    chosen = Category(category)
    if chosen not in MUTABLE:
        raise ValueError(f"{chosen} cannot be muted")
    return chosen


class OutboxNotifier:
    """Queues pushes; wakes the sender after each one."""

    def __init__(
        self, uow: UnitOfWork, outbox: OutboxStore, clock: Clock, quiet: QuietHours
    ) -> None:
        self._uow = uow
        self._outbox = outbox
        self._clock = clock
        self.quiet = quiet
        self._wake: Callable[[], None] = lambda: None

    def on_queued(self, wake: Callable[[], None]) -> None:
        """Call `wake` whenever a push is queued (the sender attaches here)."""
        self._wake = wake

    async def push(
        self,
        user: User,
        message: Outgoing,
        *,
        category: Category = Category.ACCOUNT,
        urgent: bool = False,
        priority: Priority = Priority.PERSONAL,
        slot: str | None = None,
        broadcast_id: int | None = None,
    ) -> int:
        """Queue `message` for `user` (in the caller's transaction if one is open)."""
        now = self._clock.now()
        async with self._uow.transaction():
            if slot is not None and await self._outbox.replace_pending_slot(
                user.id, slot, message
            ):
                return 0
            status = OutboxStatus.PENDING
            if (
                category in MUTABLE
                and not urgent
                and category in await self._outbox.muted(user.id)
            ):
                status = OutboxStatus.MUTED
            # An answer to the person's own action is never held back by quiet hours.
            due = due_time(now, urgent=urgent or priority is Priority.REPLY, quiet=self.quiet)
            row_id = await self._outbox.add(
                user.id,
                message,
                category=category,
                urgent=urgent,
                priority=priority,
                due_at=due,
                now=now,
                broadcast_id=broadcast_id,
                slot=slot,
                status=status,
            )
        self._wake()
        return row_id

    async def push_many(
        self,
        user_ids: Sequence[int],
        message: Outgoing,
        *,
        category: Category,
        urgent: bool = False,
        priority: Priority = Priority.BULK,
        broadcast_id: int | None = None,
    ) -> None:
        """Queue one message for many people (a broadcast) in the caller's transaction."""
        if not user_ids:
            return
        now = self._clock.now()
        async with self._uow.transaction():
            muted: set[int] = set()
            if category in MUTABLE and not urgent:
                muted = await self._outbox.muted_among(user_ids, category)
            await self._outbox.add_many(
                user_ids,
                message,
                category=category,
                urgent=urgent,
                priority=priority,
                due_at=due_time(now, urgent=urgent, quiet=self.quiet),
                now=now,
                broadcast_id=broadcast_id,
                muted=muted,
            )
        self._wake()

    def wake(self) -> None:
        """Tell the sender there may be something to send (after a bulk insert, say)."""
        self._wake()

    async def muted(self, user: User) -> set[Category]:
        """The categories `user` has muted."""
        return await self._outbox.muted(user.id)

    async def toggle_muted(self, user: User, category: Category | str) -> set[Category]:
        """Mute the category if it was on, unmute it if it was muted; the new set."""
        chosen = _mutable(category)
        await self._outbox.toggle_muted(user.id, chosen)
        return await self._outbox.muted(user.id)

    async def set_muted(self, user: User, category: Category | str, muted: bool) -> set[Category]:
        """Mute or unmute a category (urgent notices always come through); the new set."""
        chosen = _mutable(category)
        async with self._uow.transaction():
            await self._outbox.set_muted(user.id, chosen, muted)
            return await self._outbox.muted(user.id)
