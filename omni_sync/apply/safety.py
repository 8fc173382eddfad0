"""Per-environment thresholds that refuse an apply without ``--force``, after the plan is shown."""

from __future__ import annotations

from omni_sync.errors import UnsafePlan
from omni_sync.model.environment import Safety
from omni_sync.plan.changes import Plan


def check_safety(
    plan: Plan, safety: Safety, *, confirmed_by_user: bool, force: bool, saved: bool = False
) -> None:
    """``saved``: the plan came from a file, and ``apply FILE`` never asks anyone."""
    if force:
        return
    where = f'environment "{plan.environment}"'
    count = len(plan.changes)
    if safety.max_changes is not None and count > safety.max_changes:
        raise UnsafePlan(
            f"{where}: the plan has {count} changes, more than safety.max_changes "
            f"({safety.max_changes}); review it, then apply with --force"
        )
    promoted = next((change for change in plan.changes if change.promotes_default), None)
    old = plan.cleared_default
    if promoted and old and safety.confirm_default_switch and not confirmed_by_user:
        remedy = (
            "and a saved plan is never asked: apply it with --force"
            if saved
            else "answer yes to apply without --auto-approve, or pass --force"
        )
        before, after = f'"{old.name}"', f'"{promoted.name}"'
        if old.name == promoted.name:  # twins of one name: say which is which
            before, after = f"{before} ({old.key})", f"{after} ({promoted.key or 'new'})"
        raise UnsafePlan(
            f"{where}: the plan switches the default scenario from {before} to "
            f"{after}; a default switch needs a person's 'yes' "
            f"(safety.confirm_default_switch), {remedy}"
        )
