from __future__ import annotations

from omni_sync.model.scenario import Channel
from omni_sync.plan.adapt import outcome_of
from omni_sync.plan.changes import PlanResult
from omni_sync.plan.diff import make_plan
from omni_sync.plan.outcome import Status
from omni_sync.plan.render_markdown import render_markdown
from tests.plan.factories import desired, flow, remote, spec


def test_plan_maps_onto_the_markdown_outcome() -> None:
    plan = make_plan(
        desired(spec("A", flow(Channel.EMAIL), default=True), spec("New")),
        [remote("KA", "A", default=True), remote("KP", "Portal")],
    )
    outcome = outcome_of(PlanResult("prod", plan))
    assert outcome.status is Status.CHANGED
    assert [(c.action, c.name, c.key) for c in outcome.changes] == [
        ("create", "New", None),
        ("update", "A", "KA"),
    ]
    assert "- name: A" not in outcome.changes[1].diff_lines()
    assert "+   1. EMAIL from orders@example.com" in outcome.changes[1].diff_lines()
    assert outcome.unmanaged == ("Portal",)
    assert "Plan: 1 to add, 1 to change" in render_markdown([outcome])


def test_failed_environment_maps_to_its_error() -> None:
    outcome = outcome_of(PlanResult("dev", error="boom"))
    assert outcome.status is Status.FAILED
    assert outcome.error == "boom"
