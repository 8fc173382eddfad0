"""Every wait is bounded and said: a server that trickles its answer cannot keep a run alive past
the request's deadline, a Retry-After beyond the cap fails at once naming the wait, pages that
overlap are the account's paging error, and attempt counts are the attempts made.

No test here measures speed: each asserts what happened (the run ended before the server
finished sending, one request was made) under a generous guard against hanging."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from omni_sync.cli import cli
from omni_sync.client import omni
from omni_sync.client.retry import RETRY_AFTER_CAP_SECONDS, RetryPolicy
from tests.conftest import run_cli_subprocess
from tests.reliability.hostile import time_limit
from tests.reliability.hostile_server import json_response, scenario_json, serve

SCENARIO = "name: A\ndefault: true\nflow:\n  - {channel: SMS, from: Shop}\n"
TRICKLE_BYTES = 2400  # four a second: the server would need ten minutes to finish
TRICKLE_GAP_SECONDS = 0.25  # far below any per-read timeout here, even on a busy machine


def project(repo: Path, base_url: str, scenario: str = SCENARIO, **settings: Any) -> None:
    environment = {
        "base_url": base_url,
        "auth": {"type": "app", "key_env": "WAIT_KEY"},
        **settings,
    }
    (repo / "omni-sync.yaml").write_text(json.dumps({"environments": {"prod": environment}}))
    (repo / "scenarios.d").mkdir(exist_ok=True)
    (repo / "scenarios.d" / "a.yaml").write_text(scenario)


def invoke(repo: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["-C", str(repo), *args], env={"WAIT_KEY": "wait-key"})
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


def fast_retries(monkeypatch: pytest.MonkeyPatch, tries: int) -> int:
    """``tries`` tries with back-off in milliseconds."""
    policy = RetryPolicy(tries=tries, base_seconds=0.001, cap_seconds=0.002)
    monkeypatch.setattr(omni, "RetryPolicy", lambda: policy)
    return tries


class Trickle:
    """Answers with headers at once, then one byte at a time; says whether it ever finished."""

    def __init__(self) -> None:
        self.finished = threading.Event()

    def response(self, status: int = 200) -> Response:
        async def body() -> AsyncIterator[bytes]:
            yield b'{"scenarios": ['
            for _ in range(TRICKLE_BYTES):
                await asyncio.sleep(TRICKLE_GAP_SECONDS)
                yield b" "
            yield b"]}"
            self.finished.set()

        return StreamingResponse(body(), status, media_type="application/json")


@pytest.fixture
def trickle() -> Trickle:
    return Trickle()


def test_a_body_trickled_byte_by_byte_ends_at_the_deadline(
    repo: Path, monkeypatch: pytest.MonkeyPatch, trickle: Trickle
) -> None:
    """Each byte comes well within the per-read timeout; only the whole answer is late."""
    tries = fast_retries(monkeypatch, 3)
    with serve(lambda _r, _n: trickle.response()) as server, time_limit(60):
        project(repo, server.base_url, timeout_seconds=2)
        code, _, err = invoke(repo, "plan")
        assert not trickle.finished.is_set()
    assert code == 1, err
    assert len(err.splitlines()) == 1, err
    assert 'environment "prod": GET /omni/1/scenarios' in err
    assert f"failed after {tries} tries: no complete answer within 2 s (timeout_seconds)" in err
    assert len(server.requests) == tries


def test_a_create_that_timed_out_six_times_says_six_tries(
    repo: Path, monkeypatch: pytest.MonkeyPatch, trickle: Trickle
) -> None:
    tries = fast_retries(monkeypatch, 6)

    def answer(request: Request, _n: int) -> Response:
        if request.method == "POST":
            return trickle.response(201)
        return json_response({"scenarios": []})

    with serve(answer) as server, time_limit(60):
        project(repo, server.base_url, timeout_seconds=0.5)
        code, out, _ = invoke(repo, "apply", "--auto-approve")
    assert code == 1, out
    assert server.writes == [("POST", "/omni/1/scenarios")] * tries
    assert '! failed "A":' in out
    assert f"failed after {tries} tries" in out
    assert "1 try" not in out


def test_a_retry_after_beyond_the_cap_fails_at_once_naming_the_wait(repo: Path) -> None:
    def answer(_request: Request, _n: int) -> Response:
        body = {"requestError": {"serviceException": {"messageId": "TOO_MANY_REQUESTS"}}}
        return Response(
            json.dumps(body), 429, headers={"Retry-After": "100000"}, media_type="application/json"
        )

    with serve(answer) as server:
        project(repo, server.base_url)
        done = run_cli_subprocess(["plan"], cwd=repo, env={"WAIT_KEY": "wait-key"}, timeout=60)
    assert done.returncode == 1, done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert "asks to wait 100000 s (Retry-After)" in done.stderr
    assert f"more than the {RETRY_AFTER_CAP_SECONDS:g} s omni-sync waits" in done.stderr
    assert "Traceback" not in done.stderr
    assert len(server.requests) == 1


def test_pages_that_overlap_are_a_paging_error_not_duplicate_names(repo: Path) -> None:
    def answer(request: Request, _n: int) -> Response:
        page = int(request.query_params["page"])
        keys = range(100) if page == 0 else range(99, 150)  # page 1 repeats page 0's last
        return json_response({"scenarios": [scenario_json(f"k{i}", f"n{i}") for i in keys]})

    with serve(answer) as server, time_limit(60):
        project(repo, server.base_url, SCENARIO.replace("A", "n99"))
        code, _, err = invoke(repo, "plan")
    assert code == 1, err
    assert "the scenario k99 is listed on page 0 and again on page 1" in err
    assert "paging" in err
    assert "could mean" not in err
    assert len(server.requests) == 2


def test_a_retry_wait_is_said_as_it_begins(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A wait the service asks for (within the cap) is shown, not sat through in silence."""
    tries = fast_retries(monkeypatch, 6)

    def answer(_request: Request, n: int) -> Response:
        if n == 0:
            return Response("{}", 429, headers={"Retry-After": "1"}, media_type="application/json")
        return json_response({"scenarios": []})

    with serve(answer) as server, time_limit(60):
        project(repo, server.base_url)
        code, out, err = invoke(repo, "plan")
    assert code == 0, err
    assert "Plan: 1 to add" in out
    assert (
        'environment "prod": GET /omni/1/scenarios answered 429 Too Many Requests; tried once; '
        f"trying again in 1 s (Retry-After), try 2 of {tries}"
    ) in err


def test_apply_says_its_retry_waits_too(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tries = fast_retries(monkeypatch, 6)
    listed = {**scenario_json("k1"), "default": True}
    puts: list[int] = []

    def answer(request: Request, _n: int) -> Response:
        if request.method == "GET":
            return json_response({"scenarios": [listed]})
        puts.append(1)
        if len(puts) == 1:
            return Response("{}", 429, headers={"Retry-After": "1"}, media_type="application/json")
        return json_response({**listed, "flow": [{"from": "Shop2", "channel": "SMS"}]})

    with serve(answer) as server, time_limit(60):
        project(repo, server.base_url, SCENARIO.replace("Shop", "Shop2"))
        code, out, err = invoke(repo, "apply", "--auto-approve")
    assert code == 0, out + err
    assert 'environment "prod", scenario "A": PUT /omni/1/scenarios/k1 answered 429' in err
    assert f"trying again in 1 s (Retry-After), try 2 of {tries}" in err
    assert "Apply complete!" in out
