"""A planned change keeps the planner's typed Action on its way to the renderers."""

from __future__ import annotations

from omni_sync.model.scenario import Channel
from omni_sync.plan.changes import Action
from omni_sync.plan.diff import make_plan
from omni_sync.plan.environment_plan import from_plan
from tests.plan.factories import desired, flow, remote, spec


def test_each_scenario_change_carries_the_action_enum() -> None:
    plan = make_plan(
        desired(spec("New"), spec("Kept", flow(Channel.VIBER))),
        [remote("K" * 32, "Kept", flow(Channel.SMS))],
    )
    outcome = from_plan(plan)
    assert sorted((c.action, c.name) for c in outcome.changes) == [
        (Action.CREATE, "New"),
        (Action.UPDATE, "Kept"),
    ]
    assert all(type(c.action) is Action for c in outcome.changes)
    assert outcome.counts() == (1, 1)
    assert {c.name: c.symbol for c in outcome.changes} == {"New": "+", "Kept": "~"}
