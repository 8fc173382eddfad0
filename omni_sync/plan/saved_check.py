"""A saved plan is checked, never trusted (pure: files and listings are given).

1. ``check_files`` (offline): the files must be the ones it was made from, and each change must
   write what a file says.
2. ``remaining``: its changes must be exactly what those files give against the upstream
   scenarios it says it read, else it was edited after ``plan --out``. The account now must be
   what it read, with some of the plan's own changes already made (an apply that was
   interrupted or failed part-way): those count as applied and the rest is what is left; any
   other upstream change makes the plan stale. An account exactly as it was read costs one
   plan, not two.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from omni_sync.errors import PlanError, StalePlan
from omni_sync.model.desired import DesiredState
from omni_sync.model.scenario import RemoteScenario
from omni_sync.plan.changes import Action, Change, Plan, fingerprint
from omni_sync.plan.diff import make_plan
from omni_sync.plan.duplicates import retirement
from omni_sync.plan.environment_plan import EnvironmentPlan, Remaining
from omni_sync.plan.freshness import AGAIN, changed_upstream, scenario_named
from omni_sync.plan.targeting import targeted

_EDITED = f"the plan file was changed after plan --out. {AGAIN}"


def relevant_upstream(
    desired: DesiredState, actual: Sequence[RemoteScenario]
) -> tuple[RemoteScenario, ...]:
    """The upstream scenarios a plan depends on: those a file could mean (its pinned key, its
    name, a name it was renamed from) and every default. No other scenario can change it."""
    names = {
        name for item in desired.scenarios for name in (item.spec.name, *item.spec.renamed_from)
    }
    keys = {item.spec.key for item in desired.scenarios if item.spec.key}
    chosen = (
        remote for remote in actual if remote.key in keys or remote.name in names or remote.default
    )
    return tuple(sorted(chosen, key=lambda remote: remote.key))


def check_account(saved: EnvironmentPlan, account: str) -> None:
    if saved.account != account:
        raise _stale(
            saved,
            [
                f"it was made for the account at {saved.account}, and the environment now "
                f"points at {account}"
            ],
        )


def check_files(saved: EnvironmentPlan, desired: DesiredState) -> None:
    """Offline, before the account is read: the files are the ones the plan was made from, and
    each change writes what a file says (or retires a duplicate of a file's scenario)."""
    if saved.planned.files_digest != desired.files_digest:
        raise _stale(saved, ["the scenario files changed since"])
    files = {item.spec.name: item for item in desired.scenarios}
    for number, change in enumerate(saved.planned.changes):
        item = files.get(change.name)
        if item is not None and (change.spec, change.source) == (item.spec, item.source):
            continue
        retires = item is None and change.before is not None
        if retires and change == retirement(change.before, change.source):  # type: ignore[arg-type]
            continue
        if item is None:
            raise _mismatch(
                saved, f'changes[{number}] is for scenario "{change.name}", which no file holds'
            )
        raise _mismatch(
            saved, f'changes[{number}] (scenario "{change.name}") is not what {item.source} gives'
        )


def _check_derived(saved: EnvironmentPlan, derived: Plan) -> None:
    """Refuse a plan whose changes are not ``derived``, what its files give against the account
    as it read it."""
    for number, change in enumerate(saved.planned.changes):
        if number >= len(derived.changes) or derived.changes[number] != change:
            raise _mismatch(saved, f'changes[{number}] (scenario "{change.name}") is not theirs')
    if len(derived.changes) > len(saved.planned.changes):
        missing = derived.changes[len(saved.planned.changes)]
        raise _mismatch(saved, f'it lacks their change to scenario "{missing.name}"')
    if fingerprint(derived.cleared_default) != fingerprint(saved.planned.cleared_default):
        raise _mismatch(saved, "its default_cleared is not theirs")


def _mismatch(saved: EnvironmentPlan, what: str) -> StalePlan:
    return StalePlan(
        f"Saved plan does not match the files and the account it was made from: "
        f"{_where(saved)}: {what}; {_EDITED}"
    )


def _where(saved: EnvironmentPlan) -> str:
    return f'environment "{saved.planned.environment}"'


def _stale(saved: EnvironmentPlan, reasons: Sequence[str]) -> StalePlan:
    return StalePlan(f"Saved plan is stale: {_where(saved)}: {'; '.join(reasons)}. {AGAIN}")


def _after(change: Change, key: str) -> RemoteScenario:
    spec = change.spec
    return RemoteScenario(key=key, name=spec.name, flow=spec.flow, default=spec.default)


def _same(left: RemoteScenario, right: RemoteScenario) -> bool:
    """The same content (what a fingerprint covers; keys are compared by the callers)."""
    return (left.name, left.flow, left.default) == (right.name, right.flow, right.default)


@dataclass
class _Explained:
    """Which saved changes the account's present state shows as made, and what else moved."""

    done: set[int]
    moved: dict[str, str]
    cleared_by_promotion: bool = False


def _explain(
    saved: EnvironmentPlan, now: dict[str, RemoteScenario], fresh: Sequence[RemoteScenario]
) -> _Explained:
    changes = saved.planned.changes
    updates = {change.key: index for index, change in enumerate(changes) if change.key}
    creates = {
        change.name: index for index, change in enumerate(changes) if change.action is Action.CREATE
    }
    old_default = saved.planned.cleared_default
    result = _Explained(set(), {})
    read = {remote.key: remote for remote in saved.upstream}
    for key, before in read.items():
        current = now.get(key)
        index = updates.get(key)
        if current is None:
            result.moved[key] = f"{scenario_named(before.name, key)} is no longer upstream"
        elif _same(current, before):
            continue
        elif index is not None and _same(current, _after(changes[index], key)):
            result.done.add(index)
        elif (
            old_default is not None
            and key == old_default.key
            and _same(current, before.model_copy(update={"default": False}))
        ):
            result.cleared_by_promotion = True
        else:
            result.moved[key] = changed_upstream(before.name, key)
    for remote in fresh:
        if remote.key in read:
            continue
        index = creates.get(remote.name)
        if (
            index is not None
            and index not in result.done
            and _same(remote, _after(changes[index], remote.key))
        ):
            result.done.add(index)
        else:
            result.moved[remote.key] = changed_upstream(remote.name, remote.key)
    return result


def remaining(
    saved: EnvironmentPlan, desired: DesiredState, actual: Sequence[RemoteScenario]
) -> Remaining:
    """The part of ``saved`` still to apply, given the account's listing now; StalePlan when the
    account moved in any way the plan's own changes do not explain."""
    relevant = relevant_upstream(desired, actual)
    targets = saved.planned.targets
    if relevant == saved.upstream:  # as it was read: the plan must be exactly the files' now
        fresh = targeted(make_plan(desired, actual), targets)
        _check_derived(saved, fresh)
        return Remaining(fresh, 0, len(saved.planned.changes), relevant)
    try:
        _check_derived(saved, targeted(make_plan(desired, saved.upstream), targets))
    except PlanError as exc:
        raise _mismatch(saved, f"the scenarios it read do not plan ({exc})") from None
    now = {remote.key: remote for remote in actual}
    explained = _explain(saved, now, relevant)
    changes = saved.planned.changes
    promotion = next((i for i, change in enumerate(changes) if change.promotes_default), None)
    reasons = list(explained.moved.values())
    if explained.cleared_by_promotion and promotion not in explained.done:
        reasons.append("the default scenario changed upstream")
    if not reasons:
        fresh = targeted(make_plan(desired, actual), saved.planned.targets)
        pending = [change for i, change in enumerate(changes) if i not in explained.done]
        reasons = _unexplained(pending, fresh, saved.planned.cleared_default)
        if not reasons:
            return Remaining(fresh, len(explained.done), len(changes), relevant)
    raise _stale(saved, reasons)


def _unexplained(
    pending: Sequence[Change], fresh: Plan, old_default: RemoteScenario | None
) -> list[str]:
    """Any difference between what is left of the saved plan and what the files give now."""
    left = {_target(change): change for change in pending}
    reasons = []
    for change in fresh.changes:
        saved = left.pop(_target(change), None)
        if saved is None and _clears(change, old_default):
            continue
        if saved is not None and (saved.action, saved.spec) == (change.action, change.spec):
            continue  # the same write; its before may have lost the default flag meanwhile
        reasons.append(changed_upstream(change.name))
    reasons += [changed_upstream(change.name) for change in left.values()]
    return reasons


def _target(change: Change) -> str:
    return f"key {change.key}" if change.key else f"name {change.name}"


def _clears(change: Change, old_default: RemoteScenario | None) -> bool:
    """The old default's flag, left set by a service that did not clear it on promotion."""
    return (
        old_default is not None
        and change.key == old_default.key
        and [field.field for field in change.fields] == ["default"]
        and not change.spec.default
    )
