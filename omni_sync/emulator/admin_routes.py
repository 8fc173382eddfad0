"""``/_emulator/...``: the small admin API tests and operators use to steer a served emulator.

Disabled (404) unless the emulator was started with an admin token; every call must carry it
in the ``X-Emulator-Admin`` header. Not part of Infobip's API.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from omni_sync.emulator.accounts import Scheme, credential_from_option
from omni_sync.emulator.errors import NOT_FOUND, UNAUTHORIZED, ApiProblem, bad_request
from omni_sync.emulator.faults import ADMIN_PREFIX
from omni_sync.emulator.scenario_routes import json_body
from omni_sync.emulator.state import EmulatorState, state_of

ADMIN_HEADER = "x-emulator-admin"


def _admin(request: Request) -> EmulatorState:
    state = state_of(request)
    if not state.admin_token:
        raise ApiProblem(404, NOT_FOUND)
    if not state.admin_allowed(request.headers.get(ADMIN_HEADER)):
        raise ApiProblem(401, UNAUTHORIZED, "Missing or wrong X-Emulator-Admin token")
    return state


async def _object_body(request: Request) -> dict[str, Any]:
    body = await json_body(request)
    if not isinstance(body, dict):
        raise bad_request("body", "must be a JSON object")
    return body


async def _settings(request: Request, knob: Any) -> JSONResponse:
    """GET shows a knob's settings (faults or throttle); PUT changes the fields it names."""
    if request.method == "PUT":
        try:
            knob.configure(knob.settings.changed(**await _object_body(request)))
        except (TypeError, ValueError) as exc:
            raise bad_request("body", str(exc)) from None
    return JSONResponse(asdict(knob.settings))


async def faults(request: Request) -> JSONResponse:
    return await _settings(request, _admin(request).faults)


async def throttle(request: Request) -> JSONResponse:
    return await _settings(request, _admin(request).throttle)


async def add_account(request: Request) -> JSONResponse:
    state = _admin(request)
    body = await _object_body(request)
    try:
        scheme = Scheme(str(body.get("type", "app")).lower())
        credential = credential_from_option(scheme, str(body.get("credential") or ""))
    except ValueError as exc:
        raise bad_request("credential", str(exc)) from None
    account = state.accounts.add(credential, body.get("account") or None)
    return JSONResponse({"account": account}, status_code=201)


async def reachability(request: Request) -> JSONResponse:
    """PUT ``{"41793026727": ["EMAIL"]}``: that address is reachable on EMAIL only."""
    state = _admin(request)
    if request.method == "PUT":
        body = await _object_body(request)
        try:
            for address, channels in body.items():
                if not isinstance(channels, list):
                    raise ValueError(f"{address}: give a list of channels")
                state.reachability.set(address, channels)
        except ValueError as exc:
            raise bad_request("body", str(exc)) from None
    return JSONResponse(state.reachability.snapshot())


async def reset(request: Request) -> JSONResponse:
    state = _admin(request)
    state.faults.configure(type(state.faults.settings)())
    state.throttle.reset()
    state.reachability.clear()
    return JSONResponse({"reset": True})


ROUTES = [
    Route(f"{ADMIN_PREFIX}/faults", faults, methods=["GET", "PUT"]),
    Route(f"{ADMIN_PREFIX}/throttle", throttle, methods=["GET", "PUT"]),
    Route(f"{ADMIN_PREFIX}/accounts", add_account, methods=["POST"]),
    Route(f"{ADMIN_PREFIX}/reachability", reachability, methods=["GET", "PUT"]),
    Route(f"{ADMIN_PREFIX}/reset", reset, methods=["POST"]),
]
