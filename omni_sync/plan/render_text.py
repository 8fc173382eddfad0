"""Plans as text, in Terraform's dialect: a legend of the symbols used, one block per scenario,
``Plan: X to add, Y to change, 0 to destroy.`` or ``No changes. ...``. Colour only when asked."""

from __future__ import annotations

from collections.abc import Iterator

import click

from omni_sync.model.scenario import RemoteScenario, Step
from omni_sync.plan.changes import Action, Change, FieldChange, Plan, StepDiff, StepOp
from omni_sync.plan.fields import STEP_SYMBOLS, describe_step
from omni_sync.plan.targeting import targets_line

_COLORS = {"+": "green", "~": "yellow", "-": "red"}
_LEGEND = {"+": "create", "~": "update in place", "-": "remove (a step of a flow)"}
CLEARED_BY_SERVICE = "cleared by the service"


class _Painter:
    def __init__(self, color: bool) -> None:
        self.color = color

    def symbol(self, symbol: str) -> str:
        if not self.color or symbol == " ":
            return symbol
        return click.style(symbol, fg=_COLORS[symbol], bold=True)

    def bold(self, text: str) -> str:
        return click.style(text, bold=True) if self.color else text


def quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return quote(str(value))


def show_step(step: Step) -> str:
    return f"{step.channel.value} from {quote(step.sender)}"


def symbols_used(plan: Plan) -> list[str]:
    used = {"+" if change.action is Action.CREATE else "~" for change in plan.changes}
    if plan.cleared_default is not None:
        used.add("~")
    steps = (step for change in plan.changes for step in change.steps)
    if any(step.op is StepOp.REMOVE for step in steps):
        used.add("-")
    return [symbol for symbol in _LEGEND if symbol in used]


def render_plan(plan: Plan, *, color: bool = False) -> str:
    """One environment's plan; ends with its summary line."""
    paint = _Painter(color)
    lines = [targets_line(plan.targets), ""] if plan.targets else []
    if not plan.has_changes:
        lines.append(paint.bold(plan.summary()))
    else:
        lines.extend(_legend(plan, paint))
        lines.append(f'omni-sync will perform the following actions in "{plan.environment}":')
        for change in plan.changes:
            lines.append("")
            lines.extend(_change_block(change, plan.cleared_default, paint))
        if plan.cleared_default is not None and _own_change(plan) is None:
            lines.append("")
            lines.extend(_cleared_block(plan, plan.cleared_default, paint))
        lines.extend(["", paint.bold(plan.summary())])
    if plan.unmanaged:
        lines.extend(["", *_unmanaged(plan.unmanaged)])
    return "\n".join(lines) + "\n"


def _own_change(plan: Plan) -> Change | None:
    cleared = plan.cleared_default
    return next((c for c in plan.changes if cleared is not None and c.key == cleared.key), None)


def _legend(plan: Plan, paint: _Painter) -> Iterator[str]:
    yield "Resource actions are indicated with the following symbols:"
    for symbol in symbols_used(plan):
        yield f"  {paint.symbol(symbol)} {_LEGEND[symbol]}"
    yield ""


def _title(change: Change) -> str:
    if change.action is Action.CREATE:
        return f"  # scenario {quote(change.name)} will be created"
    renamed = f" (renamed from {quote(change.renamed_from)})" if change.renamed_from else ""
    return f"  # scenario {quote(change.name)} ({change.key}) will be updated in place{renamed}"


def _change_block(change: Change, cleared: RemoteScenario | None, paint: _Painter) -> Iterator[str]:
    symbol = "+" if change.action is Action.CREATE else "~"
    yield _title(change)
    yield f"  {paint.symbol(symbol)} scenario {quote(change.name)} {{"
    if change.action is Action.CREATE:
        yield f"      {paint.symbol('+')} name    = {show(change.spec.name)}"
        yield f"      {paint.symbol('+')} default = {show(change.spec.default)}"
    else:
        yield f"        key     = {show(change.key)}"
        is_cleared = cleared is not None and cleared.key == change.key
        yield from (_field_line(field, is_cleared, paint) for field in change.fields)
    if change.steps:
        yield f"      {paint.symbol(symbol)} flow    = ["
        yield from (f"          {_step_line(step, paint)}," for step in change.steps)
        yield "        ]"
    yield "    }"


def _field_line(field: FieldChange, cleared: bool, paint: _Painter) -> str:
    note = f" ({CLEARED_BY_SERVICE})" if cleared and field.field == "default" else ""
    padded = field.field.ljust(7)
    return f"      {paint.symbol('~')} {padded} = {show(field.before)} -> {show(field.after)}{note}"


def _step_line(step: StepDiff, paint: _Painter) -> str:
    return f"{paint.symbol(STEP_SYMBOLS[step.op])} {describe_step(step, show_step)}"


def _cleared_block(plan: Plan, cleared: RemoteScenario, paint: _Painter) -> Iterator[str]:
    promoted = next(change for change in plan.changes if change.promotes_default)
    yield (
        f"  # scenario {quote(cleared.name)} ({cleared.key}) stops being the default when "
        f"{quote(promoted.name)} is promoted ({CLEARED_BY_SERVICE})"
    )
    yield f"  {paint.symbol('~')} scenario {quote(cleared.name)} {{"
    yield f"        key     = {show(cleared.key)}"
    yield f"      {paint.symbol('~')} default = true -> false ({CLEARED_BY_SERVICE})"
    yield "    }"


def _unmanaged(unmanaged: tuple[RemoteScenario, ...]) -> Iterator[str]:
    count = len(unmanaged)
    yield (
        f"Unmanaged: {count} scenario{'s' if count != 1 else ''} in the account, in no file "
        "(the API cannot delete them; omni-sync leaves them alone):"
    )
    for remote in unmanaged:
        default = ", the default" if remote.default else ""
        yield f"  {quote(remote.name)} ({remote.key}{default})"
