"""A scenario change as a Mermaid ``flowchart LR`` for the Markdown plan: the flow as it will be
(and, for an update, as it was), the steps added, removed, changed or moved marked with a style,
the account's default scenario marked.

Every label is text a pull request controls (names, senders), so it is written as a quoted
``["..."]`` label in which anything but letters, digits and plain punctuation is an entity code
(``#quot;``, ``#35;``): nothing in it can end the label, the statement or the code block.
"""

from __future__ import annotations

from collections.abc import Sequence

from omni_sync.plan.changes import StepDiff, StepOp
from omni_sync.plan.outcome import ScenarioChange

# Mermaid refuses a diagram past these (its maxTextSize and maxEdges defaults).
MAX_DIAGRAM_CHARACTERS = 50_000
MAX_EDGES = 500
MAX_LABEL = 60
_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:@+_-/()")
_ENTITIES = {'"': "quot", "#": "35", "&": "amp", "<": "lt", ">": "gt"}

# ``default`` would style every node, so the default scenario's class is ``isdefault``.
STYLES = {
    "added": "fill:#dafbe1,stroke:#1a7f37,color:#0f5323",
    "removed": "fill:#ffebe9,stroke:#cf222e,color:#82071e,stroke-dasharray:4 3",
    "changed": "fill:#fff8c5,stroke:#9a6700,color:#4d2d00",
    "moved": "fill:#ddf4ff,stroke:#0969da,color:#0a3069",
    "scenario": "fill:#f6f8fa,stroke:#57606a,color:#24292f",
    "isdefault": "fill:#fbefff,stroke:#8250df,color:#3e1f79,stroke-width:4px",
}
_FRAME = "fill:#ffffff,stroke:#d0d7de"
_BEFORE_CLASS = {StepOp.REMOVE: "removed", StepOp.CHANGE: "changed", StepOp.MOVE: "moved"}
_AFTER_CLASS = {StepOp.ADD: "added", StepOp.CHANGE: "changed", StepOp.MOVE: "moved"}


def quoted(text: str) -> str:
    """``text`` as a quoted Mermaid string, shortened, every unsafe character an entity code."""
    if len(text) > MAX_LABEL:
        text = text[: MAX_LABEL - 1] + "…"
    encoded = (
        char if char in _SAFE else f"#{_ENTITIES.get(char, str(ord(char)))};" for char in text
    )
    return '"' + "".join(encoded) + '"'


def label(text: str) -> str:
    return f"[{quoted(text)}]"


def _step_text(position: int | None, step: StepDiff, before: bool) -> str:
    shown = step.before if before else step.after
    assert shown is not None  # callers pass only the steps present on that side
    text = f"{position}. {shown.channel.value} from {shown.sender}"
    if not before and step.op is StepOp.CHANGE and step.before is not None:
        text += f" (was {step.before.sender})"
    return text


def _chain(
    prefix: str, title: str, start: str, steps: Sequence[StepDiff], before: bool
) -> tuple[list[str], list[str], int]:
    """One side's subgraph: the scenario node, then each step; its lines, styles, edge count."""
    classes = _BEFORE_CLASS if before else _AFTER_CLASS
    lines = [f"  subgraph {prefix}{label(title)}", "    direction LR", f"    {prefix}0{start}"]
    styles: list[str] = []
    previous = f"{prefix}0"
    for number, step in enumerate(steps, start=1):
        position = step.old_position if before else step.new_position
        node = f"{prefix}{number}"
        lines.append(f"    {previous} --> {node}{label(_step_text(position, step, before))}")
        if step.op in classes:
            styles.append(f"  class {node} {classes[step.op]}")
        previous = node
    lines.append("  end")
    styles.append(f"  style {prefix} {_FRAME}")
    return lines, styles, len(steps)


def _start(name: str, default: bool) -> str:
    return f"(({quoted(name + (' (default)' if default else ''))}))"


def flow_diagram(change: ScenarioChange) -> str | None:
    """The Mermaid source for one change, or None when Mermaid would refuse one that long."""
    sides: list[tuple[str, str, str, list[StepDiff], bool, bool]] = []
    if change.action == "update":
        old = sorted(
            (step for step in change.steps if step.before is not None),
            key=lambda step: step.old_position or 0,
        )
        old_name = change.old_name or change.name
        sides.append(("b", "Before", old_name, old, True, change.default_before))
    new = [step for step in change.steps if step.after is not None]
    name = change.name
    if change.old_name is not None and change.old_name != change.name:
        name = f"{name} (renamed)"
    sides.append(("a", "After" if sides else "New", name, new, False, change.default_after))
    body: list[str] = []
    styles: list[str] = []
    edges = 0
    # Mermaid stacks the subgraphs of an LR chart last-declared on top: After first, so Before
    # reads above it.
    for prefix, title, name, steps, before, default in reversed(sides):
        lines, marks, count = _chain(prefix, title, _start(name, default), steps, before)
        body.extend(lines)
        styles.extend(marks)
        styles.append(f"  class {prefix}0 {'isdefault' if default else 'scenario'}")
        edges += count
    used = dict.fromkeys(line.rsplit(" ", 1)[1] for line in styles if " class " in line)
    definitions = [f"  classDef {name} {STYLES[name]}" for name in used]
    text = "\n".join(["flowchart LR", *definitions, *body, *styles])
    if edges > MAX_EDGES or len(text) > MAX_DIAGRAM_CHARACTERS:
        return None
    return text


LEGEND = "green: added · red, dashed: removed · yellow: changed · blue: moved · purple: default"
