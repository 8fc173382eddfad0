from __future__ import annotations

import json

from omni_sync.model.scenario import Channel
from omni_sync.plan.diff import make_plan
from omni_sync.plan.environment_plan import EnvironmentPlan, from_plan
from omni_sync.plan.render_json import FORMAT_VERSION, render_json
from tests.plan.factories import desired, flow, remote, spec


def test_json_holds_actions_before_after_per_environment() -> None:
    plan = make_plan(
        desired(spec("A", flow(Channel.EMAIL), default=True), spec("New")),
        [remote("KA", "A"), remote("KP", "Portal", default=True)],
    )
    document = json.loads(
        render_json(
            [
                from_plan(plan),
                EnvironmentPlan("dev", error="401 UNAUTHORIZED"),
                from_plan(make_plan(desired(env="stage"), [])),
            ]
        )
    )
    assert document["format_version"] == FORMAT_VERSION
    prod, dev, stage = document["environments"]
    assert prod["status"] == "changed"
    assert prod["summary"] == {"add": 1, "change": 1, "destroy": 0}
    create, update = prod["changes"]
    assert create["actions"] == ["create"]
    assert create["before"] is None
    assert create["after"]["name"] == "New"
    assert create["fingerprint"] == "absent"
    assert update["actions"] == ["update"]
    assert update["before"]["flow"] == [{"from": "Shop", "channel": "SMS"}]
    assert update["after"]["flow"] == [{"from": "orders@example.com", "channel": "EMAIL"}]
    assert update["after"]["key"] == "KA"
    assert update["changed_fields"] == ["default", "flow"]
    assert update["promotes_default"] is True
    assert update["source"] == "scenarios.d/0.yaml:1"
    assert prod["default_cleared"]["key"] == "KP"
    assert [u["key"] for u in prod["unmanaged"]] == ["KP"]
    assert dev == {"name": "dev", "status": "failed", "error": "401 UNAUTHORIZED"}
    assert stage["status"] == "unchanged"
    assert stage["changes"] == []
