"""Telegram's flood limits, enforced like the Bot API does: 429 with retry_after.

A send is judged when it arrives (after the outbound half of the simulated round trip, see
`BotApiEmulator.travel_there`), so network jitter between two sends counts, as it does at
Telegram.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

COUNTED_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendVoice",
        "sendAudio",
        "sendVideo",
        "sendMediaGroup",
        "copyMessage",
        "forwardMessage",
    }
)


@dataclass(frozen=True)
class RateLimits:
    """How many sends Telegram accepts: overall, per private chat, per group."""

    overall_per_second: int = 30
    private_per_second: int = 1
    group_per_minute: int = 20


class _Window:
    """A sliding window of send times."""

    def __init__(self, size: int, seconds: float) -> None:
        self.size = size
        self.seconds = seconds
        self.times: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds until one more send fits (0 when it fits now)."""
        while self.times and now - self.times[0] >= self.seconds:
            self.times.popleft()
        if len(self.times) < self.size:
            return 0.0
        return self.times[0] + self.seconds - now

    def record(self, now: float) -> None:
        self.times.append(now)


class FloodControl:
    """Counts sends per chat and overall; says how long to wait when a limit is hit."""

    def __init__(self, limits: RateLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._overall = _Window(limits.overall_per_second, 1.0)
        self._chats: dict[int, _Window] = {}
        self.refused = 0
        self.accepted = 0
        self.arrivals: list[tuple[float, int]] = []  # (time, chat) of each accepted send

    def _chat_window(self, chat_id: int, is_group: bool) -> _Window:
        window = self._chats.get(chat_id)
        if window is None:
            if is_group:
                window = _Window(self.limits.group_per_minute, 60.0)
            else:
                window = _Window(self.limits.private_per_second, 1.0)
            self._chats[chat_id] = window
        return window

    def check(self, chat_id: int, is_group: bool) -> int:
        """0 if the send may go now (and count it), else the retry_after in whole seconds."""
        now = self._clock()
        chat = self._chat_window(chat_id, is_group)
        wait = max(self._overall.wait(now), chat.wait(now))
        if wait > 0:
            self.refused += 1
            return max(1, math.ceil(wait))
        self._overall.record(now)
        chat.record(now)
        self.accepted += 1
        self.arrivals.append((now, chat_id))
        return 0

    def chat_gaps(self) -> dict[int, list[float]]:
        """Seconds between consecutive accepted arrivals, per chat that had more than one."""
        last: dict[int, float] = {}
        gaps: dict[int, list[float]] = {}
        for at, chat_id in self.arrivals:
            if chat_id in last:
                gaps.setdefault(chat_id, []).append(at - last[chat_id])
            last[chat_id] = at
        return gaps
