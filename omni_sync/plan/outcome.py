"""What the renderers read of one scenario change: its fields before and after, its flow step by
step; and the status of one environment's plan."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import StrEnum

from omni_sync.model.scenario import Step
from omni_sync.plan.changes import Action, Change, StepDiff, StepOp
from omni_sync.plan.fields import STEP_SYMBOLS, describe_step, unchanged_steps


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
