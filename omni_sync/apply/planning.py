"""Reading files and accounts to make plans, for ``plan`` and ``apply``: every environment
concurrently, one failing environment reported on its own without hiding the others."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from omni_sync.apply.policy_gate import files_breaks, plan_breaks
from omni_sync.client import open_client
from omni_sync.client.omni import Log
from omni_sync.errors import OmniSyncError, PlanError, Problem, ProblemsFound
from omni_sync.load.project import Project
from omni_sync.load.scenarios import load_desired
from omni_sync.model.desired import DesiredState
from omni_sync.model.environment import Environment
from omni_sync.plan.account import account_identity
from omni_sync.plan.diff import make_plan
from omni_sync.plan.environment_plan import EnvironmentPlan, from_plan
from omni_sync.plan.saved_check import (
    check_account,
    check_files,
    relevant_upstream,
    remaining,
)
from omni_sync.plan.targeting import targeted, unmatched


def failure(environment: Environment, exc: OmniSyncError) -> EnvironmentPlan:
    message = str(exc)
    problems: tuple[Problem, ...] = ()
    if isinstance(exc, ProblemsFound):
        message = f'environment "{environment.name}": {exc} in the files (run omni-sync validate)'
        problems = exc.problems
    return EnvironmentPlan(environment.name, error=message, settings=environment, problems=problems)


def refused(environment: Environment, broken: Sequence[Problem]) -> EnvironmentPlan:
    """An environment whose files or plan break its policy: nothing planned for it."""
    message = (
        f'environment "{environment.name}": not planned, its policy is broken: {_first(broken)}'
    )
    return EnvironmentPlan(
        environment.name, error=message, settings=environment, problems=tuple(broken)
    )


async def plan_one(
    project: Project,
    environment: Environment,
    log: Log | None,
    targets: Sequence[str] = (),
    notice: Log | None = None,
) -> EnvironmentPlan:
    try:
        desired = load_desired(project, environment)
    except OmniSyncError as exc:
        return failure(environment, exc)
    broken = files_breaks(project, desired)  # offline: refused before the account is asked
    if broken:
        return refused(environment, broken)
    try:
        async with open_client(project.root, environment, log=log, notice=notice) as client:
            actual = await client.list_scenarios()
        plan = targeted(make_plan(desired, actual), targets)
    except OmniSyncError as exc:
        return failure(environment, exc)
    broken = plan_breaks(project, desired, plan)
    if broken:
        return refused(environment, broken)
    return from_plan(
        plan,
        account_identity(environment.base_url),
        relevant_upstream(desired, actual),
        settings=environment,
        unmatched=_unmatched(environment, desired, targets),
        desired=desired,
    )


def _unmatched(
    environment: Environment, desired: DesiredState, targets: Sequence[str]
) -> tuple[str, ...]:
    names = [
        name for item in desired.scenarios for name in (item.spec.name, *item.spec.renamed_from)
    ]
    return tuple(
        f'environment "{environment.name}": --scenario "{pattern}" matches no scenario in its files'
        for pattern in unmatched(targets, names)
    )


async def plan_all(
    project: Project,
    environments: Sequence[Environment],
    log: Log | None = None,
    targets: Sequence[str] = (),
    notice: Log | None = None,
) -> list[EnvironmentPlan]:
    """``notice``: where waits before trying a request again are said as they begin."""
    jobs = (plan_one(project, env, log, targets, notice) for env in environments)
    return list(await asyncio.gather(*jobs))


def _keeps_policy(environment: Environment, broken: Sequence[Problem]) -> None:
    if broken:
        raise PlanError(
            f'environment "{environment.name}": the saved plan is not applied, its policy is '
            f"broken: {_first(broken)}; fix the files or the policy, then plan again"
        )


def _first(broken: Sequence[Problem]) -> str:
    first = broken[0]
    more = f" (and {len(broken) - 1} more)" if len(broken) > 1 else ""
    return f"{first.path}:{first.line}: {first.message}{more}"


async def resume_saved(
    project: Project,
    environment: Environment,
    saved: EnvironmentPlan,
    log: Log | None,
    notice: Log | None = None,
) -> EnvironmentPlan:
    """What is left to apply of a saved plan, checked against the files and the account; the
    account and the files are checked before the credential is sent anywhere."""
    account = account_identity(environment.base_url)
    check_account(saved, account)
    desired = load_desired(project, environment)
    check_files(saved, desired)
    _keeps_policy(environment, files_breaks(project, desired))  # omni-sync.yaml may have moved on
    async with open_client(project.root, environment, log=log, notice=notice) as client:
        actual = await client.list_scenarios()
    left = remaining(saved, desired, actual)
    _keeps_policy(environment, plan_breaks(project, desired, left.plan))
    return from_plan(
        left.plan,
        account,
        left.upstream,
        checked=True,
        settings=environment,
        resumed=left,
    )


async def resume_all(
    project: Project,
    saved: Sequence[tuple[Environment, EnvironmentPlan]],
    log: Log | None = None,
    notice: Log | None = None,
) -> list[EnvironmentPlan | OmniSyncError]:
    """Every environment of a saved plan, concurrently; each one's refusal as its value.
    ``notice``: where waits before trying a request again are said, as ``plan_all``'s."""
    jobs = (resume_saved(project, env, item, log, notice) for env, item in saved)
    results = await asyncio.gather(*jobs, return_exceptions=True)
    found: list[EnvironmentPlan | OmniSyncError] = []
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, OmniSyncError):
            raise result
        found.append(result)
    return found
