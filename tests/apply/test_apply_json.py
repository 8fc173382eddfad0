"""``apply --format json``: one JSON object per line per event, nothing else on stdout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from starlette.requests import Request
from starlette.responses import Response

from omni_sync import __version__
from tests.accounts import scenario, write_scenarios
from tests.apply.conftest import Cli
from tests.apply.test_unknown_outcome import KEY
from tests.apply.test_unknown_outcome import configure as hostile_account
from tests.conftest import run_cli_subprocess
from tests.reliability.hostile_server import json_response, scenario_json, serve


def events(stdout: str) -> list[dict[str, Any]]:
    """Every line of stdout, each one JSON object (fails on anything else)."""
    lines = stdout.splitlines()
    assert lines, "no output"
    parsed = [json.loads(line) for line in lines]
    assert all(isinstance(event, dict) for event in parsed)
    for event in parsed:
        assert event["@timestamp"].endswith("Z")
        assert event["@level"] in {"info", "warn", "error"}
        assert isinstance(event["@message"], str)
    return parsed


def test_an_apply_is_a_stream_of_events_through_the_real_entry_point(repo: Path) -> None:
    limits = {"creates": 1, "updates": 40, "window_seconds": 1.5}
    (repo / "omni-sync.yaml").write_text(json.dumps({"environments": {"dev": {"limits": limits}}}))
    write_scenarios(
        repo, scenario("Orders", ("SMS", "Shop"), default=True), scenario("OTP", ("SMS", "Otp"))
    )
    done = run_cli_subprocess(["apply", "--format", "json", "--auto-approve"], cwd=repo)
    assert done.returncode == 0, done.stderr
    stream = events(done.stdout)
    assert stream[0] == {
        **{k: stream[0][k] for k in ("@level", "@message", "@timestamp")},
        "type": "version",
        "format_version": "1.0",
        "omni_sync_version": __version__,
    }
    types = [event["type"] for event in stream]
    assert types == ["version", "planned", "planned", "applied", "waiting", "applied", "summary"]
    planned = {event["scenario"]: event for event in stream if event["type"] == "planned"}
    assert planned["Orders"]["action"] == "create"
    assert planned["Orders"]["environment"] == "dev"
    assert planned["Orders"]["key"] is None
    assert planned["Orders"]["source"] == "scenarios.d/all.yaml:2"
    waiting = stream[4]
    assert (waiting["environment"], waiting["kind"], waiting["limit"]) == ("dev", "creates", 1)
    assert (waiting["done"], waiting["total"], waiting["window_seconds"]) == (1, 2, 1.5)
    assert 0 < waiting["seconds"] <= 1.5
    applied = [event for event in stream if event["type"] == "applied"]
    assert all(len(event["key"]) == 32 for event in applied)
    assert {event["scenario"] for event in applied} == {"Orders", "OTP"}
    assert stream[-1]["status"] == "applied"
    assert (stream[-1]["added"], stream[-1]["changed"], stream[-1]["failed"]) == (2, 0, 0)
    assert (
        stream[-1]["@message"] == "dev: Apply complete! Scenarios: 2 added, 0 changed, 0 destroyed."
    )
    again = run_cli_subprocess(["apply", "--format", "json", "--auto-approve"], cwd=repo)
    assert again.returncode == 0
    assert [(e["type"], e.get("status")) for e in events(again.stdout)] == [
        ("version", None),
        ("summary", "no_changes"),
    ]


def configure(repo: Path, base_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """``prod`` on the hostile server, and ``qa`` whose key variable is not set."""
    hostile_account(repo, base_url, monkeypatch)
    config = json.loads((repo / "omni-sync.yaml").read_text())
    qa = {"base_url": base_url, "auth": {"type": "app", "key_env": "JSON_KEY_UNSET"}}
    config["environments"]["qa"] = qa
    (repo / "omni-sync.yaml").write_text(json.dumps(config))


def test_failures_are_events_with_their_attempts(
    repo: Path, run: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    listing = {
        "scenarios": [
            {**scenario_json("k1", "A"), "default": True},
            scenario_json("k2", "B"),
        ]
    }

    def answer(request: Request, _n: int) -> Response:
        if request.method == "PUT" and request.url.path.endswith("/k1"):
            return Response("busy", 503)
        if request.method == "PUT":
            body = {"key": "k2", "name": "B", "flow": [{"from": "3045", "channel": "VIBER"}]}
            return json_response({**body, "default": False})
        return json_response(listing)

    write_scenarios(
        repo, scenario("A", ("VIBER", "3045"), default=True), scenario("B", ("VIBER", "3045"))
    )
    with serve(answer) as server:
        configure(repo, server.base_url, monkeypatch)
        result = run("apply", "--format", "json", "--auto-approve", "--parallelism", "1")
    assert result.code == 1
    stream = events(result.out)
    by_type: dict[str, list[dict[str, Any]]] = {}
    for event in stream:
        by_type.setdefault(event["type"], []).append(event)
    qa_failed, a_failed = sorted(by_type["failed"], key=lambda e: e["environment"] == "prod")
    assert qa_failed["environment"] == "qa"
    assert qa_failed["scenario"] is None
    assert "JSON_KEY_UNSET is not set" in qa_failed["message"]
    assert (a_failed["environment"], a_failed["scenario"], a_failed["key"]) == ("prod", "A", "k1")
    assert (a_failed["action"], a_failed["attempts"], a_failed["@level"]) == ("update", 6, "error")
    assert "503" in a_failed["message"]
    assert "tried 6 times" in a_failed["message"]
    assert [(e["scenario"], e["key"]) for e in by_type["applied"]] == [("B", "k2")]
    summaries = {event["environment"]: event for event in by_type["summary"]}
    assert summaries["qa"]["status"] == "failed"
    assert summaries["prod"]["status"] == "incomplete"
    assert (summaries["prod"]["changed"], summaries["prod"]["failed"]) == (1, 1)
    assert KEY not in result.out + result.err
    assert "Apply incomplete" in summaries["prod"]["@message"]


def test_json_cannot_ask_for_approval(repo: Path, run: Cli) -> None:
    write_scenarios(repo, scenario("Orders", ("SMS", "Shop"), default=True))
    result = run("apply", "--format", "json", input="yes\n")
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "Error: apply --format json cannot ask for approval: pass --auto-approve after "
        "reviewing the plan, or apply a plan saved with plan --out\n"
    )


def test_a_saved_plan_applies_as_events(repo: Path, run: Cli) -> None:
    write_scenarios(repo, scenario("Orders", ("SMS", "Shop"), default=True))
    assert run("plan", "--out", "p.json").code == 0
    result = run("apply", "p.json", "--format", "json")
    assert result.code == 0, result.err
    assert [e["type"] for e in events(result.out)] == ["version", "planned", "applied", "summary"]
    again = run("apply", "p.json", "--format", "json")
    assert again.code == 0
    assert [e["type"] for e in events(again.out)] == ["version", "summary"]
    assert "Saved plan already applied" in again.err
