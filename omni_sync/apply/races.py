"""After an apply's creates: one listing to find names that another apply created at the same
moment, settled by the rule every plan applies (``plan.duplicates``).

Where this run's scenario is not the one that stays, the one that stays is updated to match the
file and this run's is retired. Where this run's stays, the other apply retires its own, or the
next plan proposes it; this run never renames what it did not create.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from omni_sync.apply.report import ApplyReport, Fate, Outcome
from omni_sync.client.omni import OmniClient
from omni_sync.errors import OmniSyncError
from omni_sync.model.scenario import RemoteScenario
from omni_sync.plan.changes import Action
from omni_sync.plan.duplicates import keeper, retirement
from omni_sync.plan.fields import differing_fields


async def settle_races(client: OmniClient, report: ApplyReport) -> None:
    created = [
        (index, outcome)
        for index, outcome in enumerate(report.outcomes)
        if outcome.fate is Fate.APPLIED and outcome.change.action is Action.CREATE
    ]
    if not created:
        return
    try:
        listed = await client.list_scenarios()
    except OmniSyncError as exc:
        report.errors.append(
            f"! could not check whether another apply created the same names: {exc}; "
            "run plan, which settles any duplicate"
        )
        return
    by_name: dict[str, list[RemoteScenario]] = defaultdict(list)
    for remote in listed:
        by_name[remote.name].append(remote)
    for index, outcome in created:
        ours = outcome.result
        same = by_name.get(outcome.change.name, [])
        if ours is None or len(same) < 2:
            continue
        stays = keeper(same)
        if stays.key == ours.key:
            others = ", ".join(remote.key for remote in same if remote.key != ours.key)
            report.notes.append(
                f'= "{outcome.change.name}" ({ours.key}) stays: another apply created it too '
                f"({others}); that apply or the next plan retires the others"
            )
            continue
        report.outcomes[index] = await _step_aside(client, outcome, ours, stays, report)


async def _step_aside(
    client: OmniClient,
    outcome: Outcome,
    ours: RemoteScenario,
    stays: RemoteScenario,
    report: ApplyReport,
) -> Outcome:
    """Make ``stays`` match the file, then retire ``ours`` (in that order: the default moves
    to ``stays`` before ``ours`` gives it up)."""
    spec = outcome.change.spec
    name = spec.name
    why = f'another apply created "{name}" ({stays.key}) at the same time, which stays'
    try:
        if differing_fields(stays, spec):
            await client.update_scenario(stays.key, spec.to_api(), name=name)
        retired = retirement(ours, outcome.change.source)
        await client.update_scenario(ours.key, retired.spec.to_api(), name=name)
    except OmniSyncError as exc:
        report.errors.append(
            f'! "{name}" is upstream twice ({ours.key}, {stays.key}): {why}, but settling it '
            f"failed: {exc}; run plan, which proposes the rest"
        )
        return outcome
    return replace(outcome, reason=f'then retired as "{retired.name}": {why}')
