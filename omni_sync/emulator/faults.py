"""Faults on demand: latency, 500/503 answers, 429 bursts, and a connection dropped after a
create or update was committed. Off by default; a seed makes a run repeatable."""

from __future__ import annotations

import logging
import random
import threading
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from omni_sync.emulator.errors import (
    GENERAL_ERROR,
    SERVICE_UNAVAILABLE,
    TOO_MANY_REQUESTS,
    ApiProblem,
    ConnectionDropped,
)

ADMIN_PREFIX = "/_emulator"
SCENARIOS_PATH = "/omni/1/scenarios"
DropStyle = Literal["close", "raise"]
log = logging.getLogger("omni_sync.emulator")


@dataclass(frozen=True)
class FaultSettings:
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    share_500: float = 0.0
    share_503: float = 0.0
    burst_429: int = 0
    drop_share: float = 0.0
    drop_next: int = 0
    omit_create_key: bool = False
    seed: int | None = None

    def changed(self, **fields: Any) -> FaultSettings:
        """A copy with some fields replaced; unknown names or bad values raise ValueError."""
        unknown = set(fields) - set(asdict(self))
        if unknown:
            raise ValueError(f"unknown fault settings: {', '.join(sorted(unknown))}")
        new = replace(self, **fields)
        shares = (new.share_500, new.share_503, new.drop_share)
        if any(not 0 <= share <= 1 for share in shares) or new.share_500 + new.share_503 > 1:
            raise ValueError("shares are between 0 and 1, and share_500 + share_503 <= 1")
        if min(new.latency_ms, new.jitter_ms, new.burst_429, new.drop_next) < 0:
            raise ValueError("latency, jitter and counts must not be negative")
        return new


class Faults:
    """The live fault state: settings plus what is left of the counted bursts."""

    def __init__(self, settings: FaultSettings | None = None) -> None:
        self._lock = threading.Lock()
        self.configure(settings or FaultSettings())

    def configure(self, settings: FaultSettings) -> None:
        with self._lock:
            self.settings = settings
            self._rng = random.Random(settings.seed)
            self._burst_left = settings.burst_429
            self._drops_left = settings.drop_next

    def delay_seconds(self) -> float:
        with self._lock:
            jitter = self._rng.uniform(0, self.settings.jitter_ms) if self.settings.jitter_ms else 0
            return (self.settings.latency_ms + jitter) / 1000

    def early_answer(self) -> ApiProblem | None:
        """An error to answer instead of handling the request, if one is due."""
        with self._lock:
            if self._burst_left > 0:
                self._burst_left -= 1
                return ApiProblem(429, TOO_MANY_REQUESTS)
            roll = self._rng.random()
            if roll < self.settings.share_500:
                return ApiProblem(500, GENERAL_ERROR)
            if roll < self.settings.share_500 + self.settings.share_503:
                return ApiProblem(503, SERVICE_UNAVAILABLE)
            return None

    def drop_due(self) -> bool:
        """Whether a committed write should lose its answer."""
        with self._lock:
            if self._drops_left > 0:
                self._drops_left -= 1
                return True
            return self.settings.drop_share > 0 and self._rng.random() < self.settings.drop_share


def _is_scenario_write(scope: Scope) -> bool:
    path: str = scope["path"]
    method: str = scope["method"]
    return (method == "POST" and path.rstrip("/") == SCENARIOS_PATH) or (
        method == "PUT" and path.startswith(SCENARIOS_PATH + "/")
    )


class FaultMiddleware:
    """Applies the faults around every API request (never around the admin endpoints)."""

    def __init__(self, app: ASGIApp, faults: Faults, drop_style: DropStyle) -> None:
        self.app = app
        self.faults = faults
        self.drop_style = drop_style

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(ADMIN_PREFIX):
            await self.app(scope, receive, send)
            return
        delay = self.faults.delay_seconds()
        if delay > 0:
            await anyio.sleep(delay)
        problem = self.faults.early_answer()
        if problem is not None:
            await problem.response()(scope, receive, send)
            return
        if not _is_scenario_write(scope):
            await self.app(scope, receive, send)
            return
        await self._write(scope, receive, send)

    async def _write(self, scope: Scope, receive: Receive, send: Send) -> None:
        messages: list[Message] = []

        async def hold(message: Message) -> None:
            messages.append(message)

        await self.app(scope, receive, hold)
        start = messages[0]
        if 200 <= start["status"] < 300 and self.faults.drop_due():
            if self.drop_style == "raise":
                raise ConnectionDropped("the connection dropped after the write was committed")
            log.warning("injected fault: connection dropped after the write was committed")
            body = b"".join(m.get("body", b"") for m in messages[1:])
            await send(start)
            await send(
                {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
            )
            return
        for message in messages:
            await send(message)
