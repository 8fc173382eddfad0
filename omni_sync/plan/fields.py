"""Field-level differences between a remote scenario and its desired spec.

deepdiff finds which fields differ; the flow is then aligned step by step (difflib) so a
reviewer sees steps added, removed, changed in place or moved, as Terraform shows list items.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from omni_sync.model.scenario import RemoteScenario, ScenarioSpec, Step
from omni_sync.plan.changes import FieldChange, StepDiff, StepOp

_SCALARS = ("name", "default")


def _comparable(name: str, flow: Sequence[Step], default: bool) -> dict[str, object]:
    return {"name": name, "default": default, "flow": [step.to_api() for step in flow]}


def differing_fields(before: RemoteScenario, after: ScenarioSpec) -> set[str]:
    """The top-level fields (``name``, ``default``, ``flow``) whose values differ."""
    same = (before.name, before.default, before.flow) == (after.name, after.default, after.flow)
    if same:  # the common case, and DeepDiff is slow enough to matter at 10,000
        return set()
    from deepdiff import DeepDiff  # imported when something differs: 40 ms of a start

    old = _comparable(before.name, before.flow, before.default)
    new = _comparable(after.name, after.flow, after.default)
    diff = DeepDiff(old, new, view="tree")
    found: set[str] = set()
    for levels in diff.values():
        for level in levels:
            found.add(str(level.path(output_format="list")[0]))
    return found


def field_changes(
    before: RemoteScenario, after: ScenarioSpec, fields: set[str]
) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(name, getattr(before, name), getattr(after, name))
        for name in _SCALARS
        if name in fields
    )


def created_steps(flow: Sequence[Step]) -> tuple[StepDiff, ...]:
    return tuple(
        StepDiff(StepOp.ADD, None, step, None, index) for index, step in enumerate(flow, 1)
    )


def flow_diff(before: Sequence[Step], after: Sequence[Step]) -> tuple[StepDiff, ...]:
    """Every step of both flows, in the new order, removed ones where they stood."""
    matcher = difflib.SequenceMatcher(a=list(before), b=list(after), autojunk=False)
    out: list[StepDiff] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        olds = [StepDiff(StepOp.REMOVE, before[i], None, i + 1, None) for i in range(i1, i2)]
        news = [StepDiff(StepOp.ADD, None, after[j], None, j + 1) for j in range(j1, j2)]
        if tag == "equal":
            out.extend(
                StepDiff(StepOp.SAME, before[i], after[j], i + 1, j + 1)
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            )
        else:
            out.extend(_interleave(olds, news))
    return _pair(_moves(out))


def _interleave(olds: list[StepDiff], news: list[StepDiff]) -> list[StepDiff]:
    out: list[StepDiff] = []
    for index in range(max(len(olds), len(news))):
        out.extend(olds[index : index + 1])
        out.extend(news[index : index + 1])
    return out


def _moves(items: list[StepDiff]) -> list[StepDiff]:
    """A step removed in one place and added in another is a move, shown where it lands."""
    removed = [item for item in items if item.op is StepOp.REMOVE]
    result = list(items)
    for gone in removed:
        match = next(
            (item for item in result if item.op is StepOp.ADD and item.after == gone.before),
            None,
        )
        if match is None:
            continue
        moved = StepDiff(
            StepOp.MOVE, gone.before, match.after, gone.old_position, match.new_position
        )
        result[result.index(match)] = moved
        result.remove(gone)
    return result


def _pair(items: list[StepDiff]) -> tuple[StepDiff, ...]:
    """A removal directly followed by an addition is a step changed in place."""
    out: list[StepDiff] = []
    for item in items:
        previous = out[-1] if out else None
        if item.op is StepOp.ADD and previous is not None and previous.op is StepOp.REMOVE:
            out[-1] = StepDiff(
                StepOp.CHANGE, previous.before, item.after, previous.old_position, item.new_position
            )
        else:
            out.append(item)
    return tuple(out)
