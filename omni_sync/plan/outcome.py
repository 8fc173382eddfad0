"""What a run over many environments produced, as the renderers need it: per environment its
scenario changes (each with the lines before and after), its unmanaged scenarios, or its error.
Also the one summary line and the one exit-code rule for many environments."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from omni_sync.model.scenario import RemoteScenario, ScenarioSpec, Step
from omni_sync.plan.changes import Plan


class Status(StrEnum):
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    FAILED = "failed"


def scenario_lines(name: str, flow: Sequence[Step], default: bool) -> tuple[str, ...]:
    """A scenario as a reviewer reads it: one line per field, one per step, in order."""
    steps = (
        f"  {index}. {step.channel.value} from {step.sender}" for index, step in enumerate(flow, 1)
    )
    return (f"name: {name}", f"default: {'true' if default else 'false'}", "flow:", *steps)


@dataclass(frozen=True)
class ScenarioChange:
    """One scenario to create or update; ``before`` is empty for a create."""

    action: str
    name: str
    key: str | None
    before: tuple[str, ...]
    after: tuple[str, ...]

    @property
    def symbol(self) -> str:
        return "+" if self.action == "create" else "~"

    def diff_lines(self) -> list[str]:
        """Every line, prefixed ``+``/``-``/`` `` (full context: scenarios are short)."""
        lines: list[str] = []
        matcher = difflib.SequenceMatcher(a=self.before, b=self.after, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                lines.extend(f"  {line}" for line in self.before[i1:i2])
                continue
            lines.extend(f"- {line}" for line in self.before[i1:i2])
            lines.extend(f"+ {line}" for line in self.after[j1:j2])
        return lines


@dataclass(frozen=True)
class EnvironmentOutcome:
    """One environment's plan (its changes) or the one-line error that stopped it."""

    environment: str
    changes: tuple[ScenarioChange, ...] = ()
    unmanaged: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    error: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def status(self) -> Status:
        if self.error is not None:
            return Status.FAILED
        return Status.CHANGED if self.changes else Status.UNCHANGED

    def counts(self) -> tuple[int, int]:
        """(to add, to change)."""
        adds = sum(1 for change in self.changes if change.action == "create")
        return adds, len(self.changes) - adds

    def plan_line(self) -> str:
        adds, updates = self.counts()
        return f"Plan: {adds} to add, {updates} to change, 0 to destroy."


def _lines(scenario: RemoteScenario | ScenarioSpec) -> tuple[str, ...]:
    return scenario_lines(scenario.name, scenario.flow, scenario.default)


def outcome_from_plan(plan: Plan) -> EnvironmentOutcome:
    """The renderers' view of one environment's Plan."""
    changes = tuple(
        ScenarioChange(
            action=change.action.value,
            name=change.name,
            key=change.key,
            before=_lines(change.before) if change.before is not None else (),
            after=_lines(change.spec),
        )
        for change in plan.changes
    )
    notes: tuple[str, ...] = ()
    cleared = plan.cleared_default
    promoted = next((change for change in plan.changes if change.promotes_default), None)
    shown = cleared is not None and any(change.key == cleared.key for change in plan.changes)
    if cleared is not None and promoted is not None and not shown:
        notes = (
            f'"{cleared.name}" ({cleared.key}) stops being the default when '
            f'"{promoted.name}" is promoted: the service clears its flag.',
        )
    unmanaged = tuple(scenario.name for scenario in plan.unmanaged)
    return EnvironmentOutcome(plan.environment, changes, unmanaged=unmanaged, notes=notes)


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
