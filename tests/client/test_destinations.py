"""The credential goes only to Infobip's API, loopback, or a host the operator names in
OMNI_SYNC_ALLOWED_HOSTS; any other base_url is refused before a name is looked up or a
connection opened.

The foreign host here is real enough to catch a leak: ``evil.example.com`` is made to resolve
to a loopback listener of the test's own, which records every request and its Authorization
header. With the host allowed, the same rig does receive the key, so a refusal that merely
failed to connect would not pass for one that never tried."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from starlette.requests import Request
from starlette.responses import Response

from omni_sync.client import open_client
from omni_sync.errors import ConfigError
from omni_sync.load.project import Project
from omni_sync.model.credentials import host_allowed, operator_hosts
from omni_sync.model.environment import Auth, Environment
from tests.reliability.hostile_server import json_response, serve

KEY = "dest-test-key-5f1c2a9b7e"
FOREIGN = "evil.example.com"


@dataclass
class Rig:
    port: int
    lookups: list[str] = field(default_factory=list)
    received: list[str | None] = field(default_factory=list)

    def environment(self, host: str = FOREIGN) -> Environment:
        return Environment(
            name="prod",
            base_url=f"http://{host}:{self.port}",
            allow_insecure_http=True,
            auth=Auth(type="app", key_env="DEST_KEY"),
            timeout_seconds=5,
        )


@pytest.fixture
def rig(monkeypatch: pytest.MonkeyPatch) -> Iterator[Rig]:
    """A listener on loopback, and ``evil.example.com`` resolving to it (every lookup noted)."""
    real = socket.getaddrinfo
    monkeypatch.setenv("DEST_KEY", KEY)

    def answer(request: Request, _n: int) -> Response:
        found.received.append(request.headers.get("authorization"))
        return json_response({"scenarios": []})

    def lookup(host: object, *args: object, **kwargs: object) -> object:
        name = host.decode() if isinstance(host, bytes) else str(host)
        found.lookups.append(name)
        return real("127.0.0.1" if name == FOREIGN else host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    with serve(answer) as server:
        found = Rig(int(server.base_url.rsplit(":", 1)[1]))
        yield found


def list_scenarios(repo: Path, environment: Environment) -> int:
    project = Project(repo, repo / "omni-sync.yaml", {}, config_found=True)

    async def run() -> int:
        async with open_client(project.root, environment) as client:
            return len(await client.list_scenarios())

    return asyncio.run(run())


def test_a_foreign_host_is_refused_before_any_lookup_or_connection(repo: Path, rig: Rig) -> None:
    with pytest.raises(ConfigError) as caught:
        list_scenarios(repo, rig.environment())
    message = str(caught.value)
    assert message.startswith(f'environment "prod": base_url: {FOREIGN} is neither')
    assert f"set OMNI_SYNC_ALLOWED_HOSTS={FOREIGN} in the pipeline's environment" in message
    assert KEY not in message
    assert rig.lookups == []
    assert rig.received == []


def test_the_operator_allows_a_host_and_then_it_gets_the_key(
    repo: Path, rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OMNI_SYNC_ALLOWED_HOSTS", f"omni.example.org, {FOREIGN}")
    assert list_scenarios(repo, rig.environment()) == 0
    assert FOREIGN in rig.lookups
    assert rig.received == [f"App {KEY}"]


def test_a_pattern_allows_the_names_under_a_domain(
    repo: Path, rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OMNI_SYNC_ALLOWED_HOSTS", "*.example.com")
    assert list_scenarios(repo, rig.environment()) == 0
    assert rig.received == [f"App {KEY}"]


def test_a_request_built_for_another_host_never_leaves(repo: Path, rig: Rig) -> None:
    """The check is on every request the client sends, not only on base_url: a request
    made with an absolute URL elsewhere is stopped by the client itself."""
    project = Project(repo, repo / "omni-sync.yaml", {}, config_found=True)

    async def run() -> None:
        async with open_client(project.root, rig.environment("127.0.0.1")) as client:
            await client.http.get(f"http://{FOREIGN}:{rig.port}/omni/1/scenarios")

    with pytest.raises(ConfigError, match=f"base_url: {FOREIGN} is neither"):
        asyncio.run(run())
    assert FOREIGN not in rig.lookups
    assert rig.received == []


def test_loopback_needs_no_allowing(repo: Path, rig: Rig) -> None:
    assert list_scenarios(repo, rig.environment("localhost")) == 0
    assert rig.received == [f"App {KEY}"]


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("api.infobip.com", True),
        ("xyz12.api.infobip.com", True),
        ("XYZ12.API.Infobip.COM", True),
        ("xyz12.api.infobip.com.", True),
        ("a.b.api.infobip.com", True),
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("infobip.com", False),
        ("evilapi.infobip.com", False),
        ("api.infobip.com.evil.example", False),
        ("xyz12.api.infobip.co", False),
        ("localhost.evil.example", False),
        ("10.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("evil.example.com", False),
    ],
)
def test_hosts_allowed_without_the_variable(host: str, allowed: bool) -> None:
    assert host_allowed(host, {}) is allowed


@pytest.mark.parametrize(
    ("listed", "host", "allowed"),
    [
        ("omni.example.com", "omni.example.com", True),
        ("omni.example.com", "x.omni.example.com", False),
        ("*.example.com", "omni.example.com", True),
        ("*.example.com", "example.com", False),
        ("*.example.com", "notexample.com", False),
        ("a.example.com  b.example.com", "b.example.com", True),
        ("A.Example.COM,", "a.example.com", True),
        ("10.0.0.5", "10.0.0.5", True),
        ("[fd00::5]", "fd00::5", True),
    ],
)
def test_hosts_the_operator_lists(listed: str, host: str, allowed: bool) -> None:
    assert host_allowed(host, {"OMNI_SYNC_ALLOWED_HOSTS": listed}) is allowed


@pytest.mark.parametrize(
    "entry", ["https://omni.example.com", "omni.example.com:443", "*", "*.com", "evil*.example.com"]
)
def test_an_unreadable_allowed_host_is_an_error_not_a_guess(entry: str) -> None:
    with pytest.raises(ConfigError, match=r"OMNI_SYNC_ALLOWED_HOSTS: .* is not a host name"):
        operator_hosts({"OMNI_SYNC_ALLOWED_HOSTS": f"ok.example.com,{entry}"})
