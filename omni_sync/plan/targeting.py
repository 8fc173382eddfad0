"""``--scenario PATTERN``: a plan limited to some scenarios, as Terraform's ``-target``.

Patterns are shell-style (``fnmatch``, case-sensitive) and match a scenario's name in the files
or, for a rename, its name upstream. Pure, like the planner.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from fnmatch import fnmatchcase

from omni_sync.plan.changes import Change, Plan

PLAN_CAVEAT = (
    "scenario targeting is in effect (--scenario): this plan may not show every change the "
    "files ask for. --scenario is not for routine use; it is for exceptional situations, such "
    "as recovering from errors or mistakes."
)
APPLY_CAVEAT = (
    "applied changes may be incomplete: the plan was limited with --scenario, so other changes "
    "the files ask for may have been left out. Run omni-sync plan to see whether any are pending."
)


def matches(name: str, patterns: Iterable[str]) -> bool:
    return any(fnmatchcase(name, pattern) for pattern in patterns)


def _targeted(change: Change, patterns: Sequence[str]) -> bool:
    names = [change.name] + ([change.before.name] if change.before is not None else [])
    return any(matches(name, patterns) for name in names)


def targeted(plan: Plan, patterns: Sequence[str]) -> Plan:
    """Only the changes ``patterns`` name; every change when there is no pattern."""
    if not patterns:
        return plan
    changes = tuple(change for change in plan.changes if _targeted(change, patterns))
    promotes = any(change.promotes_default for change in changes)
    return replace(
        plan,
        changes=changes,
        cleared_default=plan.cleared_default if promotes else None,
        unmanaged=tuple(remote for remote in plan.unmanaged if matches(remote.name, patterns)),
        targets=tuple(patterns),
    )


def unmatched(patterns: Sequence[str], names: Iterable[str]) -> list[str]:
    """The patterns that name none of ``names``."""
    known = list(names)
    return [pattern for pattern in patterns if not any(fnmatchcase(n, pattern) for n in known)]


def targets_line(patterns: Sequence[str]) -> str:
    """What a limited plan says at its top (text) or in its notes (Markdown)."""
    listed = ", ".join(f'"{pattern}"' for pattern in patterns)
    return (
        f"Limited to scenarios matching {listed} (--scenario): "
        "changes to other scenarios are not shown."
    )
