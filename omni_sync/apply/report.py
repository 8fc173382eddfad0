"""What an apply did with each change: applied, failed (and why), or not attempted."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from omni_sync.model.scenario import RemoteScenario
from omni_sync.plan.changes import Action, Change


class Fate(StrEnum):
    APPLIED = "applied"
    FAILED = "failed"
    NOT_ATTEMPTED = "not attempted"


@dataclass(frozen=True)
class Outcome:
    change: Change
    fate: Fate
    result: RemoteScenario | None = None
    reason: str | None = None


@dataclass
class ApplyReport:
    environment: str
    outcomes: list[Outcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def of(self, fate: Fate) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.fate is fate]

    @property
    def failed(self) -> bool:
        return bool(self.errors or self.of(Fate.FAILED) or self.of(Fate.NOT_ATTEMPTED))

    def summary(self) -> str:
        applied = self.of(Fate.APPLIED)
        added = sum(1 for o in applied if o.change.action is Action.CREATE)
        counts = f"{added} added, {len(applied) - added} changed, 0 destroyed"
        if not self.failed:
            return f"Apply complete! Scenarios: {counts}."
        failed = len(self.of(Fate.FAILED)) + len(self.errors)
        skipped = len(self.of(Fate.NOT_ATTEMPTED))
        return (
            f"Apply incomplete: {counts}; {failed} failed, {skipped} not attempted. "
            "Fix what failed and run apply again to complete the rest."
        )


def render_report(report: ApplyReport) -> str:
    lines = [f'Applied to environment "{report.environment}":']
    for outcome in report.outcomes:
        change = outcome.change
        key = outcome.result.key if outcome.result is not None else change.key
        named = f'"{change.name}"' + (f" ({key})" if key else "")
        if outcome.fate is Fate.APPLIED:
            verb = "+ created" if change.action is Action.CREATE else "~ updated"
            lines.append(f"  {verb} {named}" + (f": {outcome.reason}" if outcome.reason else ""))
        elif outcome.fate is Fate.FAILED:
            lines.append(f"  ! failed {named}: {outcome.reason}")
        else:
            lines.append(f"  . not attempted {named}: {outcome.reason}")
    lines.extend(f"  {note}" for note in [*report.notes, *report.errors])
    lines.extend(["", report.summary()])
    return "\n".join(lines) + "\n"
