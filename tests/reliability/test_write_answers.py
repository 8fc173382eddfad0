"""A write the service answers with something else than what was sent (the old flow, another
scenario's key, another name, the default flag not as asked) is a failure naming the scenario
and what came back: never "~ updated", never "Apply complete!", exit 1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.requests import Request
from starlette.responses import Response

from omni_sync.cli import cli
from tests.conftest import run_cli_subprocess
from tests.reliability.hostile_server import Answer, json_response, serve

KEY = "K" * 32
OTHER = "F" * 32
OLD = {"key": KEY, "name": "A", "flow": [{"from": "Old", "channel": "SMS"}], "default": True}
NEW_FLOW = [{"from": "New", "channel": "SMS"}]
SCENARIO = "name: A\ndefault: true\nflow:\n  - {channel: SMS, from: New}\n"


def project(repo: Path, base_url: str, scenario: str = SCENARIO) -> None:
    settings = {"base_url": base_url, "auth": {"type": "app", "key_env": "WRITE_KEY"}}
    (repo / "omni-sync.yaml").write_text(json.dumps({"environments": {"prod": settings}}))
    (repo / "scenarios.d").mkdir(exist_ok=True)
    (repo / "scenarios.d" / "a.yaml").write_text(scenario)


def account(listed: list[dict[str, Any]], write: dict[str, Any], status: int = 200) -> Answer:
    def answer(request: Request, _n: int) -> Response:
        if request.method == "GET":
            return json_response({"scenarios": listed})
        return json_response(write, status)

    return answer


def apply(repo: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["-C", str(repo), "apply", "--auto-approve"], env={"WRITE_KEY": "secret-key"}
    )
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout + result.stderr


PUT_ANSWERS: dict[str, tuple[dict[str, Any], str]] = {
    "the old flow": (OLD, "flow SMS from Old"),
    "another scenario's key": ({**OLD, "key": OTHER, "flow": NEW_FLOW}, f"key {OTHER}"),
    "another name": ({**OLD, "name": "B", "flow": NEW_FLOW}, 'name "B"'),
    "not the default": ({**OLD, "flow": NEW_FLOW, "default": False}, "default false"),
}


@pytest.mark.parametrize("case", sorted(PUT_ANSWERS))
def test_an_update_answered_with_something_else_fails(repo: Path, case: str) -> None:
    answered, said = PUT_ANSWERS[case]
    with serve(account([OLD], answered)) as server:
        project(repo, server.base_url)
        code, output = apply(repo)
    assert code == 1, output
    assert "Apply complete!" not in output
    assert "~ updated" not in output
    assert f'! failed "A" ({KEY}):' in output
    assert said in output
    assert "not counted as applied" in output
    assert "Apply incomplete: 0 added, 0 changed" in output


def test_a_create_answered_with_another_flow_fails(repo: Path) -> None:
    answered = {"key": OTHER, "name": "A", "flow": OLD["flow"], "default": True}
    with serve(account([], answered, 201)) as server:
        project(repo, server.base_url)
        code, output = apply(repo)
    assert code == 1, output
    assert "+ created" not in output
    assert "flow SMS from Old" in output
    assert "Apply incomplete: 0 added, 0 changed" in output


def test_a_create_answered_without_a_key_is_found_by_listing(repo: Path) -> None:
    created = {"key": OTHER, "name": "A", "flow": NEW_FLOW, "default": True}

    def answer(request: Request, n: int) -> Response:
        if request.method == "POST":
            return json_response({"name": "A", "flow": NEW_FLOW, "default": True}, 201)
        posted = any(method == "POST" for method, _ in server.requests)
        return json_response({"scenarios": [created] if posted else []})

    with serve(answer) as server:
        project(repo, server.base_url)
        code, output = apply(repo)
    assert code == 0, output
    assert f'+ created "A" ({OTHER})' in output
    assert "Apply complete!" in output


@pytest.mark.parametrize(("status", "reason"), [(200, "OK"), (202, "Accepted")])
@pytest.mark.parametrize("listing", ["empty", "unreadable"])
def test_a_create_answered_without_a_key_names_the_status_received(
    repo: Path, status: int, reason: str, listing: str
) -> None:
    """Not every 2xx answer is "201 Created": the failure says which one came."""

    def answer(request: Request, _n: int) -> Response:
        if request.method == "POST":
            return json_response({"name": "A", "flow": NEW_FLOW, "default": True}, status)
        if listing == "unreadable" and server.writes:
            return Response("<html>maintenance</html>", 200, media_type="text/html")
        return json_response({"scenarios": []})

    with serve(answer) as server:
        project(repo, server.base_url)
        code, output = apply(repo)
    assert code == 1, output
    assert server.writes == [("POST", "/omni/1/scenarios")]
    said = f"the create was answered {status} {reason} without a key"
    assert f'environment "prod", scenario "A": {said}, and ' in output
    assert "201" not in output
    if listing == "empty":
        assert f"{said}, and no such scenario is listed; plan again" in output
    else:
        assert f"{said}, and listing to find it failed (" in output
        assert "it may have been created: run plan" in output


def test_the_real_entry_point_reports_an_update_answered_with_the_old_flow(repo: Path) -> None:
    with serve(account([OLD], OLD)) as server:
        project(repo, server.base_url)
        done = run_cli_subprocess(
            ["apply", "--auto-approve"], cwd=repo, env={"WRITE_KEY": "secret-key"}
        )
        assert server.writes == [("PUT", f"/omni/1/scenarios/{KEY}")]
    assert done.returncode == 1, done.stderr
    assert "Apply complete!" not in done.stdout + done.stderr
    assert "flow SMS from Old (sent SMS from New)" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
