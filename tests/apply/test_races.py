"""Duplicated names: another apply creating the same name at the same moment (simulated by a
service that adds a twin on the first create) is settled by the run with one listing; twins
already upstream are settled by the next plan, or by a pinned key."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest

from omni_sync.apply.engine import ApplyControl, apply_plan
from omni_sync.apply.report import Fate, render_report
from omni_sync.emulator.harness import EmulatorAccount, EmulatorHarness
from omni_sync.emulator.scenario_store import ScenarioInput
from omni_sync.model.scenario import Channel, RemoteScenario, Step
from omni_sync.plan.diff import make_plan
from tests.accounts import add_environment, scenario, write_scenarios
from tests.apply.conftest import Cli
from tests.client.mock_account import mock_client
from tests.plan.factories import desired, spec

_SMS = [{"from": "Shop", "channel": "SMS"}]


class TwinService:
    """Keys ``M1``, ``M2``...; just before the first create of ``Orders`` lands, a twin with
    ``twin_key`` does, as another apply's would; the newest default clears the others."""

    def __init__(self, twin_key: str) -> None:
        self.twin_key = twin_key
        self.scenarios: dict[str, dict[str, object]] = {}
        self.requests: list[str] = []

    def _store(self, key: str, body: dict[str, object]) -> dict[str, object]:
        if body.get("default"):
            for other in self.scenarios.values():
                other["default"] = False
        self.scenarios[key] = {"key": key, **body}
        return self.scenarios[key]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(f"{request.method} {request.url.path}")
        if request.method == "GET":
            return httpx.Response(200, json={"scenarios": list(self.scenarios.values())})
        body = json.loads(request.content)
        if request.method == "PUT":
            key = request.url.path.rsplit("/", 1)[-1]
            return httpx.Response(200, json=self._store(key, body))
        if body["name"] == "Orders" and self.twin_key not in self.scenarios:
            self._store(self.twin_key, body)
        created = self._store(f"M{len(self.scenarios) + 1}", body)
        return httpx.Response(201, json=created)


def _apply(service: TwinService) -> str:
    plan = make_plan(desired(spec("Orders", default=True), spec("Other")), [])
    report = asyncio.run(apply_plan(mock_client(service, tries=1), plan, ApplyControl()))
    assert not report.failed, render_report(report)
    return render_report(report)


def test_a_twin_whose_key_sorts_first_stays_and_ours_is_retired() -> None:
    service = TwinService(twin_key="A0")
    text = _apply(service)
    ours = next(
        key for key, s in service.scenarios.items() if key.startswith("M") and s["name"] != "Other"
    )
    assert service.scenarios[ours]["name"] == f"Orders (retired by omni-sync {ours})"
    assert service.scenarios[ours]["default"] is False
    assert service.scenarios["A0"]["name"] == "Orders"
    assert service.scenarios["A0"]["default"] is True
    assert (
        f'+ created "Orders" ({ours}): then retired as "Orders (retired by omni-sync {ours})": '
        'another apply created "Orders" (A0) at the same time, which stays'
    ) in text
    assert "Nothing more was created" not in text
    assert service.requests.count("GET /omni/1/scenarios") == 1


def test_our_scenario_stays_when_its_key_sorts_first() -> None:
    service = TwinService(twin_key="Z9")
    text = _apply(service)
    names = sorted(str(s["name"]) for s in service.scenarios.values())
    assert names == ["Orders", "Orders", "Other"]
    assert '= "Orders" (M' in text
    assert (
        "another apply created it too (Z9); that apply or the next plan retires the others" in text
    )
    plan = make_plan(
        desired(spec("Orders", default=True), spec("Other")),
        [_remote(s) for s in service.scenarios.values()],
    )
    (retire,) = plan.changes
    assert (retire.key, retire.name) == ("Z9", "Orders (retired by omni-sync Z9)")


def _remote(body: dict[str, object]) -> RemoteScenario:
    return RemoteScenario.model_validate(body)


