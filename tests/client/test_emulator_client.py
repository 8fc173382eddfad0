"""The client against the served emulator over real HTTP on loopback."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest

from omni_sync import secrets
from omni_sync.client import OmniClient, open_client
from omni_sync.client.retry import RetryPolicy
from omni_sync.emulator.harness import EmulatorAccount, EmulatorHarness
from omni_sync.errors import ApiError, TransportError
from omni_sync.load.project import load_project
from omni_sync.model.scenario import Channel, ScenarioSpec, Step
from tests.accounts import add_environment

FAST_RETRY = RetryPolicy(tries=4, base_seconds=0.001, cap_seconds=0.01)


def _spec(name: str, *, default: bool = False, sender: str = "Shop") -> ScenarioSpec:
    return ScenarioSpec(
        name=name, flow=(Step(channel=Channel.SMS, sender=sender),), default=default
    )


async def _with_client(repo: Path, body, log=None):  # type: ignore[no-untyped-def]
    project = load_project(repo)
    async with open_client(
        project.root, project.environments["prod"], retry=FAST_RETRY, log=log
    ) as client:
        return await body(client)


def _run(repo: Path, body, log=None):  # type: ignore[no-untyped-def]
    return asyncio.run(_with_client(repo, body, log))


@pytest.fixture
def account(
    repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch
) -> EmulatorAccount:
    return add_environment(repo, emulator, monkeypatch, page_limit=10)


def test_create_get_update_round_trip(
    repo: Path, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    async def body(client: OmniClient) -> None:
        created = await client.create_scenario(_spec("Orders", default=True))
        assert len(created.key) == 32
        fetched = await client.get_scenario(created.key)
        assert fetched == created
        updated = await client.update_scenario(
            created.key, _spec("Orders v2", default=True).to_api(), name="Orders v2"
        )
        assert updated.name == "Orders v2"

    _run(repo, body)
    assert [s.name for s in emulator.scenarios(account)] == ["Orders v2"]


@pytest.mark.parametrize(("count", "requests"), [(25, 3), (20, 3), (0, 1), (9, 1)])
def test_lists_page_by_page_until_a_short_page(
    repo: Path, account: EmulatorAccount, count: int, requests: int
) -> None:
    async def body(client: OmniClient) -> tuple[int, int]:
        for i in range(count):
            await client.create_scenario(_spec(f"s{i:02d}", default=i == 0))
        before = client.requests_sent
        found = await client.list_scenarios()
        return len({s.key for s in found}), client.requests_sent - before

    assert _run(repo, body) == (count, requests)


def test_5xx_on_reads_is_retried(
    repo: Path, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    emulator.set_faults(share_500=0.3, share_503=0.3, seed=7)
    found = _run(repo, lambda client: client.list_scenarios())
    assert found == []


def test_retries_are_bounded_then_the_server_is_named(
    repo: Path, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    emulator.set_faults(share_503=1.0)

    async def body(client: OmniClient) -> int:
        with pytest.raises(ApiError) as caught:
            await client.list_scenarios()
        message = str(caught.value)
        assert message.startswith('environment "prod": GET /omni/1/scenarios answered 503')
        assert "SERVICE_UNAVAILABLE" in message
        return client.requests_sent

    assert _run(repo, body) == FAST_RETRY.tries


def test_dropped_answer_after_a_create_is_adopted_not_duplicated(
    repo: Path, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    emulator.set_faults(drop_next=1)
    logged: list[str] = []
    created = _run(repo, lambda client: client.create_scenario(_spec("Orders")), logged.append)
    upstream = emulator.scenarios(account)
    assert [s.key for s in upstream] == [created.key]
    assert any("adopted" in line for line in logged)


def test_5xx_after_a_create_that_did_not_land_is_tried_again(
    repo: Path, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    emulator.set_faults(share_500=0.25, seed=3)
    for i in range(6):
        _run(repo, lambda client, i=i: client.create_scenario(_spec(f"s{i}")))
    assert sorted(s.name for s in emulator.scenarios(account)) == [f"s{i}" for i in range(6)]


def test_create_answer_without_key_is_found_by_listing(
    repo: Path, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    emulator.set_faults(omit_create_key=True)
    created = _run(repo, lambda client: client.create_scenario(_spec("Orders")))
    assert created.key == emulator.scenarios(account)[0].key


def test_429_on_create_is_retried_once_it_clears(
    repo: Path, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    emulator.set_faults(burst_429=2)
    _run(repo, lambda client: client.create_scenario(_spec("Orders")))
    assert len(emulator.scenarios(account)) == 1


def test_refusal_names_environment_scenario_and_what_the_server_said(
    repo: Path, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    async def body(client: OmniClient) -> None:
        first = await client.create_scenario(_spec("A", default=True))
        await client.create_scenario(_spec("B"))
        with pytest.raises(ApiError) as caught:
            await client.update_scenario(first.key, _spec("A").to_api(), name="A")
        error = caught.value
        assert error.status == 400
        assert error.message_id == "BAD_REQUEST"
        assert "default" in error.validation_errors
        assert str(error).startswith('environment "prod", scenario "A": PUT /omni/1/scenarios/')
        assert "(default: the default scenario cannot be demoted" in str(error)

    _run(repo, body)


def test_wrong_credential_is_401_without_the_credential(
    repo: Path, emulator: EmulatorHarness, account: EmulatorAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OMNI_TEST_KEY_PROD", "wrong-key-that-is-secret")
    with pytest.raises(ApiError) as caught:
        _run(repo, lambda client: client.list_scenarios())
    assert caught.value.status == 401
    assert "UNAUTHORIZED" in str(caught.value)
    assert "wrong-key-that-is-secret" not in str(caught.value)
    assert secrets.redact("x wrong-key-that-is-secret") == "x ***"


def test_missing_scenario_is_404(repo: Path, account: EmulatorAccount) -> None:
    with pytest.raises(ApiError, match=r'scenario "ABC".*404'):
        _run(repo, lambda client: client.get_scenario("ABC"))


def test_debug_log_never_shows_the_credential(repo: Path, account: EmulatorAccount) -> None:
    logged: list[str] = []
    _run(repo, lambda client: client.list_scenarios(), logged.append)
    assert any("GET " in line and "Authorization: App ***" in line for line in logged)
    assert any("200 in" in line for line in logged)
    assert not any(account.secret in line for line in logged)


def test_writes_are_paced_to_the_limits_so_no_429_is_met(
    repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    limits = {"creates": 2, "updates": 2, "window_seconds": 0.3}
    account = add_environment(repo, emulator, monkeypatch, limits=limits)
    emulator.set_throttle(window_seconds=0.3, create_limit=2, update_limit=2)

    async def body(client: OmniClient) -> int:
        await asyncio.gather(*(client.create_scenario(_spec(f"s{i}")) for i in range(5)))
        return client.writes_sent  # each create also lists, before and after its POST

    assert _run(repo, body) == 5
    assert len(emulator.scenarios(account)) == 5


def test_connection_refused_is_a_transport_error(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OMNI_TEST_KEY", "k-123456")
    (repo / "omni-sync.yaml").write_text(
        '{"environments": {"prod": {"base_url": "http://127.0.0.1:9", '
        '"auth": {"type": "app", "key_env": "OMNI_TEST_KEY"}}}}'
    )
    with pytest.raises(TransportError, match=r'environment "prod": GET .* failed after 4 tries'):
        _run(repo, lambda client: client.list_scenarios())


def _name_lookup_failing_with(monkeypatch: pytest.MonkeyPatch, repo: Path, code: int) -> list[str]:
    """base_url names a host whose lookup fails with ``code`` (a real DNS answer is not
    something the emulator can give); returns the client's log."""
    real = socket.getaddrinfo

    def lookup(host: object, *args: object, **kwargs: object) -> object:
        if host in ("api.no-such-host.example", b"api.no-such-host.example"):  # anyio: IDNA bytes
            raise socket.gaierror(code, "Name or service not known")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    monkeypatch.setenv("OMNI_TEST_KEY", "k-123456")
    monkeypatch.setenv("OMNI_SYNC_ALLOWED_HOSTS", "api.no-such-host.example")
    (repo / "omni-sync.yaml").write_text(
        '{"environments": {"prod": {"base_url": "https://api.no-such-host.example", '
        '"auth": {"type": "app", "key_env": "OMNI_TEST_KEY"}}}}'
    )
    return []


def test_a_host_that_does_not_exist_is_said_at_once_without_retrying(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = _name_lookup_failing_with(monkeypatch, repo, socket.EAI_NONAME)
    with pytest.raises(TransportError) as caught:
        _run(repo, lambda client: client.list_scenarios(), log.append)
    assert str(caught.value) == (
        'environment "prod": GET /omni/1/scenarios failed: the host api.no-such-host.example '
        "does not exist (DNS has no such name); check base_url in omni-sync.yaml"
    )
    assert len([line for line in log if " GET " in line]) == 1
    assert "k-123456" not in str(caught.value)


def test_a_name_lookup_that_failed_for_now_is_retried(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = _name_lookup_failing_with(monkeypatch, repo, socket.EAI_AGAIN)
    with pytest.raises(TransportError, match=r"failed after 4 tries"):
        _run(repo, lambda client: client.list_scenarios(), log.append)
    assert len([line for line in log if " GET " in line]) == 4
