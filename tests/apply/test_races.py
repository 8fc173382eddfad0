"""Another apply creating the same name at the same moment (simulated by a service that adds a
twin on the first create): the run settles it by the duplicates rule, with one listing."""

from __future__ import annotations

import asyncio
import json

import httpx

from omni_sync.apply.engine import ApplyControl, apply_plan
from omni_sync.apply.report import Fate, render_report
from omni_sync.plan.diff import make_plan
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


def _remote(body: dict[str, object]):  # type: ignore[no-untyped-def]
    from omni_sync.model.scenario import RemoteScenario

    return RemoteScenario.model_validate(body)


def test_no_create_means_no_listing_after_the_plan() -> None:
    service = TwinService(twin_key="A0")
    service.scenarios["K1"] = {"key": "K1", "name": "Orders", "flow": _SMS, "default": False}
    plan = make_plan(desired(spec("Orders", default=True)), [_remote(service.scenarios["K1"])])
    report = asyncio.run(apply_plan(mock_client(service, tries=1), plan, ApplyControl()))
    assert [o.fate for o in report.outcomes] == [Fate.APPLIED]
    assert service.requests == ["PUT /omni/1/scenarios/K1"]
