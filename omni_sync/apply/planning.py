"""Reading files and accounts to make plans, for ``plan`` and ``apply``: every environment
concurrently, one failing environment reported on its own without hiding the others."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from omni_sync.client import open_client
from omni_sync.client.omni import Log
from omni_sync.errors import OmniSyncError, Problem, ProblemsFound
from omni_sync.load.project import Project
from omni_sync.load.scenarios import load_desired
from omni_sync.model.environment import Environment
from omni_sync.plan.changes import PlanResult
from omni_sync.plan.diff import make_plan
from omni_sync.plan.outcome import EnvironmentOutcome, outcome_from_plan
from omni_sync.plan.saved import SavedEnvironment


@dataclass(frozen=True)
class EnvironmentPlan:
    """One environment's plan (with the account it was made against) or its error."""

    environment: Environment
    result: PlanResult
    account: str | None = None
    problems: tuple[Problem, ...] = ()
    from_file: bool = False

    @property
    def saved(self) -> SavedEnvironment | None:
        plan = self.result.plan
        if plan is None or self.account is None:
            return None
        return SavedEnvironment(plan, self.account, from_file=self.from_file)

    def outcome(self) -> EnvironmentOutcome:
        if self.result.plan is None:
            return EnvironmentOutcome(self.environment.name, error=self.result.error or "failed")
        return outcome_from_plan(self.result.plan)


def failure(environment: Environment, exc: OmniSyncError) -> EnvironmentPlan:
    message = str(exc)
    problems: tuple[Problem, ...] = ()
    if isinstance(exc, ProblemsFound):
        message = f'environment "{environment.name}": {exc} in the files (run omni-sync validate)'
        problems = exc.problems
    return EnvironmentPlan(environment, PlanResult(environment.name, error=message), None, problems)


async def plan_one(project: Project, environment: Environment, log: Log | None) -> EnvironmentPlan:
    try:
        desired = load_desired(project, environment)
        async with open_client(project, environment, log=log) as client:
            actual = await client.list_scenarios()
            account = client.identity
        plan = make_plan(desired, actual)
    except OmniSyncError as exc:
        return failure(environment, exc)
    return EnvironmentPlan(environment, PlanResult(environment.name, plan), account)


async def plan_all(
    project: Project, environments: Sequence[Environment], log: Log | None = None
) -> list[EnvironmentPlan]:
    return list(await asyncio.gather(*(plan_one(project, env, log) for env in environments)))
