"""A Plan as the Markdown renderer's EnvironmentOutcome (one line per field and per step)."""

from __future__ import annotations

from omni_sync.plan.changes import Change, PlanResult
from omni_sync.plan.outcome import EnvironmentOutcome, ScenarioChange, scenario_lines


def scenario_change(change: Change) -> ScenarioChange:
    before = change.before
    lines = () if before is None else scenario_lines(before.name, before.flow, before.default)
    after = scenario_lines(change.spec.name, change.spec.flow, change.spec.default)
    return ScenarioChange(change.action.value, change.name, change.key, lines, after)


def outcome_of(result: PlanResult) -> EnvironmentOutcome:
    plan = result.plan
    if plan is None:
        return EnvironmentOutcome(result.environment, error=result.error or "failed")
    return EnvironmentOutcome(
        result.environment,
        changes=tuple(scenario_change(change) for change in plan.changes),
        unmanaged=tuple(remote.name for remote in plan.unmanaged),
    )
