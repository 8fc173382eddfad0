"""The documented write limits, per account: POST 20 and PUT 40 per 10 minutes (sliding)."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any

CREATE = "create"
UPDATE = "update"


@dataclass(frozen=True)
class ThrottleSettings:
    enabled: bool = True
    window_seconds: float = 600.0
    create_limit: int = 20
    update_limit: int = 40

    def limit(self, kind: str) -> int:
        return self.create_limit if kind == CREATE else self.update_limit

    def changed(self, **fields: Any) -> ThrottleSettings:
        """A copy with some fields replaced; unknown names or bad values raise ValueError."""
        unknown = set(fields) - set(asdict(self))
        if unknown:
            raise ValueError(f"unknown throttle settings: {', '.join(sorted(unknown))}")
        new = replace(self, **fields)
        if new.window_seconds <= 0 or new.create_limit < 1 or new.update_limit < 1:
            raise ValueError("window_seconds must be > 0 and limits >= 1")
        return new


class Throttle:
    """Counts accepted writes per (account, kind) in a sliding window."""

    def __init__(
        self, settings: ThrottleSettings, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._lock = threading.Lock()
        self._settings = settings
        self._clock = clock
        self._seen: dict[tuple[str, str], deque[float]] = {}

    @property
    def settings(self) -> ThrottleSettings:
        return self._settings

    def configure(self, settings: ThrottleSettings) -> None:
        with self._lock:
            self._settings = settings
            self._seen.clear()

    def allow(self, account: str, kind: str) -> bool:
        """Whether one more write of this kind fits; counts it when it does."""
        with self._lock:
            settings = self._settings
            if not settings.enabled:
                return True
            now = self._clock()
            seen = self._seen.setdefault((account, kind), deque())
            while seen and seen[0] <= now - settings.window_seconds:
                seen.popleft()
            if len(seen) >= settings.limit(kind):
                return False
            seen.append(now)
            return True

    def reset(self) -> None:
        with self._lock:
            self._seen.clear()
