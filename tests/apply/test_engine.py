"""The apply engine against a small fake service, for what the emulator never does: keep the old
default flag after a promotion, and a stop request in the middle."""

from __future__ import annotations

import asyncio
import json

import httpx

from omni_sync.apply.engine import ApplyControl, apply_plan
from omni_sync.apply.report import Fate, render_report
from omni_sync.model.scenario import Channel
from omni_sync.plan.diff import make_plan
from tests.client.mock_account import mock_client
from tests.plan.factories import desired, flow, remote, spec


class Service:
    """Scenarios by key; a promotion does not clear the old default (an unhelpful service)."""

    def __init__(self, *, refuse: set[str] | None = None) -> None:
        self.scenarios = {
            "KO": {
                "key": "KO",
                "name": "Old",
                "flow": [{"from": "Shop", "channel": "SMS"}],
                "default": True,
            },
            "KA": {
                "key": "KA",
                "name": "A",
                "flow": [{"from": "Shop", "channel": "SMS"}],
                "default": False,
            },
        }
        self.refuse = refuse or set()
        self.puts: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and request.url.path == "/omni/1/scenarios":
            return httpx.Response(200, json={"scenarios": list(self.scenarios.values())})
        key = request.url.path.rsplit("/", 1)[-1]
        if request.method == "GET":
            return httpx.Response(200, json=self.scenarios[key])
        body = json.loads(request.content)
        if body["name"] in self.refuse:
            return httpx.Response(
                400,
                json={
                    "requestError": {"serviceException": {"messageId": "BAD_REQUEST", "text": "No"}}
                },
            )
        if request.method == "POST":
            key = f"N{len(self.scenarios)}"
        self.puts.append(f"{request.method} {body['name']} default={body['default']}")
        self.scenarios[key] = {"key": key, **body}
        return httpx.Response(201 if request.method == "POST" else 200, json=self.scenarios[key])


def _plan(*, old_changes: bool = False):  # type: ignore[no-untyped-def]
    old_flow = flow(Channel.VIBER) if old_changes else flow(Channel.SMS)
    return make_plan(
        desired(spec("A", default=True), spec("Old", old_flow), spec("B"), spec("C")),
        [remote("KO", "Old", default=True), remote("KA", "A")],
    )


def test_old_default_is_cleared_when_the_service_leaves_it_set() -> None:
    service = Service()
    report = asyncio.run(apply_plan(mock_client(service, tries=1), _plan(), ApplyControl()))
    assert not report.failed
    assert [s["key"] for s in service.scenarios.values() if s["default"]] == ["KA"]
    assert service.puts[-1] == "PUT Old default=False"
    assert '~ cleared the old default "Old" (KO)' in render_report(report)


def test_failed_promotion_holds_back_the_old_defaults_update() -> None:
    service = Service(refuse={"A"})
    report = asyncio.run(
        apply_plan(mock_client(service, tries=1), _plan(old_changes=True), ApplyControl())
    )
    fates = {o.change.name: o.fate for o in report.outcomes}
    assert fates == {
        "B": Fate.APPLIED,
        "C": Fate.APPLIED,
        "A": Fate.FAILED,
        "Old": Fate.NOT_ATTEMPTED,
    }
    assert service.scenarios["KO"]["default"] is True
    text = render_report(report)
    assert '! failed "A" (KA): environment "prod", scenario "A": PUT' in text
    assert '. not attempted "Old" (KO): waits for the default switch, which failed' in text
    assert "1 failed, 1 not attempted" in text


def test_stop_lets_in_flight_finish_and_leaves_the_rest() -> None:
    service = Service()
    control = ApplyControl(parallelism=1)
    control.on_done = lambda _outcome: control.stop.set()
    report = asyncio.run(apply_plan(mock_client(service, tries=1), _plan(), control))
    assert [o.fate for o in report.outcomes].count(Fate.APPLIED) == 1
    assert all(o.reason == "interrupted before it began" for o in report.of(Fate.NOT_ATTEMPTED))
    assert report.failed
