"""Pacing writes to the account's documented limits (POST 20, PUT 40 per 10 minutes), and the
waits that stop at once when a stop is asked for (Ctrl-C, SIGTERM).

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
# How often a long wait tells its listener how long is left.
_TELL_EVERY_SECONDS = 1.0

OnWait = Callable[[float], None]


class Interrupted(Exception):
    """A stop was asked for: the wait ended and nothing more was sent. ``after`` is the error
    of the attempt that was sent before the wait, if there was one."""

    def __init__(self, after: Exception | None = None) -> None:
        super().__init__("interrupted" + (f" after: {after}" if after else ""))
        self.after = after


async def pause(seconds: float, stop: asyncio.Event | None, after: Exception | None = None) -> None:
    """Sleep ``seconds``, or raise Interrupted as soon as ``stop`` is set."""
    if stop is None:
        await asyncio.sleep(seconds)
        return
    if stop.is_set():
        raise Interrupted(after)
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        return
    raise Interrupted(after)


class WriteWindow:
    def __init__(
        self, limit: int, window_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window_seconds
        self._clock = clock
        self._done: deque[float] = deque()
        self._in_flight = 0
        # Told the seconds left, about every second, while a write waits for the window to
        # have room (and 0 when it has); the apply shows it.
        self.on_wait: OnWait = lambda _seconds: None

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

    async def acquire(self, stop: asyncio.Event | None = None) -> None:
        waited = False
        while (wait := self.wait_seconds()) > 0:
            if wait > _POLL_SECONDS:
                waited = True
                self.on_wait(wait)
            await pause(min(wait, _TELL_EVERY_SECONDS), stop)
        if waited:
            self.on_wait(0.0)
        self._in_flight += 1

    def release(self) -> None:
        self._in_flight -= 1
        self._done.append(self._clock())

    @asynccontextmanager
    async def slot(self, stop: asyncio.Event | None = None) -> AsyncIterator[None]:
        await self.acquire(stop)
        try:
            yield
        finally:
            self.release()
