"""Pieces the emulator cannot show: pacing arithmetic, Retry-After, other error shapes, headers."""

from __future__ import annotations

import asyncio
import json
import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest

from omni_sync import __version__
from omni_sync.client import open_client
from omni_sync.client.pacing import WriteWindow
from omni_sync.client.retry import RetryPolicy, retry_after
from omni_sync.errors import ApiError, ConfigError, TransportError
from omni_sync.load.project import load_project
from tests.client.mock_account import mock_client


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_window_allows_limit_then_waits_for_the_oldest_to_age_out() -> None:
    clock = Clock()
    window = WriteWindow(2, 10.0, clock)
    assert window.wait_seconds() == 0
    window._in_flight = 1
    assert window.wait_seconds() == 0
    window.release()
    clock.now = 101.0
    asyncio.run(window.acquire())
    window.release()
    clock.now = 102.0
    assert window.wait_seconds() == pytest.approx(8.0)
    clock.now = 110.0
    assert window.wait_seconds() == 0


def test_window_counts_writes_in_flight() -> None:
    window = WriteWindow(1, 10.0, Clock())
    window._in_flight = 1
    assert 0 < window.wait_seconds() < 1


def test_backoff_grows_exponentially_with_jitter_up_to_a_cap() -> None:
    policy = RetryPolicy(base_seconds=1.0, cap_seconds=8.0, rng=random.Random(1))
    for attempt, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (9, 8.0)]:
        delay = policy.backoff(attempt)
        assert ceiling / 2 <= delay <= ceiling


def test_retry_after_in_seconds_or_as_a_date() -> None:
    def answer(value: str | None) -> httpx.Response:
        headers = {"Retry-After": value} if value is not None else {}
        return httpx.Response(429, headers=headers)

    assert retry_after(answer("3")) == 3.0
    assert retry_after(answer(None)) is None
    assert retry_after(answer("soon")) is None
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    hinted = retry_after(answer(later))
    assert hinted is not None
    assert 25 < hinted <= 30
    policy = RetryPolicy(retry_after_cap_seconds=5.0)
    assert policy.delay(1, answer("120")) == 120.0  # the client refuses it: over the cap
    assert policy.delay(1, answer("2")) == 2.0


def test_retry_after_is_honoured_on_429() -> None:
    calls: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(asyncio.get_event_loop().time())
        if len(calls) == 1:
            return httpx.Response(
                429,
                headers={"Retry-After": "0.2"},
                json={"errorCode": "E429", "description": "Too many requests"},
            )
        return httpx.Response(200, json={"scenarios": []})

    assert asyncio.run(mock_client(handler).list_scenarios()) == []
    assert calls[1] - calls[0] >= 0.19


def test_newer_error_shape_is_read() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, json={"errorCode": "E429", "description": "Slow down"})

    with pytest.raises(ApiError) as caught:
        asyncio.run(mock_client(handler, tries=1).list_scenarios())
    assert caught.value.message_id == "E429"
    assert "429 E429 Slow down" in str(caught.value)


def test_body_that_is_not_the_api_is_a_transport_error() -> None:
    def html(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text="<html>login</html>")

    with pytest.raises(TransportError, match="not JSON"):
        asyncio.run(mock_client(html).list_scenarios())

    def other(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"items": []})

    with pytest.raises(TransportError, match="without a scenarios list"):
        asyncio.run(mock_client(other).list_scenarios())

    def bad(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"scenarios": [{"name": "x"}]})

    with pytest.raises(TransportError, match="cannot read"):
        asyncio.run(mock_client(bad).list_scenarios())


def test_error_without_a_json_body_uses_the_reason() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, text="nope")

    with pytest.raises(ApiError, match="403 Forbidden"):
        asyncio.run(mock_client(handler).get_scenario("K"))


def test_create_without_key_and_nothing_listed_is_an_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(201, json={"name": "A", "flow": []})
        return httpx.Response(200, json={"scenarios": []})

    from omni_sync.model.scenario import Channel, ScenarioSpec, Step

    spec = ScenarioSpec(name="A", flow=(Step(channel=Channel.SMS, sender="Shop"),))
    with pytest.raises(ApiError, match="without a key"):
        asyncio.run(mock_client(handler).create_scenario(spec))


def test_lost_creates_that_never_landed_give_up_after_the_bound() -> None:
    posts: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            posts.append(1)
            raise httpx.ReadTimeout("timed out", request=request)
        return httpx.Response(200, json={"scenarios": []})

    from omni_sync.model.scenario import Channel, ScenarioSpec, Step

    spec = ScenarioSpec(name="A", flow=(Step(channel=Channel.SMS, sender="Shop"),))
    with pytest.raises(TransportError, match="ReadTimeout"):
        asyncio.run(mock_client(handler).create_scenario(spec))
    assert len(posts) == 3


