"""What apply says when it cannot know: a create whose answer was lost and whose follow-up read
failed "may have been created: run plan"; a stop during a retry's wait ends at once."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest
from starlette.requests import Request
from starlette.responses import Response

from tests.accounts import scenario, write_scenarios
from tests.apply.conftest import Cli, start_cli, stop_with
from tests.reliability.hostile_server import json_response, scenario_json, serve

KEY = "unknown-outcome-key-0123456789"


def configure(repo: Path, base_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSTILE_KEY", KEY)
    config = {
        "environments": {
            "prod": {
                "base_url": base_url,
                "auth": {"type": "app", "key_env": "HOSTILE_KEY"},
                "limits": {"creates": 100, "updates": 100, "window_seconds": 60},
            }
        }
    }
    (repo / "omni-sync.yaml").write_text(json.dumps(config))


def html(_request: Request, _n: int) -> Response:
    return Response("<html>maintenance</html>", 200, media_type="text/html")


@pytest.mark.parametrize("post_answer", ["lost", "no key"])
def test_a_create_whose_follow_up_read_failed_may_have_been_created(
    repo: Path, run: Cli, monkeypatch: pytest.MonkeyPatch, post_answer: str
) -> None:
    listed: list[int] = []

    def answer(request: Request, n: int) -> Response:
        if request.method == "POST":
            if post_answer == "lost":
                return Response("upstream died", 502)
            return json_response({"name": "A", "flow": [{"from": "Shop", "channel": "SMS"}]}, 201)
        listed.append(n)
        return json_response({"scenarios": []}) if len(listed) <= 2 else html(request, n)

    write_scenarios(repo, scenario("A", default=True))
    with serve(answer) as server:
        configure(repo, server.base_url, monkeypatch)
        result = run("apply", "--auto-approve")
    assert result.code == 1
    assert server.writes == [("POST", "/omni/1/scenarios")]
    report = result.out.split('Applied to environment "prod":\n')[1]
    line = report.splitlines()[0]
    assert line.startswith('  ? may have been created "A": environment "prod", scenario "A": ')
    assert line.endswith("it may have been created: run plan to see the account's state")
    assert "failed" not in line.split(":")[0]
    assert "0 failed, 1 may have been created (run plan), 0 not attempted" in result.out


def test_a_stop_during_a_retry_wait_ends_the_run_at_once(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def answer(request: Request, _n: int) -> Response:
        if request.method == "PUT":
            return Response("slow down", 429, headers={"Retry-After": "20"})
        return json_response({"scenarios": [{**scenario_json("k1"), "default": True}]})

    write_scenarios(repo, scenario("A", ("VIBER", "3045"), default=True))
    with serve(answer) as server:
        configure(repo, server.base_url, monkeypatch)
        proc = start_cli(repo, "apply", "--auto-approve")
        deadline = time.monotonic() + 60
        while not server.writes and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
        out, err, took = stop_with(proc, signal.SIGINT)
    assert took < 2.0, (took, err)
    assert proc.returncode == 1, err
    assert server.writes == [("PUT", "/omni/1/scenarios/k1")]
    assert '  ! failed "A" (k1): interrupted before trying again: environment "prod"' in out
    assert "429" in out
    assert KEY not in out + err
