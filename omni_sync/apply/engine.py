"""Apply one environment's plan: creates, then the default promotion, then updates, each phase
with at most ``parallelism`` requests in flight (the client paces them to the account's limits).

A failed change does not stop the others. A stop request (Ctrl-C, SIGTERM) ends every wait at
once, lets the requests in flight finish and leaves the rest not attempted. After a promotion,
the old default is checked and cleared if the service did not clear it itself, so the account
converges either way. Last, one listing finds names another apply created at the same moment
(``apply.races``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from omni_sync.apply.races import settle_races
from omni_sync.apply.report import ApplyReport, Fate, Outcome, Waiting
from omni_sync.client.omni import OmniClient, OutcomeUnknown
from omni_sync.client.pacing import Interrupted
from omni_sync.errors import ApiError, OmniSyncError
from omni_sync.plan.changes import Action, Change, Plan

OnDone = Callable[[Outcome], None]
OnWait = Callable[[Waiting], None]


@dataclass
class ApplyControl:
    parallelism: int = 10
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    on_done: OnDone = lambda _outcome: None
    on_wait: OnWait = lambda _waiting: None


async def apply_plan(client: OmniClient, plan: Plan, control: ApplyControl) -> ApplyReport:
    report = ApplyReport(plan.environment)
    client.stop = control.stop
    _tell_waits(client, plan, control, report)
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
    try:
        if promoted:
            await _converge_default(client, plan, report)
        await settle_races(client, report)
    except Interrupted:
        report.notes.append(_CHECKS_STOPPED)
    order = {id(change): index for index, change in enumerate(plan.changes)}
    report.outcomes.sort(key=lambda outcome: order[id(outcome.change)])
    return report


_BLOCKED = "waits for the default switch, which failed"
INTERRUPTED = "interrupted before it began"
# A stop skips the checks that follow the changes; the next plan does what they would have.
_CHECKS_STOPPED = (
    "interrupted: the checks after the changes (the old default's flag, names another apply "
    "created at the same time) were not finished; run plan, which shows anything left to do"
)


def _key(plan: Plan) -> str | None:
    return plan.cleared_default.key if plan.cleared_default is not None else None


def _tell_waits(client: OmniClient, plan: Plan, control: ApplyControl, report: ApplyReport) -> None:
    """Each write window tells the control how long its wait is, and how far this plan got."""
    adds, changes = plan.counts()
    totals = {"creates": (Action.CREATE, adds), "updates": (Action.UPDATE, changes)}
    for kind, window in client.write_windows.items():
        action, total = totals[kind]

        def told(
            seconds: float, kind: str = kind, action: Action = action, total: int = total
        ) -> None:
            done = sum(1 for o in report.of(Fate.APPLIED) if o.change.action is action)
            window = client.write_windows[kind]
            pace = (window.limit, window.window)
            control.on_wait(Waiting(plan.environment, kind, seconds, pace, done, total))

        window.on_wait = told


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
                outcome = Outcome(change, Fate.NOT_ATTEMPTED, reason=INTERRUPTED)
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
    except Interrupted as stopped:
        if stopped.after is None:
            return Outcome(change, Fate.NOT_ATTEMPTED, reason=INTERRUPTED)
        return Outcome(
            change, Fate.FAILED, reason=f"interrupted before trying again: {stopped.after}"
        )
    except OutcomeUnknown as exc:
        return Outcome(change, Fate.UNKNOWN, reason=str(exc), attempts=exc.attempts)
    except OmniSyncError as exc:
        attempts = exc.attempts if isinstance(exc, ApiError) else None
        return Outcome(change, Fate.FAILED, reason=str(exc), attempts=attempts)
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
