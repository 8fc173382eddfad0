"""A progress bar with an ETA on stderr, for applies that will take more than a few seconds
(creates are limited to 20 per 10 minutes, so a large apply can take a long time)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from omni_sync.apply.report import Outcome
from omni_sync.model.environment import WriteLimits
from omni_sync.plan.changes import Plan

SHOW_AFTER_SECONDS = 3.0
_SECONDS_PER_REQUEST = 0.3


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


class ApplyProgress:
    """Counts finished changes; draws nothing unless enabled."""

    def __init__(self, total: int, *, enabled: bool, color: bool) -> None:
        self.enabled = enabled
        self._progress = Progress(
            TextColumn("Applying"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(stderr=True, no_color=not color),
            transient=True,
        )
        self._task = self._progress.add_task("apply", total=total)

    def __enter__(self) -> ApplyProgress:
        if self.enabled:
            self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.enabled:
            self._progress.stop()

    def advance(self, _outcome: Outcome) -> None:
        self._progress.advance(self._task)

    @property
    def completed(self) -> int:
        return int(self._progress.tasks[0].completed)