def test_no_create_means_no_listing_after_the_plan() -> None:
    service = TwinService(twin_key="A0")
    service.scenarios["K1"] = {"key": "K1", "name": "Orders", "flow": _SMS, "default": False}
    plan = make_plan(desired(spec("Orders", default=True)), [_remote(service.scenarios["K1"])])
    report = asyncio.run(apply_plan(mock_client(service, tries=1), plan, ApplyControl()))
    assert [o.fate for o in report.outcomes] == [Fate.APPLIED]
    assert service.requests == ["PUT /omni/1/scenarios/K1"]


def _seed_twins(emulator: EmulatorHarness, account: EmulatorAccount) -> list[str]:
    """Two scenarios named Orders; the one whose key sorts last is the account's default."""
    flow = (Step(channel=Channel.SMS, sender="Shop"),)
    for _ in range(2):
        emulator.state.scenarios.create(
            account.account_id, ScenarioInput(flow=flow, name="Orders", default=False)
        )
    keys = sorted(remote.key for remote in emulator.scenarios(account))
    made_default = ScenarioInput(flow=flow, name="Orders", default=True)
    assert emulator.state.scenarios.update(account.account_id, keys[1], made_default)
    return keys


def test_a_later_plan_proposes_the_repair_and_a_saved_plan_applies_it(
    repo: Path, run: Cli, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = add_environment(repo, emulator, monkeypatch)
    first, second = _seed_twins(emulator, account)
    write_scenarios(repo, scenario("Orders", ("VIBER", "3045"), default=True))
    shown = run("plan", "--out", "plan.json")
    assert shown.code == 0, shown.err
    assert f'scenario "Orders (retired by omni-sync {second[:8]})" ({second})' in shown.out
    assert "Plan: 0 to add, 2 to change, 0 to destroy." in shown.out
    refused = run("apply", "plan.json")
    assert refused.code == 1
    assert (
        f'switches the default scenario from "Orders" ({second}) to "Orders" ({first})'
        in refused.err
    )
    applied = run("apply", "plan.json", "--force")
    assert applied.code == 0, applied.out + applied.err
    upstream = {remote.key: remote for remote in emulator.scenarios(account)}
    assert (upstream[first].name, upstream[first].default) == ("Orders", True)
    assert upstream[first].flow == (Step(channel=Channel.VIBER, sender="3045"),)
    assert upstream[second].name == f"Orders (retired by omni-sync {second[:8]})"
    assert upstream[second].default is False
    again = run("plan", "--detailed-exitcode")
    assert again.code == 0, again.out + again.err
    assert "No changes." in again.out


def test_a_pinned_key_keeps_the_other_twin(
    repo: Path, run: Cli, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = add_environment(repo, emulator, monkeypatch)
    first, second = _seed_twins(emulator, account)
    write_scenarios(repo, scenario("Orders", default=True, key=second))
    applied = run("apply", "--auto-approve")  # the pinned one is already the default
    assert applied.code == 0, applied.out + applied.err
    upstream = {remote.key: remote for remote in emulator.scenarios(account)}
    assert (upstream[second].name, upstream[second].default) == ("Orders", True)
    assert upstream[first].name == f"Orders (retired by omni-sync {first[:8]})"
    assert run("plan", "--detailed-exitcode").code == 0


def test_a_stop_during_the_race_check_leaves_a_note_not_a_crash() -> None:
    service = TwinService(twin_key="A0")
    plan = make_plan(desired(spec("Orders", default=True), spec("Other")), [])
    control = ApplyControl()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            control.stop.set()  # arrives while the race check's listing is in flight
        return service(request)

    report = asyncio.run(apply_plan(mock_client(handler, tries=1), plan, control))
    text = render_report(report)
    assert "interrupted: the checks after the changes" in text
    assert "run plan, which shows anything left to do" in text
    assert [o.fate for o in report.outcomes] == [Fate.APPLIED, Fate.APPLIED]
    assert service.requests.count("GET /omni/1/scenarios") == 1
    assert not any(r.startswith("PUT") for r in service.requests)
