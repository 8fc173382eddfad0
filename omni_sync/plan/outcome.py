"""What a run over many environments produced, as the renderers need it: per environment its
scenario changes (each with the lines before and after), its unmanaged scenarios, or its error.
Also the one summary line and the one exit-code rule for many environments."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from omni_sync.model.preview import MessagePreview
from omni_sync.model.scenario import Step
from omni_sync.plan.changes import Action, Change, Plan, StepDiff, StepOp
from omni_sync.plan.fields import STEP_SYMBOLS, describe_step, unchanged_steps
from omni_sync.plan.targeting import targets_line


class Status(StrEnum):
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    FAILED = "failed"


def field_lines(name: str, default: bool) -> tuple[str, str]:
    """A scenario's fields as a reviewer reads them, one line each; the flow follows them."""
    return (f"name: {name}", f"default: {'true' if default else 'false'}")


def _plain(step: Step) -> str:
    return f"{step.channel.value} from {step.sender}"


def step_line(step: StepDiff) -> str:
    """``+   2. EMAIL from x``: the symbol, the step's position (where it was, if removed)."""
    position = step.old_position if step.op is StepOp.REMOVE else step.new_position
    return f"{STEP_SYMBOLS[step.op]}   {position}. {describe_step(step, _plain)}"


@dataclass(frozen=True)
class ScenarioChange:
    """One scenario to create or update: its fields before (empty for a create) and after, and
    its flow step by step as the planner aligned it."""

    action: Action
    name: str
    key: str | None
    before: tuple[str, ...]
    after: tuple[str, ...]
    steps: tuple[StepDiff, ...]
    default_before: bool = False
    default_after: bool = False
    old_name: str | None = None

    @property
    def symbol(self) -> str:
        return "+" if self.action is Action.CREATE else "~"

    def diff_lines(self) -> list[str]:
        """Every line, prefixed ``+``/``-``/``~``/`` `` (full context: scenarios are short)."""
        lines: list[str] = []
        matcher = difflib.SequenceMatcher(a=self.before, b=self.after, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                lines.extend(f"  {line}" for line in self.before[i1:i2])
                continue
            lines.extend(f"- {line}" for line in self.before[i1:i2])
            lines.extend(f"+ {line}" for line in self.after[j1:j2])
        lines.append("+ flow:" if self.action is Action.CREATE else "  flow:")
        lines.extend(step_line(step) for step in self.steps)
        return lines


def scenario_change(change: Change) -> ScenarioChange:
    before = change.before
    return ScenarioChange(
        action=change.action,
        name=change.name,
        key=change.key,
        before=field_lines(before.name, before.default) if before is not None else (),
        after=field_lines(change.spec.name, change.spec.default),
        steps=change.steps or unchanged_steps(change.spec.flow),
        default_before=before is not None and before.default,
        default_after=change.spec.default,
        old_name=before.name if before is not None else None,
    )


@dataclass(frozen=True)
class EnvironmentOutcome:
    """One environment's plan as every renderer reads it (its changes, each with its lines,
    and the planner's ``plan`` itself), or the one-line error that stopped it."""

    environment: str
    changes: tuple[ScenarioChange, ...] = ()
    unmanaged: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    error: str | None = None
    notes: tuple[str, ...] = ()
    plan: Plan | None = None
    previews: tuple[MessagePreview, ...] = ()

    @property
    def status(self) -> Status:
        if self.error is not None:
            return Status.FAILED
        return Status.CHANGED if self.changes else Status.UNCHANGED

    def counts(self) -> tuple[int, int]:
        """(to add, to change)."""
        adds = sum(1 for change in self.changes if change.action is Action.CREATE)
        return adds, len(self.changes) - adds

    def plan_line(self) -> str:
        adds, updates = self.counts()
        return f"Plan: {adds} to add, {updates} to change, 0 to destroy."


def outcome_from_plan(plan: Plan) -> EnvironmentOutcome:
    """The renderers' view of one environment's Plan."""
    changes = tuple(scenario_change(change) for change in plan.changes)
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
    unmanaged = tuple(scenario.name for scenario in plan.unmanaged)
    return EnvironmentOutcome(
        plan.environment, changes, unmanaged=unmanaged, notes=notes, plan=plan
    )


def summary_line(outcomes: Iterable[EnvironmentOutcome]) -> str:
    """``N environments: X with changes, Y without, Z failed``."""
    statuses = [outcome.status for outcome in outcomes]
    total = len(statuses)
    return (
        f"{total} environment{'s' if total != 1 else ''}: "
        f"{statuses.count(Status.CHANGED)} with changes, "
        f"{statuses.count(Status.UNCHANGED)} without, "
        f"{statuses.count(Status.FAILED)} failed"
    )


def exit_code(outcomes: Iterable[EnvironmentOutcome], *, detailed: bool) -> int:
    """One rule for many: any error gives 1, else any change gives 2 when detailed, else 0."""
    statuses = {outcome.status for outcome in outcomes}
    if Status.FAILED in statuses:
        return 1
    if detailed and Status.CHANGED in statuses:
        return 2
    return 0
