"""Slow work off the event loop: charts, spreadsheets and the menu's selection rule.

The bot answers every chat from one event loop; a PNG chart (~1 s the first time), a
spreadsheet of thousands of rows or the Method of Equal Shares on a large menu would stop it
answering everyone meanwhile. They run in a small pool of worker threads instead: the loop
keeps serving updates (Python switches threads every few milliseconds, and matplotlib, zlib
and openpyxl's XML writing spend much of their time in C).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

WORKERS = 2


class WorkerThreads:
    """The Offload port: `await offload(func, *args)` runs `func` in a worker thread."""

    def __init__(self, workers: int = WORKERS) -> None:
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="shangliang-work")

    async def __call__(self, func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """The result of `func(*args, **kwargs)`, computed off the event loop."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, functools.partial(func, *args, **kwargs))

    def close(self) -> None:
        """Let running work finish and stop the threads."""
        self._pool.shutdown(wait=True)
