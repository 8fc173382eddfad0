"""A progress line with an ETA on stderr, for applies that will take more than a few seconds
(creates are limited to 20 per 10 minutes, so a large apply can take a long time).

Plain terminal output: the line is redrawn in place with a carriage return and erased when the
apply ends; a log line written meanwhile goes through ``above`` so it is printed above the bar."""

from __future__ import annotations

import math
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TextIO

from omni_sync.apply.report import Outcome, Waiting
from omni_sync.model.environment import WriteLimits
from omni_sync.plan.changes import Plan

SHOW_AFTER_SECONDS = 3.0
LOG_WAIT_EVERY_SECONDS = 30.0
_SECONDS_PER_REQUEST = 0.3
_BAR_WIDTH = 40
_ERASE_LINE = "\r\x1b[2K"
_GREEN, _RESET = "\x1b[32m", "\x1b[0m"


def estimate_seconds(plans: Sequence[tuple[Plan, WriteLimits]], parallelism: int) -> float:
    """The slowest environment's expected time: its rate-limit windows plus request time."""
    worst = 0.0
    for plan, limits in plans:
        adds, updates = plan.counts()
        waits = sum(
            max(math.ceil(count / limit) - 1, 0) * limits.window_seconds
            for count, limit in ((adds, limits.creates), (updates, limits.updates))
        )
        worst = max(worst, waits + len(plan.changes) / parallelism * _SECONDS_PER_REQUEST)
    return worst


def clock(seconds: float) -> str:
    """``H:MM:SS``, as a countdown reads."""
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


class ApplyProgress:
    """Counts finished changes; draws nothing unless enabled."""

    def __init__(
        self, total: int, *, enabled: bool, color: bool, stream: TextIO | None = None
    ) -> None:
        self.enabled = enabled
        self.completed = 0
        self._total = total
        self._color = color
        self._stream = stream if stream is not None else sys.stderr
        self._started = time.monotonic()
        self._waiting: str | None = None

    def __enter__(self) -> ApplyProgress:
        self._started = time.monotonic()
        self._draw()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._write(_ERASE_LINE)

    def advance(self, _outcome: Outcome) -> None:
        self.completed += 1
        self._draw()

    def waiting(self, message: str | None) -> None:
        """Show a wait for the write limit in the line (None: no longer waiting)."""
        if message != self._waiting:
            self._waiting = message
            self._draw()

    def above(self, log: Callable[[str], None]) -> Callable[[str], None]:
        """``log``, printing its line above the bar instead of through it."""

        def log_above(text: str) -> None:
            self._write(_ERASE_LINE)
            log(text)
            self._draw()

        return log_above

    def line(self, width: int) -> str:
        """``Applying [####----] 3/40 ETA 0:01:23``, at most ``width`` characters."""
        done = min(self.completed, self._total)
        count = f"{done}/{self._total}"
        tail = f"] {count} " + (self._waiting or f"ETA {self._eta()}")
        bar_width = max(min(_BAR_WIDTH, width - len("Applying [") - len(tail)), 0)
        filled = bar_width * done // self._total if self._total else bar_width
        bar = "#" * filled
        if self._color and bar:
            bar = f"{_GREEN}{bar}{_RESET}"
        tail = tail[: max(width - len("Applying [") - bar_width, 0)]
        return f"Applying [{bar}{'-' * (bar_width - filled)}{tail}"

    def _eta(self) -> str:
        if not self.completed:
            return "-:--:--"
        elapsed = time.monotonic() - self._started
        left = max(self._total - self.completed, 0)
        return clock(elapsed / self.completed * left)

    def _draw(self) -> None:
        width = shutil.get_terminal_size().columns - 1  # the last column would wrap the line
        self._write(_ERASE_LINE + self.line(width))

    def _write(self, text: str) -> None:
        if self.enabled:
            self._stream.write(text)
            self._stream.flush()


class WaitThrottle:
    """Whether a wait for the write limit is worth saying: when one begins, then at least
    every ``every`` seconds while it lasts (at most that often per environment and kind)."""

    def __init__(
        self, every: float = LOG_WAIT_EVERY_SECONDS, now: Callable[[], float] = time.monotonic
    ) -> None:
        self._every = every
        self._now = now
        self._last: dict[tuple[str, str], float] = {}

    def due(self, waiting: Waiting) -> bool:
        if waiting.seconds <= 0:
            return False
        key = (waiting.environment, waiting.kind)
        now = self._now()
        last = self._last.get(key)
        if last is not None and now - last < self._every:
            return False
        self._last[key] = now
        return True


class WaitLog:
    """Waits for the write limit without a terminal: a line each time ``WaitThrottle`` finds
    one due."""

    def __init__(
        self,
        write: Callable[[str], None],
        every: float = LOG_WAIT_EVERY_SECONDS,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._write = write
        self._throttle = WaitThrottle(every, now)

    def __call__(self, waiting: Waiting) -> None:
        if self._throttle.due(waiting):
            self._write(waiting.message())
