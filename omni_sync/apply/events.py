"""``apply --format json``: one JSON object per line for each event of an apply, as
Terraform's ``-json`` UI (docs/apply-json.md describes every type and field).

The first line is ``version``; each change planned is ``planned``; a wait for the write limit
is ``waiting``; each change's fate is ``applied``, ``failed``, ``unknown`` or
``not_attempted`` as it happens; each environment ends with one ``summary``. An environment
that cannot be planned or applied at all is a ``failed`` line without a scenario. Every text
is scrubbed of registered secrets before it is encoded.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from omni_sync import __version__, secrets
from omni_sync.apply.engine import ApplyControl
from omni_sync.apply.progress import LOG_WAIT_EVERY_SECONDS, WaitThrottle
from omni_sync.apply.report import ApplyCounts, ApplyReport, Fate, Outcome, Waiting
from omni_sync.errors import ConfigError
from omni_sync.plan.changes import Action, Change, Plan
from omni_sync.plan.environment_plan import EnvironmentPlan

FORMAT_VERSION = "1.0"
JsonValue = str | int | float | bool | None | list[str]
_TYPES = {
    Fate.APPLIED: "applied",
    Fate.FAILED: "failed",
    Fate.UNKNOWN: "unknown",
    Fate.NOT_ATTEMPTED: "not_attempted",
}
_LEVELS = {"failed": "error", "unknown": "warn", "not_attempted": "warn"}
_SUMMARY_LEVELS = {"failed": "error", "incomplete": "warn"}


class ApplyEvents:
    """Writes each event as one line through ``write`` (the CLI's stdout)."""

    def __init__(
        self,
        write: Callable[[str], None],
        now: Callable[[], float] = time.monotonic,
        every: float = LOG_WAIT_EVERY_SECONDS,
    ) -> None:
        self._write = write
        self._throttle = WaitThrottle(every, now)

    def emit(self, event_type: str, text: str, **fields: JsonValue) -> None:
        """One line: ``text`` is its ``@message``, for people."""
        summary = event_type == "summary"
        levels = _SUMMARY_LEVELS if summary else _LEVELS
        level = levels.get(str(fields.get("status")) if summary else event_type, "info")
        event: dict[str, JsonValue] = {
            "@level": level,
            "@message": secrets.redact(text),
            "@timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "type": event_type,
        }
        for name, value in fields.items():
            event[name] = secrets.redact(value) if isinstance(value, str) else value
        self._write(json.dumps(event, ensure_ascii=False))

    def version(self) -> None:
        self.emit(
            "version",
            f"omni-sync {__version__}",
            format_version=FORMAT_VERSION,
            omni_sync_version=__version__,
        )

    def planned(self, plan: Plan) -> None:
        for change in plan.changes:
            self.emit(
                "planned",
                f'{plan.environment}: "{change.name}": plan to {change.action.value}',
                **_change_fields(plan.environment, change, change.key),
                promotes_default=change.promotes_default,
                source=str(change.source) if change.source is not None else None,
            )

    def planned_all(self, planned: Sequence[EnvironmentPlan]) -> None:
        """Each change planned; an environment that failed to plan, and one with nothing to
        do, ends here with its summary."""
        for item in planned:
            name = item.environment
            if item.plan is None:
                self.environment_failed(name, item.error or "failed to plan")
            elif not item.plan.has_changes:
                self.nothing_applied(name, failed=False, message="No changes.")
            else:
                self.planned(item.plan)

    def environment_failed(self, environment: str, message: str) -> None:
        """The environment could not be planned or applied at all (``message`` says why):
        a ``failed`` line without a scenario, then its summary."""
        self.emit(
            "failed",
            message,
            environment=environment,
            scenario=None,
            action=None,
            key=None,
            attempts=None,
            message=message,
        )
        self.nothing_applied(environment, failed=True, message=message)

    def waiting(self, waiting: Waiting) -> None:
        """When a wait for the write limit begins, then at most every ``every`` seconds."""
        if not self._throttle.due(waiting):
            return
        limit, window = waiting.pace
        self.emit(
            "waiting",
            waiting.message(),
            environment=waiting.environment,
            kind=waiting.kind,
            seconds=round(waiting.seconds, 3),
            limit=limit,
            window_seconds=window,
            done=waiting.done,
            total=waiting.total,
        )

    def outcome(self, environment: str, outcome: Outcome) -> None:
        change = outcome.change
        kind = _TYPES[outcome.fate]
        key = outcome.result.key if outcome.result is not None else change.key
        said = f'{environment}: "{change.name}": {_said(outcome)}'
        fields = _change_fields(environment, change, key)
        if outcome.fate is not Fate.APPLIED:
            fields["attempts"] = outcome.attempts
            fields["message"] = outcome.reason
        self.emit(kind, said + (f": {outcome.reason}" if outcome.reason else ""), **fields)

    def summary(self, report: ApplyReport) -> None:
        self.emit(
            "summary",
            f"{report.environment}: {report.summary()}",
            environment=report.environment,
            status="incomplete" if report.failed else "applied",
            **report.counts().fields(),
            notes=[*report.notes, *report.errors],
        )

    def nothing_applied(self, environment: str, *, failed: bool, message: str) -> None:
        """The summary of an environment with no change to make, or that failed before any."""
        self.emit(
            "summary",
            f"{environment}: {message}",
            environment=environment,
            status="failed" if failed else "no_changes",
            **ApplyCounts().fields(),
            notes=[],
        )


def json_events(write: Callable[[str], None], fmt: str, *, asks: bool) -> ApplyEvents | None:
    """``--format json``'s events, written through ``write``; a question for approval cannot
    share stdout with them, as with Terraform's ``-json``."""
    if fmt != "json":
        return None
    if asks:
        raise ConfigError(
            "apply --format json cannot ask for approval: pass --auto-approve after "
            "reviewing the plan, or apply a plan saved with plan --out"
        )
    events = ApplyEvents(write)
    events.version()
    return events


def observed(control: ApplyControl, environment: str, events: ApplyEvents | None) -> ApplyControl:
    """``control`` for one environment (the same stop and parallelism), also telling
    ``events`` each change's fate and each wait as they happen."""
    if events is None:
        return control

    def done(outcome: Outcome) -> None:
        control.on_done(outcome)
        events.outcome(environment, outcome)

    def wait(waiting: Waiting) -> None:
        control.on_wait(waiting)
        events.waiting(waiting)

    return ApplyControl(control.parallelism, control.stop, done, wait)


def _said(outcome: Outcome) -> str:
    if outcome.fate is Fate.APPLIED:
        return "created" if outcome.change.action is Action.CREATE else "updated"
    return "may have been created" if outcome.fate is Fate.UNKNOWN else outcome.fate.value


def _change_fields(environment: str, change: Change, key: str | None) -> dict[str, JsonValue]:
    return {
        "environment": environment,
        "scenario": change.name,
        "action": change.action.value,
        "key": key,
    }
