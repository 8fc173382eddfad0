"""desired + actual -> Plan. Pure: no I/O, the same inputs always give the same plan.

Scenarios are matched by name within the environment, then by ``renamed_from``. Two upstream
scenarios that a file could mean are an error, never a guess.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from omni_sync.errors import PlanError
from omni_sync.model.desired import DesiredScenario, DesiredState, SourceRef
from omni_sync.model.scenario import RemoteScenario, ScenarioSpec
from omni_sync.plan.changes import Action, Change, Plan
from omni_sync.plan.fields import created_steps, differing_fields, field_changes, flow_diff


def make_plan(desired: DesiredState, actual: Sequence[RemoteScenario]) -> Plan:
    environment = desired.environment.name
    by_name: dict[str, list[RemoteScenario]] = defaultdict(list)
    for remote in actual:
        by_name[remote.name].append(remote)
    matches = _match(environment, desired.scenarios, by_name)
    changes = [change for item, remote in matches if (change := _change(item, remote)) is not None]
    if any(change.promotes_default for change in changes):
        changes = [change for change in changes if not _only_clears_default(change)]
    matched = {remote.key for _, remote in matches if remote is not None}
    unmanaged = sorted(
        (remote for remote in actual if remote.key not in matched),
        key=lambda remote: (remote.name, remote.key),
    )
    return Plan(
        environment=environment,
        files_digest=desired.files_digest,
        changes=_ordered(changes),
        cleared_default=_cleared_default(changes, actual),
        unmanaged=tuple(unmanaged),
    )


def _match(
    environment: str,
    scenarios: Sequence[DesiredScenario],
    by_name: dict[str, list[RemoteScenario]],
) -> list[tuple[DesiredScenario, RemoteScenario | None]]:
    problems: list[str] = []
    pairs: list[tuple[DesiredScenario, RemoteScenario | None]] = []
    for item in scenarios:
        candidates = by_name.get(item.spec.name, [])
        if not candidates:
            candidates = [
                remote for old in item.spec.renamed_from for remote in by_name.get(old, [])
            ]
        if len(candidates) > 1:
            problems.append(_ambiguity(item, candidates))
            continue
        pairs.append((item, candidates[0] if candidates else None))
    if problems:
        raise PlanError(f'environment "{environment}": ' + "; ".join(problems))
    return pairs


def _ambiguity(item: DesiredScenario, candidates: Sequence[RemoteScenario]) -> str:
    described = ", ".join(f'"{remote.name}" ({remote.key})' for remote in candidates)
    where = f" ({item.source})" if item.source else ""
    return (
        f'scenario "{item.spec.name}"{where} could mean {len(candidates)} scenarios upstream: '
        f"{described}; omni-sync will not guess. Rename all but one of them in the Infobip "
        "portal, then plan again"
    )


def _change(item: DesiredScenario, remote: RemoteScenario | None) -> Change | None:
    return change_for(item.spec, remote, item.source)


def change_for(
    spec: ScenarioSpec, remote: RemoteScenario | None, source: SourceRef | None
) -> Change | None:
    """The change that makes ``remote`` (None: absent) match ``spec``; None when it does."""
    if remote is None:
        return Change(Action.CREATE, spec, None, (), created_steps(spec.flow), source)
    fields = differing_fields(remote, spec)
    if not fields:
        return None
    steps = flow_diff(remote.flow, spec.flow) if "flow" in fields else ()
    return Change(Action.UPDATE, spec, remote, field_changes(remote, spec, fields), steps, source)


def _only_clears_default(change: Change) -> bool:
    """The old default's flag is cleared by the promotion itself: not a change of its own."""
    return [(f.field, f.before, f.after) for f in change.fields] == [("default", True, False)] and (
        not change.steps
    )


_PHASES = {Action.CREATE: 0, Action.UPDATE: 2}


def _ordered(changes: Sequence[Change]) -> tuple[Change, ...]:
    """Creates, then the change that promotes the default, then updates; by name within each."""

    def rank(change: Change) -> tuple[int, str, str]:
        phase = 1 if change.promotes_default else _PHASES[change.action]
        return (phase, change.name, change.key or "")

    return tuple(sorted(changes, key=rank))


def _cleared_default(
    changes: Sequence[Change], actual: Sequence[RemoteScenario]
) -> RemoteScenario | None:
    if not any(change.promotes_default for change in changes):
        return None
    promoted = {change.key for change in changes if change.promotes_default}
    current = sorted(
        (remote for remote in actual if remote.default and remote.key not in promoted),
        key=lambda remote: (remote.name, remote.key),
    )
    return current[0] if current else None
