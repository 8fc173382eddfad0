"""Field-level differences between a remote scenario and its desired spec.

The fields that differ are found by comparing each of the three; the flow is then aligned step
by step (difflib) so a reviewer sees steps added, removed, changed in place or moved, as
Terraform shows list items.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence

from omni_sync.model.scenario import RemoteScenario, ScenarioSpec, Step
from omni_sync.plan.changes import FieldChange, StepDiff, StepOp

_SCALARS = ("name", "default")


def _comparable(name: str, flow: Sequence[Step], default: bool) -> dict[str, object]:
    return {"name": name, "default": default, "flow": [step.to_api() for step in flow]}


def differing_fields(before: RemoteScenario, after: ScenarioSpec) -> set[str]:
    """The top-level fields (``name``, ``default``, ``flow``) whose values differ."""
    if (before.name, before.default, before.flow) == (after.name, after.default, after.flow):
        return set()  # the common case, answered without building anything
    old = _comparable(before.name, before.flow, before.default)
    new = _comparable(after.name, after.flow, after.default)
    return {field for field, value in old.items() if new[field] != value}


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
    """Every step of both flows, in the new order, removed ones where they stood.

    Steps are aligned on their longest common subsequence, so one inserted or removed step is
    one line whatever its position. A step that left one place for another is a move; within
    what differs, a step that kept its channel but not its sender is changed in place.
    """
    matcher = difflib.SequenceMatcher(a=list(before), b=list(after), autojunk=False)
    hunks: list[list[StepDiff]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            hunks.append(
                [
                    StepDiff(StepOp.SAME, before[i], after[j], i + 1, j + 1)
                    for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
                ]
            )
            continue
        olds = [StepDiff(StepOp.REMOVE, before[i], None, i + 1, None) for i in range(i1, i2)]
        news = [StepDiff(StepOp.ADD, None, after[j], None, j + 1) for j in range(j1, j2)]
        hunks.append(olds + news)
    _find_moves(hunks)
    return tuple(item for hunk in hunks for item in _pair_senders(hunk))


def _find_moves(hunks: list[list[StepDiff]]) -> None:
    """A step removed in one place and added in another is a move, shown where it lands."""
    for hunk in hunks:
        for gone in [item for item in hunk if item.op is StepOp.REMOVE]:
            found = next(
                (
                    (other, index)
                    for other in hunks
                    for index, item in enumerate(other)
                    if item.op is StepOp.ADD and item.after == gone.before
                ),
                None,
            )
            if found is None:
                continue
            other, index = found
            landed = other[index]
            other[index] = StepDiff(
                StepOp.MOVE, gone.before, landed.after, gone.old_position, landed.new_position
            )
            hunk.remove(gone)


def _pair_senders(hunk: list[StepDiff]) -> list[StepDiff]:
    """Within one differing stretch, a removed and an added step on the same channel (in the
    same order) are one step whose sender changed; the others stay removed or added."""
    olds = [item for item in hunk if item.op is StepOp.REMOVE]
    news = [item for item in hunk if item.op is not StepOp.REMOVE]
    if not olds or not any(item.op is StepOp.ADD for item in news):
        return hunk
    channels = difflib.SequenceMatcher(
        a=[_channel(item.before) for item in olds],
        b=[_channel(item.after) if item.op is StepOp.ADD else None for item in news],
        autojunk=False,
    )
    out: list[StepDiff] = []
    for tag, i1, i2, j1, j2 in channels.get_opcodes():
        if tag != "equal":
            out.extend([*olds[i1:i2], *news[j1:j2]])
            continue
        out.extend(
            StepDiff(StepOp.CHANGE, old.before, new.after, old.old_position, new.new_position)
            for old, new in zip(olds[i1:i2], news[j1:j2], strict=True)
        )
    return out


def _channel(step: Step | None) -> str | None:
    return step.channel.value if step is not None else None


STEP_SYMBOLS = {
    StepOp.SAME: " ",
    StepOp.ADD: "+",
    StepOp.REMOVE: "-",
    StepOp.CHANGE: "~",
    StepOp.MOVE: "~",
}
"""Each step's symbol, the same in the text, Markdown and JSON (``symbol``) plans."""


def unchanged_steps(flow: Sequence[Step]) -> tuple[StepDiff, ...]:
    return tuple(
        StepDiff(StepOp.SAME, step, step, index, index) for index, step in enumerate(flow, 1)
    )


def describe_step(step: StepDiff, show: Callable[[Step], str]) -> str:
    """A step's line after its symbol: the step, what it became, or where it moved."""
    if step.op is StepOp.REMOVE:
        assert step.before is not None
        return show(step.before)
    assert step.after is not None
    if step.op is StepOp.CHANGE:
        assert step.before is not None
        return f"{show(step.before)} -> {show(step.after)}"
    if step.op is StepOp.MOVE:
        return f"{show(step.after)} (moved from step {step.old_position} to {step.new_position})"
    return show(step.after)
