"""Apply an approved plan to one environment: re-read the account and the files, refuse a stale
plan, then apply exactly the plan that was shown or saved. What is left of a saved plan was
checked against both an instant before (``EnvironmentPlan.checked``) and is not read again."""

from __future__ import annotations

from omni_sync.apply.engine import INTERRUPTED, ApplyControl, apply_plan
from omni_sync.apply.report import ApplyReport, Fate, Outcome
from omni_sync.client import open_client
from omni_sync.client.omni import Log
from omni_sync.client.pacing import Interrupted
from omni_sync.load.project import Project
from omni_sync.load.scenarios import load_desired
from omni_sync.model.environment import Environment
from omni_sync.plan.diff import make_plan
from omni_sync.plan.environment_plan import EnvironmentPlan
from omni_sync.plan.freshness import check_fresh
from omni_sync.plan.targeting import targeted


async def apply_environment(
    project: Project,
    environment: Environment,
    saved: EnvironmentPlan,
    control: ApplyControl,
    log: Log | None = None,
    *,
    notice: Log | None = None,
) -> ApplyReport:
    desired = None if saved.checked else load_desired(project, environment)
    async with open_client(project.root, environment, log=log, notice=notice) as client:
        client.stop = control.stop
        if desired is not None:
            try:
                listed = await client.list_scenarios()
            except Interrupted:
                return _nothing_attempted(saved)
            fresh = targeted(make_plan(desired, listed), saved.planned.targets)
            check_fresh(saved, fresh)
        return await apply_plan(client, saved.planned, control)


def _nothing_attempted(saved: EnvironmentPlan) -> ApplyReport:
    """Stopped while reading the account again: no change was begun."""
    report = ApplyReport(saved.planned.environment)
    report.outcomes.extend(
        Outcome(change, Fate.NOT_ATTEMPTED, reason=INTERRUPTED) for change in saved.planned.changes
    )
    return report
