"""A tiny HTTP server on loopback that answers what the emulator never would: bodies that are
not JSON, cut short, of the wrong types, enormous, endless pages, or redirects elsewhere. It
records every request so a test can see that nothing further was attempted."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from omni_sync.emulator.server import BackgroundServer

Answer = Callable[[Request, int], Response]


@dataclass
class HostileServer:
    """``answer(request, n)`` makes the n-th response (0-based); requests are recorded."""

    answer: Answer
    requests: list[tuple[str, str]] = field(default_factory=list)
    base_url: str = ""

    async def _handle(self, request: Request) -> Response:
        self.requests.append((request.method, request.url.path))
        return self.answer(request, len(self.requests) - 1)

    @property
    def writes(self) -> list[tuple[str, str]]:
        return [(method, path) for method, path in self.requests if method in {"POST", "PUT"}]

    def app(self) -> Starlette:
        route = Route("/{path:path}", self._handle, methods=["GET", "POST", "PUT", "DELETE"])
        return Starlette(routes=[route])


@contextmanager
def serve(answer: Answer) -> Iterator[HostileServer]:
    hostile = HostileServer(answer)
    server = BackgroundServer(hostile.app()).start()
    hostile.base_url = server.base_url
    try:
        yield hostile
    finally:
        server.stop()


def json_response(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status, media_type="application/json")


def scenario_json(key: str, name: str = "A") -> dict[str, Any]:
    return {"key": key, "name": name, "flow": [{"from": "Shop", "channel": "SMS"}]}


def held(released: threading.Event, body: bytes = b'{"scenarios": []}') -> Response:
    """An answer whose body comes only once ``released`` is set: a request that hangs."""

    async def chunks() -> AsyncIterator[bytes]:
        while not released.is_set():
            await asyncio.sleep(0.05)
        yield body

    return StreamingResponse(chunks(), 200, media_type="application/json")


def enormous(size: int, status: int = 200) -> Response:
    """A JSON-looking body of ``size`` bytes, streamed so the server never holds it."""
    chunk = b" " * 65536

    async def body() -> Any:
        yield b'{"scenarios": ['
        for _ in range(size // len(chunk)):
            yield chunk
        yield b"]}"

    return StreamingResponse(body(), status, media_type="application/json")
