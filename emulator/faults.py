"""Failures a test can ask the emulator to inject."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Fault:
    """One kind of failure for matching calls, `times` times (None = until cleared).

    kind:
      - "server": answer HTTP `code` (5xx) without doing anything
      - "retry_after": answer 429 with `retry_after` seconds without doing anything
      - "timeout": raise TimedOut; with `delivered`, after doing the call (the answer is lost)
      - "network": raise NetworkError before doing anything
      - "forbidden": answer 403 as if the user had blocked the bot
    """

    kind: str
    method: str | None = None
    chat_id: int | None = None
    times: int | None = 1
    code: int = 502
    retry_after: int = 1
    delivered: bool = False

    def matches(self, method: str, chat_id: int | None) -> bool:
        """Whether this fault applies to a call."""
        if self.method is not None and self.method != method:
            return False
        return self.chat_id is None or self.chat_id == chat_id

    def consume(self) -> None:
        """Count one use."""
        if self.times is not None:
            self.times -= 1

    @property
    def spent(self) -> bool:
        """Whether the fault has been used up."""
        return self.times is not None and self.times <= 0
