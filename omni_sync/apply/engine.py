"""Apply one environment's plan: creates, then the default promotion, then updates, each phase
with at most ``parallelism`` requests in flight (the client paces them to the account's limits).

A failed change does not stop the others. A stop request (Ctrl-C) lets the requests in flight
finish and leaves the rest not attempted. After a promotion, the old default is checked and
cleared if the service did not clear it itself, so the account converges either way. Last, one
listing finds names another apply created at the same moment (``apply.races``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from omni_sync.apply.races import settle_races
from omni_sync.apply.report import ApplyReport, Fate, Outcome
from omni_sync.client.omni import OmniClient
from omni_sync.errors import OmniSyncError
from omni_sync.plan.changes import Action, Change, Plan

OnDone = Callable[[Outcome], None]


@dataclass
class ApplyControl:
    parallelism: int = 10
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    on_done: OnDone = lambda _outcome: None


async def apply_plan(client: OmniClient, plan: Plan, control: ApplyControl) -> ApplyReport:
    report = ApplyReport(plan.environment)
    creates = [c for c in plan.changes if c.action is Action.CREATE and not c.promotes_default]
    promotion = [c for c in plan.changes if c.promotes_default]
    updates = [c for c in plan.changes if c.action is Action.UPDATE and not c.promotes_default]
    await _phase(client, creates, control, report)
    await _phase(client, promotion, control, report)
    promoted = any(o.fate is Fate.APPLIED for o in report.outcomes if o.change in promotion)
    if promotion and not promoted:
        blocked = [c for c in updates if c.key == _key(plan)]
        for change in blocked:
            _record(report, control, Outcome(change, Fate.NOT_ATTEMPTED, reason=_BLOCKED))
        updates = [c for c in updates if c not in blocked]
    await _phase(client, updates, control, report)
    if promoted:
        await _converge_default(client, plan, report)
    if not control.stop.is_set():
        await settle_races(client, report)
    order = {id(change): index for index, change in enumerate(plan.changes)}
    report.outcomes.sort(key=lambda outcome: order[id(outcome.change)])
    return report


_BLOCKED = "waits for the default switch, which failed"


def _key(plan: Plan) -> str | None:
    return plan.cleared_default.key if plan.cleared_default is not None else None


def _record(report: ApplyReport, control: ApplyControl, outcome: Outcome) -> None:
    report.outcomes.append(outcome)
    control.on_done(outcome)


async def _phase(
    client: OmniClient, changes: Sequence[Change], control: ApplyControl, report: ApplyReport
) -> None:
    gate = asyncio.Semaphore(max(1, control.parallelism))

    async def one(change: Change) -> None:
        async with gate:
            if control.stop.is_set():
                outcome = Outcome(change, Fate.NOT_ATTEMPTED, reason="interrupted before it began")
            else:
                outcome = await _apply_change(client, change)
        _record(report, control, outcome)

    await asyncio.gather(*(one(change) for change in changes))


async def _apply_change(client: OmniClient, change: Change) -> Outcome:
    try:
        if change.action is Action.CREATE:
            result = await client.create_scenario(change.spec)
        else:
            assert change.key is not None
            result = await client.update_scenario(
                change.key, change.spec.to_api(), name=change.name
            )
    except OmniSyncError as exc:
        return Outcome(change, Fate.FAILED, reason=str(exc))
    return Outcome(change, Fate.APPLIED, result=result)


async def _converge_default(client: OmniClient, plan: Plan, report: ApplyReport) -> None:
    """Clear the old default's flag if the service left it set (never before the promotion)."""
    old = plan.cleared_default
    if old is None:
        return
    try:
        current = await client.get_scenario(old.key, name=old.name)
        if current.default:
            body = {**current.model_dump(include={"name"}), "default": False}
            body["flow"] = [step.to_api() for step in current.flow]
            await client.update_scenario(old.key, body, name=old.name)
            report.notes.append(f'~ cleared the old default "{old.name}" ({old.key})')
    except OmniSyncError as exc:
        report.errors.append(f'! could not clear the old default "{old.name}": {exc}')
