"""When and how long to wait before trying a request again: exponential back-off with full
jitter, ``Retry-After`` honoured when the service sends it (up to a cap: a longer wait fails
the request at once), a bounded number of tries and a bounded total time per request."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# The longest Retry-After omni-sync waits; a service asking for more fails the request at once.
RETRY_AFTER_CAP_SECONDS = 120.0
# The most time one request may take from its first try to the start of its last.
BUDGET_SECONDS = 300.0


@dataclass(frozen=True)
class RetryPolicy:
    tries: int = 6
    base_seconds: float = 0.5
    cap_seconds: float = 30.0
    retry_after_cap_seconds: float = RETRY_AFTER_CAP_SECONDS
    budget_seconds: float = BUDGET_SECONDS
    rng: random.Random = field(default_factory=random.Random, compare=False)

    def backoff(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        ceiling = min(self.cap_seconds, self.base_seconds * 2 ** (attempt - 1))
        return self.rng.uniform(ceiling / 2, ceiling)

    def delay(self, attempt: int, response: httpx.Response | None) -> float:
        """The service's ``Retry-After`` when it sent one (the caller compares it with
        ``retry_after_cap_seconds``), else the back-off."""
        hinted = retry_after(response) if response is not None else None
        return self.backoff(attempt) if hinted is None else hinted


def retry_after(response: httpx.Response) -> float | None:
    """The ``Retry-After`` header in seconds (a number or an HTTP date), if any."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)
