"""The Plan and its Change objects: what apply will do to one environment, in order.

A Change carries the fingerprint of the remote scenario it read, so a saved plan can tell when
the account moved on since it was made.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from omni_sync.model.desired import SourceRef
from omni_sync.model.scenario import RemoteScenario, ScenarioSpec, Step

ABSENT = "absent"


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"


def action_counts(actions: Iterable[Action]) -> tuple[int, int]:
    """(to add, to change) of the changes with these actions."""
    listed = list(actions)
    adds = listed.count(Action.CREATE)
    return adds, len(listed) - adds


def plan_line(adds: int, updates: int) -> str:
    """Terraform's summary of a plan with changes."""
    return f"Plan: {adds} to add, {updates} to change, 0 to destroy."


class StepOp(StrEnum):
    SAME = "same"
    ADD = "add"
    REMOVE = "remove"
    CHANGE = "change"
    MOVE = "move"


@dataclass(frozen=True)
class StepDiff:
    """One step of a flow, before and after; positions are 1-based, None where absent."""

    op: StepOp
    before: Step | None
    after: Step | None
    old_position: int | None
    new_position: int | None


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: object
    after: object


def remote_body(scenario: RemoteScenario) -> dict[str, object]:
    return {
        "key": scenario.key,
        "name": scenario.name,
        "flow": [step.to_api() for step in scenario.flow],
        "default": scenario.default,
    }


def fingerprint(scenario: RemoteScenario | None) -> str:
    """What a change read: the remote scenario's content, or its absence."""
    if scenario is None:
        return ABSENT
    canonical = json.dumps(remote_body(scenario), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Change:
    action: Action
    spec: ScenarioSpec
    before: RemoteScenario | None
    fields: tuple[FieldChange, ...]
    steps: tuple[StepDiff, ...]
    source: SourceRef | None = None

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def key(self) -> str | None:
        return self.before.key if self.before is not None else None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.before)

    @property
    def renamed_from(self) -> str | None:
        if self.before is not None and self.before.name != self.spec.name:
            return self.before.name
        return None

    @property
    def promotes_default(self) -> bool:
        return self.spec.default and (self.before is None or not self.before.default)

    @property
    def flow_changed(self) -> bool:
        return any(step.op is not StepOp.SAME for step in self.steps)


@dataclass(frozen=True)
class Plan:
    """One environment's ordered changes: creates, then the default switch, then updates.

    ``cleared_default`` is the account's current default when a change promotes another one:
    the service clears it, and apply makes sure it did. ``targets``: the ``--scenario``
    patterns the plan was limited to (empty: every scenario).
    """

    environment: str
    files_digest: str
    changes: tuple[Change, ...] = ()
    cleared_default: RemoteScenario | None = None
    unmanaged: tuple[RemoteScenario, ...] = ()
    targets: tuple[str, ...] = ()

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)

    def counts(self) -> tuple[int, int]:
        """(to add, to change)."""
        return action_counts(change.action for change in self.changes)

    def summary(self) -> str:
        if not self.changes:
            return "No changes. Your scenarios match the configuration."
        return plan_line(*self.counts())
