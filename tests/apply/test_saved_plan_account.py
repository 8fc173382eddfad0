"""apply FILE reads the account again before it writes (the plan's freshness check): a stop
during that read, and a wait before trying it again, are said as a plain apply says them."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import pytest
from starlette.requests import Request
from starlette.responses import Response

from tests.accounts import scenario, write_scenarios
from tests.apply.conftest import Cli, start_cli, stop_with
from tests.apply.test_unknown_outcome import KEY, configure
from tests.reliability.hostile_server import (
    HostileServer,
    held,
    json_response,
    scenario_json,
    serve,
)


def _saw(server: HostileServer, count: int) -> None:
    """Wait (a minute at most) until the server has received ``count`` requests."""
    deadline = time.monotonic() + 60
    while len(server.requests) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(server.requests) >= count, server.requests


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_stop_while_the_saved_plan_is_checked_says_nothing_was_applied(
    repo: Path, run: Cli, monkeypatch: pytest.MonkeyPatch, stop: signal.Signals
) -> None:
    """The first list answers (plan --out); the second, apply FILE's, never does."""
    released = threading.Event()

    def answer(_request: Request, n: int) -> Response:
        return json_response({"scenarios": []}) if n == 0 else held(released)

    write_scenarios(repo, scenario("A", default=True))
    with serve(answer) as server:
        configure(repo, server.base_url, monkeypatch)
        assert run("plan", "--out", "plan.json").code == 0
        proc = start_cli(repo, "apply", "plan.json")
        try:
            _saw(server, 2)
            out, err, _ = stop_with(proc, stop)
        finally:
            released.set()
    assert proc.returncode == 1, (proc.returncode, err)
    assert err.splitlines()[-1] == (
        "Error: interrupted while checking the saved plan against the account: nothing was applied"
    ), err
    assert "Traceback" not in err
    assert server.writes == []
    assert KEY not in out + err


def test_a_retry_wait_while_the_saved_plan_is_checked_is_said(
    repo: Path, run: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """plan --out lists once; apply FILE's list is answered 429 once, then the plan applies."""

    def answer(request: Request, n: int) -> Response:
        if request.method == "POST":
            return json_response(scenario_json("k1"), 201)
        if n == 1:
            return Response("{}", 429, headers={"Retry-After": "1"}, media_type="application/json")
        return json_response({"scenarios": []})

    write_scenarios(repo, scenario("A", default=True))
    with serve(answer) as server:
        configure(repo, server.base_url, monkeypatch)
        assert run("plan", "--out", "plan.json").code == 0
        result = run("apply", "plan.json")
    assert result.code == 0, result.err
    assert (
        'environment "prod": GET /omni/1/scenarios answered 429 Too Many Requests; tried once; '
        "trying again in 1 s (Retry-After), try 2 of 6\n"
    ) in result.err
    assert server.writes == [("POST", "/omni/1/scenarios")]
    assert "Apply complete! Scenarios: 1 added, 0 changed, 0 destroyed." in result.out
