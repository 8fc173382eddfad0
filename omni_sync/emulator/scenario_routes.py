"""``/omni/1/scenarios``: list, create, get and update, as the spec and omni-api.md describe."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from omni_sync.emulator.errors import BAD_REQUEST, NOT_FOUND, TOO_MANY_REQUESTS, ApiProblem
from omni_sync.emulator.scenario_store import DemoteDefault
from omni_sync.emulator.state import EmulatorState, state_of
from omni_sync.emulator.throttle import CREATE, UPDATE
from omni_sync.emulator.validation import INT32_MAX, bool_param, int_param, scenario_input
from omni_sync.model.scenario import RemoteScenario

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def scenario_json(scenario: RemoteScenario) -> dict[str, Any]:
    return {
        "key": scenario.key,
        "name": scenario.name,
        "flow": [step.to_api() for step in scenario.flow],
        "default": scenario.default,
    }


async def json_body(request: Request) -> object:
    raw = await request.body()
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ApiProblem(
            400, BAD_REQUEST, validation_errors={"body": ["must be valid JSON"]}
        ) from None


def _throttled(state: EmulatorState, account: str, kind: str) -> None:
    if not state.throttle.allow(account, kind):
        raise ApiProblem(429, TOO_MANY_REQUESTS)


async def list_scenarios(request: Request) -> Response:
    state = state_of(request)
    account = state.account_for(request)
    params = dict(request.query_params)
    limit = int_param(params, "limit", DEFAULT_LIMIT, MAX_LIMIT)
    page = int_param(params, "page", 0, INT32_MAX)
    is_default = bool_param(params, "isDefault")
    found = state.scenarios.page_json(
        account, is_default=is_default, offset=page * limit, limit=limit
    )
    return Response('{"scenarios":' + found + "}", media_type="application/json")


async def create_scenario(request: Request) -> JSONResponse:
    state = state_of(request)
    account = state.account_for(request)
    _throttled(state, account, CREATE)
    data = scenario_input(await json_body(request))
    created = scenario_json(state.scenarios.create(account, data))
    if state.faults.settings.omit_create_key:
        del created["key"]
    return JSONResponse(created, status_code=201)


async def get_scenario(request: Request) -> JSONResponse:
    state = state_of(request)
    account = state.account_for(request)
    found = state.scenarios.get(account, request.path_params["key"])
    if found is None:
        raise ApiProblem(404, NOT_FOUND, "Scenario not found")
    return JSONResponse(scenario_json(found))


async def update_scenario(request: Request) -> JSONResponse:
    state = state_of(request)
    account = state.account_for(request)
    _throttled(state, account, UPDATE)
    data = scenario_input(await json_body(request))
    key = request.path_params["key"]
    try:
        updated = state.scenarios.update(account, key, data)
    except DemoteDefault:
        raise ApiProblem(
            400,
            BAD_REQUEST,
            validation_errors={
                "default": ["the default scenario cannot be demoted; promote another one instead"]
            },
        ) from None
    if updated is None:
        raise ApiProblem(404, NOT_FOUND, "Scenario not found")
    return JSONResponse(scenario_json(updated))


ROUTES = [
    Route("/omni/1/scenarios", list_scenarios, methods=["GET"]),
    Route("/omni/1/scenarios", create_scenario, methods=["POST"]),
    Route("/omni/1/scenarios/{key}", get_scenario, methods=["GET"]),
    Route("/omni/1/scenarios/{key}", update_scenario, methods=["PUT"]),
]
