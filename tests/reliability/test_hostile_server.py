"""A hostile or broken server: every odd answer becomes a clear error naming the environment,
and nothing further is written to the account after it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from omni_sync.client import OmniClient, open_client
from omni_sync.client import omni as client_module
from omni_sync.client.retry import RetryPolicy
from omni_sync.errors import ApiError
from omni_sync.load.project import Project
from omni_sync.model.environment import Auth, Environment
from omni_sync.model.scenario import ScenarioSpec, Step
from tests.reliability.hostile_server import (
    Answer,
    enormous,
    json_response,
    scenario_json,
    serve,
)

KEY = "hostile-test-key-0123456789"
SPEC = ScenarioSpec(name="A", flow=(Step(channel="SMS", sender="Shop"),))


@pytest.fixture(autouse=True)
def _fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSTILE_KEY", KEY)
    monkeypatch.setattr(
        client_module, "RetryPolicy", lambda: RetryPolicy(tries=3, base_seconds=0.001)
    )


def environment(base_url: str) -> Environment:
    return Environment(
        name="prod",
        base_url=base_url,
        auth=Auth(type="app", key_env="HOSTILE_KEY"),
        timeout_seconds=5,
    )


def call(base_url: str, repo: Path, use: Callable[[OmniClient], Awaitable[Any]]) -> Any:
    project = Project(repo, repo / "omni-sync.yaml", {}, config_found=True)

    async def run() -> Any:
        async with open_client(project.root, environment(base_url)) as client:
            return await use(client)

    return asyncio.run(run())


def refused(answer: Answer, repo: Path, use: Callable[[OmniClient], Awaitable[Any]]) -> str:
    with serve(answer) as server, pytest.raises(ApiError) as caught:
        call(server.base_url, repo, use)
    message = str(caught.value)
    assert message.startswith('environment "prod"'), message
    assert "\n" not in message
    assert KEY not in message
    return message


def listing(client: OmniClient) -> Awaitable[Any]:
    return client.list_scenarios()


def text(body: bytes | str, status: int = 200, kind: str = "text/html") -> Answer:
    return lambda _request, _n: Response(body, status, media_type=kind)


LIST_ANSWERS: dict[str, tuple[Answer, str]] = {
    "html": (text("<html>login</html>"), "not JSON"),
    "truncated": (text('{"scenarios": [{"key": "a", "na', kind="application/json"), "not JSON"),
    "empty": (text(b"", kind="application/json"), "not JSON"),
    "a list": (lambda _r, _n: json_response([1, 2]), "without a scenarios list"),
    "scenarios is text": (lambda _r, _n: json_response({"scenarios": "x"}), "scenarios list"),
    "scenario of wrong types": (
        lambda _r, _n: json_response({"scenarios": [{"key": 1, "name": None, "flow": "SMS"}]}),
        "cannot read",
    ),
    "flow step of wrong types": (
        lambda _r, _n: json_response(
            {"scenarios": [{"key": "k", "name": "A", "flow": [{"channel": "FAX", "from": []}]}]}
        ),
        "cannot read",
    ),
    "error without JSON": (text("Bad Gateway", 502), "502"),
    "error with odd JSON": (lambda _r, _n: json_response({"requestError": 5}, 400), "400"),
    "redirect elsewhere": (
        lambda _r, _n: RedirectResponse("https://attacker.example/omni/1/scenarios", 302),
        "redirect",
    ),
    "redirect with a JSON body": (
        lambda _r, _n: json_response({"scenarios": []}, 301),
        "redirect",
    ),
    "enormous": (lambda _r, _n: enormous(80 * 1024 * 1024), "too large"),
    "endless identical pages": (
        lambda request, _n: json_response(
            {"scenarios": [scenario_json(f"k{i}", f"n{i}") for i in range(100)]}
        ),
        "the scenario k0 is listed on page 0 and again on page 1; the account's paging",
    ),
}


@pytest.mark.parametrize("case", sorted(LIST_ANSWERS))
def test_odd_list_answers_are_clear_errors(repo: Path, case: str) -> None:
    answer, expected = LIST_ANSWERS[case]
    assert expected in refused(answer, repo, listing)


def create(client: OmniClient) -> Awaitable[Any]:
    return client.create_scenario(SPEC)


def writes_answered(write: Answer, listed: list[dict[str, Any]] | None = None) -> Answer:
    """Writes get ``write``; lists answer ``listed`` (default: nothing there)."""

    def answer(request: Request, n: int) -> Response:
        if request.method == "GET":
            return json_response({"scenarios": listed or []})
        return write(request, n)

    return answer


WRITE_ANSWERS: dict[str, tuple[Answer, str]] = {
    "created, not JSON": (writes_answered(text("OK", 201)), "not JSON"),
    "created, wrong types": (
        writes_answered(lambda _r, _n: json_response({"key": 5, "flow": "x"}, 201)),
        "cannot read",
    ),
    "created, truncated": (
        writes_answered(text('{"key": "k1", "name": "A", "fl', 201, "application/json")),
        "not JSON",
    ),
    "redirected": (
        writes_answered(lambda _r, _n: RedirectResponse("http://127.0.0.2:9/x", 307)),
        "redirect",
    ),
    "enormous": (writes_answered(lambda _r, _n: enormous(80 * 1024 * 1024, 201)), "too large"),
}


@pytest.mark.parametrize("case", sorted(WRITE_ANSWERS))
def test_odd_create_answers_never_post_again(repo: Path, case: str) -> None:
    answer, expected = WRITE_ANSWERS[case]
    with serve(answer) as server, pytest.raises(ApiError) as caught:
        call(server.base_url, repo, create)
    assert expected in str(caught.value)
    assert KEY not in str(caught.value)
    assert server.writes == [("POST", "/omni/1/scenarios")]


def test_a_lost_create_whose_check_is_garbage_stops_without_posting_again(repo: Path) -> None:
    def answer(request: Request, n: int) -> Response:
        if n == 0:
            return json_response({"scenarios": []})
        if request.method == "POST":
            return text("upstream died", 502)(request, n)
        return text("<html>maintenance</html>")(request, n)

    with serve(answer) as server, pytest.raises(ApiError, match="not JSON"):
        call(server.base_url, repo, create)
    assert server.writes == [("POST", "/omni/1/scenarios")]


def test_update_redirected_is_not_reported_as_done(repo: Path) -> None:
    def update(client: OmniClient) -> Awaitable[Any]:
        return client.update_scenario("k1", SPEC.to_api(), name="A")

    answer = writes_answered(lambda _r, _n: json_response(scenario_json("k1"), 303))
    with serve(answer) as server, pytest.raises(ApiError, match="redirect"):
        call(server.base_url, repo, update)
    assert server.writes == [("PUT", "/omni/1/scenarios/k1")]


def test_a_read_answered_with_another_scenario_is_refused(repo: Path) -> None:
    def read(client: OmniClient) -> Awaitable[Any]:
        return client.get_scenario("k1", name="A")

    message = refused(lambda _r, _n: json_response(scenario_json("k2")), repo, read)
    assert "reading the scenario k1 was answered with the scenario k2" in message
