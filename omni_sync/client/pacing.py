"""Pacing writes to the account's documented limits (POST 20, PUT 40 per 10 minutes).

The service counts requests in a sliding window, so a token bucket (which lets a full bucket
burst on top of its refill) could still provoke a 429. This keeps the exact sliding-window
rule instead: at most ``limit`` writes started within any ``window`` seconds, each counted from
when its answer came back (no earlier than when the service saw it), in-flight ones included.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

_POLL_SECONDS = 0.05


class WriteWindow:
    def __init__(
        self, limit: int, window_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window_seconds
        self._clock = clock
        self._done: deque[float] = deque()
        self._in_flight = 0

    def _expire(self, now: float) -> None:
        while self._done and self._done[0] <= now - self.window:
            self._done.popleft()

    def wait_seconds(self) -> float:
        """How long until one more write may start (0 when it may start now)."""
        now = self._clock()
        self._expire(now)
        if self._in_flight + len(self._done) < self.limit:
            return 0.0
        if self._done:
            return max(self._done[0] + self.window - now, 0.001)
        return _POLL_SECONDS

    async def acquire(self) -> None:
        while (wait := self.wait_seconds()) > 0:
            await asyncio.sleep(min(wait, _POLL_SECONDS * 20))
        self._in_flight += 1

    def release(self) -> None:
        self._in_flight -= 1
        self._done.append(self._clock())

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        await self.acquire()
        try:
            yield
        finally:
            self.release()
