"""The emulator's ASGI app: the same app is served by uvicorn and run embedded in-process."""

from __future__ import annotations

import logging
import time

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from omni_sync import secrets
from omni_sync.emulator import admin_routes, scenario_routes, sending_routes
from omni_sync.emulator.errors import (
    BAD_REQUEST,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    ApiProblem,
)
from omni_sync.emulator.faults import DropStyle, FaultMiddleware
from omni_sync.emulator.state import EmulatorState

log = logging.getLogger("omni_sync.emulator")


async def _problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiProblem)
    return exc.response()


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message_id = {404: NOT_FOUND, 405: METHOD_NOT_ALLOWED}.get(exc.status_code, BAD_REQUEST)
    response = ApiProblem(exc.status_code, message_id).response()
    response.headers.update(exc.headers or {})
    if exc.status_code == 405:
        response.headers["Allow"] = _allowed(request)
    return response


def _allowed(request: Request) -> str:
    """Every method some route of this path answers: a path's methods are spread over several
    routes (one per operation), and Starlette's own 405 names only the first one's."""
    methods = {
        method
        for route in request.app.routes
        if isinstance(route, Route) and route.matches(request.scope)[0] is not Match.NONE
        for method in route.methods or ()
    }
    return ", ".join(sorted(methods))


class RequestLog:
    """One log line per request; the credential is reduced to its scheme."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            if log.isEnabledFor(logging.INFO):
                log.info(_line(scope, status, time.perf_counter() - started))


def _line(scope: Scope, status: int, seconds: float) -> str:
    headers = dict(scope.get("headers") or [])
    authorization = headers.get(b"authorization", b"").decode("latin-1")
    auth = secrets.redact_header(authorization) if authorization else "none"
    query = scope.get("query_string", b"").decode("latin-1")
    target = scope["path"] + (f"?{query}" if query else "")
    shown = str(status) if status else "dropped"
    return f'"{scope["method"]} {target}" {shown} {seconds * 1000:.1f}ms auth={auth}'


def create_app(state: EmulatorState, *, drop_style: DropStyle = "close") -> Starlette:
    """The app over ``state``; ``drop_style`` says how a dropped connection shows: closing
    the socket mid-answer (served) or raising ``ConnectionDropped`` (embedded)."""
    app = Starlette(
        routes=[*scenario_routes.ROUTES, *sending_routes.ROUTES, *admin_routes.ROUTES],
        middleware=[
            Middleware(RequestLog),
            Middleware(FaultMiddleware, faults=state.faults, drop_style=drop_style),
        ],
        exception_handlers={ApiProblem: _problem, HTTPException: _http_error},
    )
    app.state.emulator = state
    return app
