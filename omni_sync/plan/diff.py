"""desired + actual -> Plan. Pure: no I/O, the same inputs always give the same plan.

Scenarios are matched by the key a file pins, else by name within the environment, then by
``renamed_from``. Several upstream scenarios of one name are settled by ``plan.duplicates``' rule;
several old names that a file could mean are an error, never a guess.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from omni_sync.errors import PlanError
from omni_sync.model.desired import DesiredScenario, DesiredState, SourceRef
from omni_sync.model.scenario import RemoteScenario, ScenarioSpec
from omni_sync.plan.changes import Action, Change, Plan
from omni_sync.plan.duplicates import keeper, retirement
from omni_sync.plan.fields import created_steps, differing_fields, field_changes, flow_diff


def make_plan(desired: DesiredState, actual: Sequence[RemoteScenario]) -> Plan:
    environment = desired.environment.name
    matches, retired = _match(environment, desired.scenarios, actual)
    changes = [change for item, remote in matches if (change := _change(item, remote)) is not None]
    changes.extend(retired)
    if any(change.promotes_default for change in changes):
        changes = [change for change in changes if not _only_clears_default(change)]
    matched = {remote.key for _, remote in matches if remote is not None}
    matched.update(change.key for change in retired if change.key is not None)
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


Pairs = list[tuple[DesiredScenario, RemoteScenario | None]]


def _match(
    environment: str, scenarios: Sequence[DesiredScenario], actual: Sequence[RemoteScenario]
) -> tuple[Pairs, list[Change]]:
    """Each file's scenario with the upstream one it means, and the retirements of the others
    that share its name (see ``plan.duplicates``)."""
    by_key = {remote.key: remote for remote in actual}
    pins: dict[str, DesiredScenario] = {}
    problems: list[str] = []
    for item in scenarios:
        if item.spec.key and pins.setdefault(item.spec.key, item) is not item:
            problems.append(_pinned_twice(item, pins[item.spec.key]))
    by_name: dict[str, list[RemoteScenario]] = defaultdict(list)
    for remote in actual:
        if remote.key not in pins:
            by_name[remote.name].append(remote)
    pairs: Pairs = []
    retired: dict[str, Change] = {}
    for item in scenarios:
        same_name = by_name.get(item.spec.name, [])
        if len(same_name) == 1 and not item.spec.key:
            pairs.append((item, same_name[0]))  # the everyday case, as the general one below
            continue
        if item.spec.key:
            chosen: RemoteScenario | None = by_key.get(item.spec.key)
            if chosen is None:
                problems.append(_pin_missing(item))
                continue
            others = same_name
        else:
            candidates = same_name or [
                remote for old in item.spec.renamed_from for remote in by_name.get(old, [])
            ]
            if len({remote.name for remote in candidates}) > 1:
                problems.append(_ambiguity(item, candidates))
                continue
            chosen = keeper(candidates) if candidates else None
            others = [remote for remote in candidates if remote is not chosen]
        pairs.append((item, chosen))
        retired.update((remote.key, retirement(remote, item.source)) for remote in others)
    if problems:
        raise PlanError(f'environment "{environment}": ' + "; ".join(problems))
    return pairs, list(retired.values())


def _where(item: DesiredScenario) -> str:
    return f" ({item.source})" if item.source else ""


def _pinned_twice(item: DesiredScenario, first: DesiredScenario) -> str:
    return (
        f'scenario "{item.spec.name}"{_where(item)} pins key {item.spec.key}, which '
        f'"{first.spec.name}"{_where(first)} pins too; one file per upstream scenario'
    )


def _pin_missing(item: DesiredScenario) -> str:
    return (
        f'scenario "{item.spec.name}"{_where(item)} pins key {item.spec.key}, which the account '
        "does not have; correct key: (omni-sync keys lists them) or remove it to create one"
    )


def _ambiguity(item: DesiredScenario, candidates: Sequence[RemoteScenario]) -> str:
    described = ", ".join(f'"{remote.name}" ({remote.key})' for remote in candidates)
    return (
        f'scenario "{item.spec.name}"{_where(item)} could mean {len(candidates)} scenarios '
        f"upstream: {described}; omni-sync will not guess. Pin the one to keep with key: in "
        "the file, then plan again"
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
