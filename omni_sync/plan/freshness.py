"""Whether the plan ``apply`` showed is still what the files and the account give, read again
just before anything is written (pure: the fresh plan is given). A saved plan is checked by
``plan.saved_check`` instead; both say a scenario that moved in the same words."""

from __future__ import annotations

from collections.abc import Iterator

from omni_sync.errors import StalePlan
from omni_sync.plan.changes import Action, Change, Plan
from omni_sync.plan.environment_plan import EnvironmentPlan

AGAIN = "Run omni-sync plan again."


def scenario_named(name: str, key: str | None = None) -> str:
    """``scenario "A" (KA)``, or ``scenario "New"`` for one without a key."""
    return f'scenario "{name}"' + (f" ({key})" if key else "")


def changed_upstream(name: str, key: str | None = None) -> str:
    return f"{scenario_named(name, key)} changed upstream"


def check_fresh(shown: EnvironmentPlan, fresh: Plan) -> None:
    """Refuse the plan ``apply`` showed (and was approved) when the files or the account moved
    on since: a race, said as one, with nothing applied."""
    where = f'environment "{shown.planned.environment}"'
    if shown.planned.files_digest != fresh.files_digest:
        raise StalePlan(
            f"{where}: the scenario files changed while applying; nothing was applied. {AGAIN}"
        )
    reasons = list(_moved(shown.planned, fresh))
    if reasons:
        raise StalePlan(
            f"{where}: the account changed while applying: {'; '.join(reasons)}; nothing was "
            f"applied. {AGAIN}"
        )


def _moved(shown: Plan, fresh: Plan) -> Iterator[str]:
    now = {_identity(change): change for change in fresh.changes}
    for change in shown.changes:
        current = now.pop(_identity(change), None)
        if current is None and change.action is Action.CREATE:
            yield f"{scenario_named(change.name, change.key)} now exists upstream"
        elif current is None or current.fingerprint != change.fingerprint:
            yield changed_upstream(change.name, change.key)
    for change in now.values():
        yield changed_upstream(change.name, change.key)
    before = shown.cleared_default
    after = fresh.cleared_default
    if (before and before.key) != (after and after.key):
        yield "the default scenario changed upstream"


def _identity(change: Change) -> tuple[str, str]:
    return (change.action.value, change.key or change.name)
