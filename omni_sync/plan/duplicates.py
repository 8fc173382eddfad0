"""The one rule for scenarios that share a managed name (names are not unique upstream, and two
applies at once can each create the same name).

Of the scenarios a file could mean, the one the file pins (``key:``) stays; without a pin, the
one whose key sorts first stays. The stayer is updated to match the file; every other one is
retired: renamed aside to a clearly marked name and never left default (the API cannot delete).
Every run and every plan applies the same rule, so concurrent runs end with one scenario per
name whichever of them looks first.
"""

from __future__ import annotations

from collections.abc import Sequence

from omni_sync.model.desired import SourceRef
from omni_sync.model.scenario import RemoteScenario, ScenarioSpec
from omni_sync.plan.changes import Action, Change
from omni_sync.plan.fields import differing_fields, field_changes

RETIRED_MARK = "retired by omni-sync"
_MAX_NAME = 255


def keeper(candidates: Sequence[RemoteScenario]) -> RemoteScenario:
    """The scenario that stays among several of one name: the one whose key sorts first."""
    return min(candidates, key=lambda remote: remote.key)


def retired_name(remote: RemoteScenario) -> str:
    """``Orders (retired by omni-sync 3F2A9C1B)``: the name keeps what it was and says why."""
    suffix = f" ({RETIRED_MARK} {remote.key[:8]})"
    return remote.name[: _MAX_NAME - len(suffix)] + suffix


def is_retired(remote: RemoteScenario) -> bool:
    return remote.name == retired_name(remote)


def is_retirement(change: Change) -> bool:
    return change.before is not None and change.name == retired_name(change.before)


def retirement(remote: RemoteScenario, source: SourceRef | None) -> Change:
    """The update that renames ``remote`` aside, keeping its flow, never default.

    Built without validation: the flow is the account's own, which the service accepted."""
    spec = ScenarioSpec.model_construct(
        name=retired_name(remote), flow=remote.flow, default=False, environments=None
    )
    fields = field_changes(remote, spec, differing_fields(remote, spec))
    return Change(Action.UPDATE, spec, remote, fields, (), source)
