"""One environment's plan, the one object that flows from planning through rendering to saving
and applying: its ``Plan`` (or the one-line error that stopped it), the lines every renderer
reads, what ``plan --out`` writes and ``apply`` checks, and what planning learnt on the way.
Also the one summary line and the one exit-code rule for many environments."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from omni_sync.errors import Problem
from omni_sync.model.desired import DesiredState
from omni_sync.model.environment import Environment
from omni_sync.model.preview import MessagePreview
from omni_sync.model.scenario import RemoteScenario
from omni_sync.plan.changes import Plan, action_counts, plan_line
from omni_sync.plan.outcome import ScenarioChange, Status, scenario_change
from omni_sync.plan.targeting import targets_line


@dataclass(frozen=True)
class Remaining:
    """What is left of a saved plan: ``plan`` (made from the files and the account as it is now)
    and how many of the saved changes the account already holds."""

    plan: Plan
    applied: int
    total: int
    upstream: tuple[RemoteScenario, ...]
    """The upstream scenarios ``plan`` was made from (those a file could mean, every default)."""


@dataclass(frozen=True)
class EnvironmentPlan:
    """One environment's plan, or the one-line ``error`` that stopped it.

    For the renderers: ``changes`` (each with its lines), ``unmanaged``, ``notes`` and
    ``warnings`` (annotations), all made from ``plan`` by ``from_plan``. For saving and applying:
    ``account`` (the account it was made against), ``upstream`` (the upstream scenarios it was
    planned from: those a file could mean, and every default) and ``checked`` (what is left of a
    saved plan, checked against the files and the account just now, so applying reads neither
    again; else the plan ``apply`` just showed, checked again before it is applied).
    From planning: ``settings`` (absent only for a plan read from a file and not yet resumed),
    ``problems``, ``resumed`` (what is left of a saved plan), ``unmatched`` (each ``--scenario``
    that matched nothing, said as a warning), ``desired`` and ``previews``.
    """

    environment: str
    # Kept out of the repr: asyncio.run formats the finished task, its result included, when it
    # puts back the SIGINT handler; with 10,000 scenarios that took 0.3 s each time.
    changes: tuple[ScenarioChange, ...] = field(default=(), repr=False)
    unmanaged: tuple[str, ...] = field(default=(), repr=False)
    warnings: tuple[str, ...] = ()
    error: str | None = None
    notes: tuple[str, ...] = ()
    plan: Plan | None = field(default=None, repr=False)
    previews: tuple[MessagePreview, ...] = field(default=(), repr=False)
    account: str = ""
    upstream: tuple[RemoteScenario, ...] = field(default=(), repr=False)
    checked: bool = False
    settings: Environment | None = field(default=None, repr=False)
    problems: tuple[Problem, ...] = ()
    resumed: Remaining | None = field(default=None, repr=False)
    unmatched: tuple[str, ...] = ()
    desired: DesiredState | None = field(default=None, repr=False)

    @property
    def planned(self) -> Plan:
        """The plan, for code that is only ever given environments that planned."""
        if self.plan is None:
            raise ValueError(f'environment "{self.environment}" has no plan')
        return self.plan

    @property
    def status(self) -> Status:
        if self.error is not None:
            return Status.FAILED
        return Status.CHANGED if self.changes else Status.UNCHANGED

    def counts(self) -> tuple[int, int]:
        """(to add, to change)."""
        return action_counts(change.action for change in self.changes)

    def plan_line(self) -> str:
        return plan_line(*self.counts())


def from_plan(
    plan: Plan,
    account: str = "",
    upstream: tuple[RemoteScenario, ...] = (),
    *,
    checked: bool = False,
    settings: Environment | None = None,
    resumed: Remaining | None = None,
    unmatched: tuple[str, ...] = (),
    desired: DesiredState | None = None,
) -> EnvironmentPlan:
    """One environment's ``Plan`` with what the renderers read made from it."""
    notes: tuple[str, ...] = ()
    cleared = plan.cleared_default
    promoted = next((change for change in plan.changes if change.promotes_default), None)
    shown = cleared is not None and any(change.key == cleared.key for change in plan.changes)
    if cleared is not None and promoted is not None and not shown:
        notes = (
            f'"{cleared.name}" ({cleared.key}) stops being the default when '
            f'"{promoted.name}" is promoted: the service clears its flag.',
        )
    if plan.targets:
        notes = (targets_line(plan.targets), *notes)
    return EnvironmentPlan(
        plan.environment,
        tuple(scenario_change(change) for change in plan.changes),
        unmanaged=tuple(scenario.name for scenario in plan.unmanaged),
        notes=notes,
        plan=plan,
        account=account,
        upstream=upstream,
        checked=checked,
        settings=settings,
        resumed=resumed,
        unmatched=unmatched,
        desired=desired,
    )


def summary_line(outcomes: Iterable[EnvironmentPlan]) -> str:
    """``N environments: X with changes, Y without, Z failed``."""
    statuses = [outcome.status for outcome in outcomes]
    total = len(statuses)
    return (
        f"{total} environment{'s' if total != 1 else ''}: "
        f"{statuses.count(Status.CHANGED)} with changes, "
        f"{statuses.count(Status.UNCHANGED)} without, "
        f"{statuses.count(Status.FAILED)} failed"
    )


def exit_code(outcomes: Iterable[EnvironmentPlan], *, detailed: bool) -> int:
    """One rule for many: any error gives 1, else any change gives 2 when detailed, else 0."""
    statuses = {outcome.status for outcome in outcomes}
    if Status.FAILED in statuses:
        return 1
    if detailed and Status.CHANGED in statuses:
        return 2
    return 0
