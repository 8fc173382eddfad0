"""What a refused request says: a 401 names the variable holding the credential to check, and
a 429 or 5xx says how many times the request was tried (the tries actually made)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from omni_sync.cli import cli
from omni_sync.client import omni
from omni_sync.client.retry import RetryPolicy
from omni_sync.emulator.harness import EmulatorHarness
from tests.reliability.hostile_server import json_response, serve

TRIES = 4
SCENARIO = "name: A\ndefault: true\nflow:\n  - {channel: SMS, from: Shop}\n"


@pytest.fixture(autouse=True)
def _fast(monkeypatch: pytest.MonkeyPatch) -> None:
    policy = RetryPolicy(tries=TRIES, base_seconds=0.001, cap_seconds=0.002)
    monkeypatch.setattr(omni, "RetryPolicy", lambda: policy)


def plan(repo: Path, base_url: str, auth: dict[str, str], env: dict[str, str]) -> str:
    settings = {"base_url": base_url, "auth": auth}
    (repo / "omni-sync.yaml").write_text(json.dumps({"environments": {"staging": settings}}))
    (repo / "scenarios.d").mkdir(exist_ok=True)
    (repo / "scenarios.d" / "a.yaml").write_text(SCENARIO)
    result = CliRunner().invoke(cli, ["-C", str(repo), "plan"], env=env)
    assert result.exit_code == 1, result.output
    assert len(result.stderr.splitlines()) == 1, result.stderr
    return result.stderr


@pytest.mark.parametrize(
    ("kind", "auth", "advice"),
    [
        ("app", {"type": "app", "key_env": "STAGING_KEY"}, "check the key in STAGING_KEY"),
        (
            "basic",
            {"type": "basic", "username_env": "STAGING_USER", "password_env": "STAGING_PASS"},
            "check the username and password in STAGING_USER and STAGING_PASS",
        ),
    ],
)
def test_a_401_names_the_credential_variables_to_check(
    repo: Path, emulator: EmulatorHarness, kind: str, auth: dict[str, str], advice: str
) -> None:
    emulator.add_account(kind)
    wrong = {"STAGING_KEY": "wrong", "STAGING_USER": "wrong", "STAGING_PASS": "wrong"}
    err = plan(repo, emulator.base_url, auth, wrong)
    assert 'environment "staging": GET /omni/1/scenarios answered 401' in err
    assert err.rstrip().endswith(advice), err
    assert "tried" not in err  # a 401 is not retried


@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_retried_refusal_says_how_often_it_was_tried(repo: Path, status: int) -> None:
    body = {"requestError": {"serviceException": {"messageId": "GENERAL_ERROR"}}}
    with serve(lambda _r, _n: json_response(body, status)) as server:
        auth = {"type": "app", "key_env": "STAGING_KEY"}
        err = plan(repo, server.base_url, auth, {"STAGING_KEY": "k"})
    assert len(server.requests) == TRIES
    assert f"answered {status} GENERAL_ERROR; tried {TRIES} times" in err


def test_a_403_names_the_credential_whose_rights_to_check(repo: Path) -> None:
    body = {"requestError": {"serviceException": {"messageId": "FORBIDDEN"}}}
    with serve(lambda _r, _n: json_response(body, 403)) as server:
        auth = {"type": "app", "key_env": "STAGING_KEY"}
        err = plan(repo, server.base_url, auth, {"STAGING_KEY": "k"})
    assert len(server.requests) == 1
    assert err.rstrip().endswith(
        "answered 403 FORBIDDEN; check what the key in STAGING_KEY is allowed to do"
    ), err
