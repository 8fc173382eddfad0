"""What an apply did with each change: applied, failed (and why), or not attempted."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum

from omni_sync.model.scenario import RemoteScenario
from omni_sync.plan.changes import Action, Change


class Fate(StrEnum):
    APPLIED = "applied"
    FAILED = "failed"
    NOT_ATTEMPTED = "not attempted"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Outcome:
    change: Change
    fate: Fate
    result: RemoteScenario | None = None
    reason: str | None = None
    attempts: int | None = None
    """How many times the failed request was sent, when known."""


@dataclass(frozen=True)
class ApplyCounts:
    """How many of an environment's changes came to each end (``failed`` counts the errors
    that stopped changes too)."""

    added: int = 0
    changed: int = 0
    failed: int = 0
    unknown: int = 0
    not_attempted: int = 0

    def fields(self) -> dict[str, int]:
        """Each count by its name, as ``apply --format json``'s summary holds them."""
        return asdict(self)


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
        return bool(self.errors or any(o.fate is not Fate.APPLIED for o in self.outcomes))

    def counts(self) -> ApplyCounts:
        applied = self.of(Fate.APPLIED)
        added = sum(1 for o in applied if o.change.action is Action.CREATE)
        return ApplyCounts(
            added=added,
            changed=len(applied) - added,
            failed=len(self.of(Fate.FAILED)) + len(self.errors),
            unknown=len(self.of(Fate.UNKNOWN)),
            not_attempted=len(self.of(Fate.NOT_ATTEMPTED)),
        )

    def summary(self) -> str:
        counts = self.counts()
        done = f"{counts.added} added, {counts.changed} changed, 0 destroyed"
        if not self.failed:
            return f"Apply complete! Scenarios: {done}."
        unknown = counts.unknown
        maybe = f", {unknown} may have been created (run plan)" if unknown else ""
        return (
            f"Apply incomplete: {done}; {counts.failed} failed{maybe}, "
            f"{counts.not_attempted} not attempted. "
            "Fix what failed and run apply again to complete the rest."
        )


@dataclass(frozen=True)
class Waiting:
    """A write waiting for the account's write limit: ``seconds`` left (0: it may go now),
    ``pace`` the limit (writes per seconds), and how many of the plan's writes are done."""

    environment: str
    kind: str
    seconds: float
    pace: tuple[int, float]
    done: int
    total: int

    def message(self) -> str:
        limit, window = self.pace
        past = "created" if self.kind == "creates" else "updated"
        return (
            f"{self.environment}: waiting {duration(self.seconds)} for the write limit, "
            f"{limit} {self.kind} per {_window(window)}: {self.done} of {self.total} {past}"
        )


def duration(seconds: float) -> str:
    """4m10s, 42s, 1h05m."""
    whole = max(round(seconds), 1)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


def _window(seconds: float) -> str:
    if seconds % 60 == 0:
        minutes = int(seconds // 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds:g} seconds"


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
        elif outcome.fate is Fate.UNKNOWN:
            lines.append(f"  ? may have been created {named}: {outcome.reason}")
        else:
            lines.append(f"  . not attempted {named}: {outcome.reason}")
    lines.extend(f"  {note}" for note in [*report.notes, *report.errors])
    lines.extend(["", report.summary()])
    return "\n".join(lines) + "\n"