def _config(repo: Path, **env: object) -> None:
    (repo / "omni-sync.yaml").write_text(json.dumps({"environments": {"prod": env}}))


async def _headers(repo: Path) -> dict[str, str]:
    project = load_project(repo)
    async with open_client(project.root, project.environments["prod"]) as client:
        return dict(client.http.headers)


def test_headers_name_omni_sync_and_carry_the_credential(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KEY", "abc-secret-123")
    _config(repo, base_url="https://acct.api.infobip.com", auth={"type": "app", "key_env": "KEY"})
    headers = asyncio.run(_headers(repo))
    assert headers["user-agent"] == f"omni-sync/{__version__}"
    assert headers["authorization"] == "App abc-secret-123"


def test_plain_http_to_a_remote_host_is_refused(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loader refuses it too; the client checks again whatever built the Environment."""
    from omni_sync.load.project import Project
    from omni_sync.model.environment import Auth, Environment

    monkeypatch.setenv("KEY", "abc-secret-123")
    environment = Environment(
        name="prod", base_url="http://acct.example.com", auth=Auth(key_env="KEY")
    )
    project = Project(repo, repo / "omni-sync.yaml", {"prod": environment}, config_found=False)

    async def connect() -> None:
        async with open_client(project.root, environment):
            raise AssertionError("connected")

    with pytest.raises(ConfigError, match="clear text"):
        asyncio.run(connect())


def test_missing_credential_variable_is_a_config_error(repo: Path) -> None:
    _config(repo, base_url="https://acct.api.infobip.com", auth={"type": "app", "key_env": "NOPE"})
    with pytest.raises(ConfigError, match="NOPE is not set"):
        asyncio.run(_headers(repo))


def test_embedded_environment_persists_under_dot_omni_sync(repo: Path) -> None:
    from omni_sync.model.scenario import Channel, ScenarioSpec, Step

    spec = ScenarioSpec(name="A", flow=(Step(channel=Channel.SMS, sender="Shop"),), default=True)

    async def create() -> str:
        project = load_project(repo)
        async with open_client(project.root, project.environments["local"]) as client:
            return (await client.create_scenario(spec)).key

    async def listed() -> list[str]:
        project = load_project(repo)
        async with open_client(project.root, project.environments["local"]) as client:
            return [s.key for s in await client.list_scenarios()]

    key = asyncio.run(create())
    assert asyncio.run(listed()) == [key]
    assert (repo / ".omni-sync" / ".gitignore").read_text() == "*\n"
    assert (repo / ".omni-sync" / "local.db").exists()


def test_a_wait_that_would_pass_the_retry_budget_is_not_made() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, headers={"Retry-After": "2"}, json={})

    client = mock_client(handler)
    client.retry = RetryPolicy(tries=50, budget_seconds=1.0)
    with pytest.raises(ApiError) as caught:
        asyncio.run(client.list_scenarios())
    assert client.requests_sent == 1
    assert "tried once in 0.0 s; waiting 2 s more would pass the 1 s retry budget" in str(
        caught.value
    )


def test_waiting_for_the_write_limit_is_not_spent_from_the_retry_budget() -> None:
    """The second update waits for the write window longer than the whole retry budget; its
    one 503 is still retried, because only tries and their back-off count."""
    answers = iter([200, 503, 200])

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(next(answers), json={"key": "K", "name": "A", "flow": []})

    client = mock_client(handler)
    client.retry = RetryPolicy(tries=3, base_seconds=0.001, cap_seconds=0.001, budget_seconds=0.5)
    client.write_windows["updates"].limit = 1
    client.write_windows["updates"].window = 0.8
    body: dict[str, object] = {"name": "A", "flow": []}

    async def two_updates() -> None:
        await client.update_scenario("K", body, name="A")
        await client.update_scenario("K", body, name="A")

    asyncio.run(two_updates())
    assert client.requests_sent == 3


def test_a_key_the_service_gave_cannot_change_the_request_path() -> None:
    """Keys come from listings too: one holding '/', '..' or '?' stays inside its own path."""
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.raw_path.decode())
        return httpx.Response(404, json={"requestError": {"serviceException": {"text": "no"}}})

    async def run() -> None:
        client = mock_client(handler, tries=1)
        with pytest.raises(ApiError):
            await client.get_scenario("../../x?y=1#z")

    asyncio.run(run())
    assert seen == ["/omni/1/scenarios/..%2F..%2Fx%3Fy%3D1%23z"]
