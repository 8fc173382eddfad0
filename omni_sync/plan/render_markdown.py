"""Plans as Markdown for a pull-request comment (``--format markdown``) and for GitHub Actions
(``--format github``: the Markdown for the step summary, problems as annotations).

The verdict and the per-environment summary come first and are never cut. The details follow,
each scenario's change as a ``diff`` block GitHub colours, long ones folded in ``<details>``. When
everything does not fit a GitHub comment, later changes lose their diff, then their line, and a
note under the summary says how many were left out.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

from omni_sync.plan.diagrams import LEGEND, flow_diagram
from omni_sync.plan.environment_plan import EnvironmentPlan, summary_line
from omni_sync.plan.limits import GITHUB_COMMENT_LIMIT
from omni_sync.plan.outcome import ScenarioChange, Status
from omni_sync.plan.render_previews import preview_lines
from omni_sync.workflow_commands import workflow_command

FOLD_AFTER_LINES = 12
# Names always sit mid-line, so only inline syntax needs escaping (not # + - . at a line start).
_MARKDOWN_PUNCTUATION = frozenset("\\`*_[]|~")
_ICONS = {Status.CHANGED: "📝", Status.UNCHANGED: "✅", Status.FAILED: "❌"}


def inline(text: str) -> str:
    """``text`` as literal inline Markdown: no emphasis, links, HTML or table breaks."""
    out = []
    for char in text:
        if char in "&<>":
            out.append(html.escape(char))
        elif char in _MARKDOWN_PUNCTUATION:
            out.append("\\" + char)
        elif char in "\r\n":
            out.append(" ")
        else:
            out.append(char)
    return "".join(out)


def code(text: str) -> str:
    return f"<code>{inline(text)}</code>"


def fenced(lines: Sequence[str], language: str = "") -> str:
    longest = max((_backtick_run(line) for line in lines), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([fence + language, *lines, fence])


def _backtick_run(line: str) -> int:
    best = run = 0
    for char in line:
        run = run + 1 if char == "`" else 0
        best = max(best, run)
    return best


def verdict(outcomes: Sequence[EnvironmentPlan]) -> str:
    statuses = [outcome.status for outcome in outcomes]
    if Status.FAILED in statuses:
        failed = statuses.count(Status.FAILED)
        return f"❌ **omni-sync plan failed** for {failed} of {len(statuses)} environments."
    if Status.CHANGED in statuses:
        return "📝 **omni-sync plan: changes to apply.**"
    return "✅ **No changes.** Every account matches the configuration."


def _result(outcome: EnvironmentPlan) -> str:
    if outcome.status is Status.FAILED:
        return "failed"
    if outcome.status is Status.UNCHANGED:
        return "no changes"
    adds, updates = outcome.counts()
    return f"{adds} to add, {updates} to change"


def summary(outcomes: Sequence[EnvironmentPlan]) -> str:
    rows = [
        f"| {code(outcome.environment)} | {_ICONS[outcome.status]} {_result(outcome)} |"
        for outcome in outcomes
    ]
    table = "\n".join(["| Environment | Plan |", "| --- | --- |", *rows])
    return f"{verdict(outcomes)}\n\n**{summary_line(outcomes)}**\n\n{table}"


def change_title(change: ScenarioChange) -> str:
    key = f" ({code(change.key)})" if change.key else ""
    return f"<b>{change.symbol} {change.action}</b> {code(change.name)}{key}"


def change_detail(change: ScenarioChange) -> str:
    lines = change.diff_lines()
    block = fenced(lines, "diff")
    if len(lines) <= FOLD_AFTER_LINES:
        return f"{change_title(change)}\n\n{block}"
    return (
        f"<details><summary>{change_title(change)}: {len(lines)} lines</summary>\n\n"
        f"{block}\n\n</details>"
    )


def change_line(change: ScenarioChange) -> str:
    return f"- {change_title(change)}"


def _environment_head(outcome: EnvironmentPlan) -> str:
    head = f"### {_ICONS[outcome.status]} {inline(outcome.environment)}"
    if outcome.status is Status.FAILED:
        return f"{head}\n\n**Failed:**\n\n{fenced([outcome.error or ''])}"
    if outcome.status is Status.UNCHANGED:
        return f"{head}\n\nNo changes. The account matches the configuration."
    notes = "".join(f"\n\n> {inline(note)}" for note in outcome.notes)
    return f"{head}\n\n{outcome.plan_line()}{notes}"


def _unmanaged(outcome: EnvironmentPlan) -> str:
    names = "\n".join(f"- {code(name)}" for name in outcome.unmanaged)
    count = len(outcome.unmanaged)
    return (
        f"<details><summary>{count} unmanaged scenario{'s' if count != 1 else ''} "
        "(in the account, in no file; the API cannot delete them)</summary>\n\n"
        f"{names}\n\n</details>"
    )


@dataclass
class _Part:
    """One piece of the details: its short form, and the longer ones it becomes if room allows
    (a change's diff, then its diagram too), each made only when asked: a large plan's diffs
    mostly never fit."""

    short: str
    makers: tuple[Callable[[], str], ...]
    change: bool = True
    made: dict[int, str] = field(default_factory=dict)

    @property
    def top(self) -> int:
        return len(self.makers)

    def form(self, level: int) -> str:
        if level == 0:
            return self.short
        if level not in self.made:
            self.made[level] = self.makers[level - 1]()
        return self.made[level]

    @property
    def full(self) -> str:
        return self.form(self.top)


def _cost(text: str) -> int:
    return len(text) + 2  # and the blank line after it


def _wanted(section: Sequence[_Part], cap: int) -> int:
    """The room ``section`` would take in full, counted no further than past ``cap`` (its
    lines first: when they alone pass it, no diff needs to be made)."""
    total = sum(_cost(part.short) for part in section if part.change)
    for part in section:
        if total > cap:
            break
        total += _cost(part.full) - (_cost(part.short) if part.change else 0)
    return total


def fair_shares(costs: Sequence[int], budget: int) -> list[int]:
    """Split ``budget`` so that each asks for what it needs when that fits its fair share,
    and what the small ones leave goes to the big ones (no one big plan hides the others)."""
    shares = [0] * len(costs)
    left = max(budget, 0)
    order = sorted(range(len(costs)), key=lambda index: costs[index])
    for position, index in enumerate(order):
        shares[index] = min(costs[index], left // (len(costs) - position))
        left -= shares[index]
    return shares


@dataclass
class _Layout:
    """Every change gets its line first, each environment within its share of the room; then,
    the same way, as many as fit get their diff, and then their diagram: within an environment
    every diagram goes before any diff does. Room one environment leaves goes to the rest."""

    left: int
    heads: list[tuple[str, list[_Part]]] = field(default_factory=list)
    shown: dict[tuple[int, int], int] = field(default_factory=dict)
    dropped: int = 0
    folded: int = 0
    undrawn: int = 0

    def pack(self) -> list[str]:
        self.left -= sum(len(head) + 2 for head, _ in self.heads)
        lines = [sum(_cost(p.short) for p in section if p.change) for _, section in self.heads]
        # No share can pass what the lines alone would leave each: count no further than that.
        cap = max(fair_shares(lines, self.left), default=0) if sum(lines) > self.left else self.left
        wanted = [_wanted(section, cap) for _, section in self.heads]
        levels = range(1, 1 + max((p.top for _, s in self.heads for p in s), default=0))
        for env, share in enumerate(fair_shares(wanted, self.left)):
            room = self._take_lines(env, share)
            for level in levels:
                room = self._upgrade(env, room, level)
        for env in range(len(self.heads)):  # the room the shares left unused, in order
            self._take_lines(env, self.left)
        for level in levels:
            for env in range(len(self.heads)):
                self._upgrade(env, self.left, level)
        parts = [
            (self.shown.get((env, index)), part)
            for env, (_, section) in enumerate(self.heads)
            for index, part in enumerate(section)
            if part.change
        ]
        self.dropped = sum(shown is None for shown, _ in parts)
        self.folded = sum(shown == 0 for shown, _ in parts)
        self.undrawn = sum(shown == 1 and part.top > 1 for shown, part in parts)
        return self._assemble()

    def _take_lines(self, env: int, room: int) -> int:
        """Lines in order within ``room``; returns what is left of it."""
        for index, part in enumerate(self.heads[env][1]):
            if not part.change or (env, index) in self.shown:
                continue
            if _cost(part.short) > min(room, self.left):
                break  # a later change never keeps its name when an earlier one lost it
            self.shown[env, index] = 0
            room -= _cost(part.short)
            self.left -= _cost(part.short)
        return room

    def _upgrade(self, env: int, room: int, level: int) -> int:
        """Parts grow to form ``level`` in order within ``room``, up to the first that does not
        fit; returns what is left of it."""
        for index, part in enumerate(self.heads[env][1]):
            now = self.shown.get((env, index))
            if part.change and now is None:
                break  # its line did not fit, nor will any later one's
            if level > part.top or (now is not None and now >= level):
                continue
            if part.change and now != level - 1:
                break  # an earlier form did not fit
            extra = _cost(part.form(level)) - (_cost(part.form(now)) if now is not None else 0)
            if extra > min(room, self.left):
                break
            self.shown[env, index] = level
            room -= extra
            self.left -= extra
        return room

    def _assemble(self) -> list[str]:
        out: list[str] = []
        for env, (head, section) in enumerate(self.heads):
            out.append(head)
            for index, part in enumerate(section):
                level = self.shown.get((env, index))
                if level is not None and part.form(level):
                    out.append(part.form(level))
        return out


def _note(layout: _Layout, total: int, limit: int) -> str:
    left_out = layout.folded + layout.dropped
    return (
        f"> [!WARNING]\n> Truncated to fit {limit:,} characters: the details of {left_out} of "
        f"{total} changes are not shown ({layout.dropped} not even by name). "
        "Run `omni-sync plan` to see them all."
    )


_NOTE_RESERVE = 400


def drawn(change: ScenarioChange) -> str:
    """The change with its diagram above its diff (the diff folded when long); just the diff
    when Mermaid could not draw a flow that long."""
    diagram = flow_diagram(change)
    if diagram is None:
        return change_detail(change)
    lines = change.diff_lines()
    block = fenced(lines, "diff")
    if len(lines) > FOLD_AFTER_LINES:
        block = f"<details><summary>The diff: {len(lines)} lines</summary>\n\n{block}\n\n</details>"
    picture = fenced(diagram.splitlines(), "mermaid")
    return f"{change_title(change)}\n\n{picture}\n\n<sub>{LEGEND}</sub>\n\n{block}"


def _sections(outcome: EnvironmentPlan, diagrams: bool) -> list[_Part]:
    parts = [
        _Part(
            change_line(change),
            (partial(change_detail, change), *([partial(drawn, change)] if diagrams else [])),
        )
        for change in outcome.changes
    ]
    if outcome.unmanaged:
        parts.append(_Part("", (partial(_unmanaged, outcome),), change=False))
    if outcome.previews:
        parts.append(_Part("", (partial(_previews, outcome),), change=False))
    return parts


def _previews(outcome: EnvironmentPlan) -> str:
    count = len(outcome.previews)
    changes = "; ".join(
        dict.fromkeys(
            change
            for preview in outcome.previews
            for step in preview.steps
            if (change := step.change()) and not change.endswith(": unchanged")
        )
    )
    return (
        f"<details open><summary>Message preview{'s' if count != 1 else ''} "
        f"({count}): {inline(changes) or 'no change to what is sent'}</summary>\n\n"
        f"{fenced(preview_lines(outcome.previews))}\n\n</details>"
    )


def _undrawn_note(layout: _Layout, limit: int) -> str:
    count = layout.undrawn
    return (
        f"> [!NOTE]\n> {count} flow diagram{'s are' if count != 1 else ' is'} left out to fit "
        f"{limit:,} characters; every change's diff is shown."
    )


def render_markdown(
    outcomes: Sequence[EnvironmentPlan],
    *,
    limit: int = GITHUB_COMMENT_LIMIT,
    diagrams: bool = True,
) -> str:
    """The whole report in at most ``limit`` characters, unless the summary and the headings
    of the environments alone are longer: those are never cut. ``diagrams`` draws each
    change's flow (Mermaid), room allowing."""
    head = summary(outcomes)
    layout = _Layout(left=limit - len(head) - _NOTE_RESERVE)
    layout.heads = [
        (_environment_head(outcome), _sections(outcome, diagrams)) for outcome in outcomes
    ]
    details = layout.pack()
    total = sum(len(outcome.changes) for outcome in outcomes)
    parts = [head]
    if layout.folded or layout.dropped:
        parts.append(_note(layout, total, limit))
    elif layout.undrawn:
        parts.append(_undrawn_note(layout, limit))
    return "\n\n".join([*parts, *details]) + "\n"


def annotation(level: str, title: str, message: str) -> str:
    """A GitHub Actions workflow command (``::error title=...::message``)."""
    return workflow_command(level, message, title=title)


def github_annotations(outcomes: Sequence[EnvironmentPlan]) -> list[str]:
    """Problems for the run's annotations: each failed environment, each warning."""
    lines = []
    for outcome in outcomes:
        title = f"omni-sync plan ({outcome.environment})"
        if outcome.error is not None:
            lines.append(annotation("error", title, outcome.error))
        lines.extend(annotation("warning", title, warning) for warning in outcome.warnings)
    return lines
