"""``omni-sync apply [FILE]``: make each account match the files, after a ``yes``, or apply a
saved plan (refused when stale)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from omni_sync.cli import Runtime, Stage
from omni_sync.commands.plan import (
    environment_options,
    report_failures,
    scenario_option,
    show_text,
)
from omni_sync.commands.validate import warn_if_no_scenario_files
from omni_sync.errors import Cancelled, ConfigError, OmniSyncError, StalePlan
from omni_sync.output import Writer, stderr_is_tty

if TYPE_CHECKING:
    from omni_sync.apply.events import ApplyEvents
    from omni_sync.plan.environment_plan import EnvironmentPlan


def stdin_is_tty() -> bool:
    return sys.stdin.isatty()


def approve(writer: Writer, environment: str) -> None:
    """Terraform's question; only ``yes`` goes on."""
    writer.err(f'Do you want to perform these actions in environment "{environment}"?')
    writer.err("  omni-sync will perform the actions described above.")
    writer.err("  Only 'yes' will be accepted to approve.\n")
    try:
        answer = click.prompt(
            "  Enter a value", default="", show_default=False, err=True, prompt_suffix=": "
        )
    except click.Abort as exc:  # click's answer to Ctrl-C or to the end of input
        if isinstance(exc.__context__, KeyboardInterrupt):
            raise KeyboardInterrupt from None  # the stage says it (Runtime.during)
        answer = ""
    if answer.strip() != "yes":
        raise Cancelled(f'Apply cancelled: environment "{environment}" was not approved.')


def _from_file(runtime: Runtime, path: Path, envs: Sequence[str]) -> list[EnvironmentPlan]:
    """What is left to apply of a saved plan, every environment checked against its files and
    its account; any refusal stops the whole file before anything is written."""
    from omni_sync.apply.planning import resume_all
    from omni_sync.load.project import load_project
    from omni_sync.plan.saved import read_saved

    saved = read_saved(path if path.is_absolute() else runtime.root / path, str(path))
    names = [item.environment for item in saved]
    other = [name for name in envs if name not in names]
    if other:
        raise ConfigError(
            f"{path}: the saved plan holds environment {', '.join(names)}, not "
            f"{', '.join(other)}; plan that environment with -e and apply its own plan"
        )
    project = load_project(runtime.root, runtime.config)
    gone = [name for name in names if name not in project.environments]
    if gone:
        raise StalePlan(
            f"Saved plan is stale: it is for environment {', '.join(gone)}, which "
            f"{project.config_name} no longer defines. Run omni-sync plan again."
        )
    chosen = [
        (project.environments[item.environment], item)
        for item in saved
        if not envs or item.environment in envs
    ]
    writer = runtime.writer
    results = asyncio.run(resume_all(project, chosen, log=writer.log, notice=writer.err))
    refusals = [result for result in results if isinstance(result, OmniSyncError)]
    for refusal in refusals[:-1]:
        writer.error(str(refusal))
    if refusals:
        raise refusals[-1]
    return [result for result in results if not isinstance(result, OmniSyncError)]


def _say_resumed(say: Callable[[str], None], planned: Sequence[EnvironmentPlan]) -> None:
    """A saved plan that an earlier apply made part or all of (interrupted, failed, cancelled)."""
    for item in planned:
        left = item.resumed
        if left is None or left.applied == 0:
            continue
        where = f'environment "{item.environment}"'
        if left.plan.has_changes:
            say(
                f"Resuming the saved plan: {where} already holds {left.applied} of its "
                f"{_changes(left.total)}; applying the remaining {len(left.plan.changes)}."
            )
        else:
            say(
                f"Saved plan already applied: {where} already holds its "
                f"{_changes(left.total)}; nothing to do."
            )


def _changes(count: int) -> str:
    return f"{count} change{'s' if count != 1 else ''}"


@click.command()
@click.argument("plan_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@environment_options
@scenario_option
@click.option("--auto-approve", is_flag=True, help="Apply without asking for 'yes'.")
@click.option("--force", is_flag=True, help="Apply even beyond the safety thresholds.")
@click.option(
    "--parallelism",
    type=click.IntRange(1, 100),
    default=10,
    show_default=True,
    help="Requests in flight per environment (within the account's write limits).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: one JSON object per line for each event (docs/apply-json.md); needs "
    "--auto-approve or a plan FILE.",
)
@click.pass_obj
def cli(
    runtime: Runtime,
    plan_file: Path | None,
    *,
    envs: tuple[str, ...],
    all_: bool,
    targets: tuple[str, ...],
    auto_approve: bool,
    force: bool,
    parallelism: int,
    fmt: str,
) -> None:
    """Make each account match the files (or apply a plan saved with plan --out)."""
    from omni_sync.apply.events import json_events
    from omni_sync.apply.planning import plan_all
    from omni_sync.load.project import load_project
    from omni_sync.plan.targeting import APPLY_CAVEAT, PLAN_CAVEAT

    writer = runtime.writer
    events = json_events(writer.out, fmt, asks=plan_file is None and not auto_approve)
    if plan_file is not None:
        if targets:
            raise ConfigError(
                "a saved plan is applied as it was made: pass --scenario to plan --out, "
                "not to apply FILE"
            )
        with runtime.during("checking the saved plan against the account", NOTHING_APPLIED):
            planned = _from_file(runtime, plan_file, envs)
    else:
        with runtime.during("planning", NOTHING_APPLIED):
            project = load_project(runtime.root, runtime.config)
            warn_if_no_scenario_files(writer, project.root)
            planned = asyncio.run(
                plan_all(project, project.select(envs, all_), writer.log, targets, writer.err)
            )
    partial = any(item.plan is not None and item.plan.targets for item in planned)
    with runtime.during("showing the plan", NOTHING_APPLIED):
        _show(writer, planned, events, PLAN_CAVEAT if partial else None)
    failed = any(item.plan is None for item in planned)
    ask = plan_file is None and not auto_approve
    with runtime.during("waiting for approval" if ask else "checking the plan", NOTHING_APPLIED):
        todo = _approved(
            writer, planned, ask=ask, force=force, saved=bool(plan_file), events=events
        )
    failed |= len(todo) < sum(1 for item in planned if _has_changes(item))
    if todo:
        failed |= _run(runtime, todo, parallelism, events)
        if partial:
            writer.warn(APPLY_CAVEAT)
    click.get_current_context().exit(1 if failed else 0)


def _show(
    writer: Writer,
    planned: Sequence[EnvironmentPlan],
    events: ApplyEvents | None,
    caveat: str | None,
) -> None:
    if caveat is not None:
        writer.warn(caveat)
    if events is None:
        show_text(writer, planned)
    else:
        events.planned_all(planned)
    _say_resumed(writer.out if events is None else writer.err, planned)
    report_failures(writer, planned)


def _has_changes(item: EnvironmentPlan) -> bool:
    return item.plan is not None and item.plan.has_changes


def _approved(
    writer: Writer,
    planned: Sequence[EnvironmentPlan],
    *,
    ask: bool,
    force: bool,
    saved: bool,
    events: ApplyEvents | None = None,
) -> list[EnvironmentPlan]:
    from omni_sync.apply.safety import check_safety

    if ask and not stdin_is_tty() and any(i.plan and i.plan.has_changes for i in planned):
        raise Cancelled(
            "no terminal to ask for approval; review the plan and pass --auto-approve, "
            "or save it with plan --out and apply that file"
        )
    todo = []
    for item in planned:
        plan, settings = item.plan, item.settings
        if plan is None or settings is None or not plan.has_changes:
            continue
        try:
            check_safety(plan, settings.safety, confirmed_by_user=ask, force=force, saved=saved)
        except OmniSyncError as exc:
            writer.error(str(exc))
            if events is not None:
                events.environment_failed(plan.environment, str(exc))
            continue
        if ask:
            approve(writer, plan.environment)
        todo.append(item)
    return todo


def _run(
    runtime: Runtime,
    todo: Sequence[EnvironmentPlan],
    parallelism: int,
    events: ApplyEvents | None = None,
) -> bool:
    return asyncio.run(_apply_all(runtime, todo, parallelism, events))


async def _apply_all(
    runtime: Runtime,
    todo: Sequence[EnvironmentPlan],
    parallelism: int,
    events: ApplyEvents | None = None,
) -> bool:
    from omni_sync.apply.engine import ApplyControl
    from omni_sync.apply.events import observed
    from omni_sync.apply.execute import apply_environment
    from omni_sync.apply.progress import (
        SHOW_AFTER_SECONDS,
        ApplyProgress,
        WaitLog,
        estimate_seconds,
    )
    from omni_sync.apply.report import render_report
    from omni_sync.load.project import load_project

    writer = runtime.writer
    runtime.stage = Stage("starting to apply", NOTHING_APPLIED)
    project = load_project(runtime.root, runtime.config)
    jobs = [(settings, i) for i in todo if (settings := i.settings) is not None]
    plans = [(item.planned, environment.limits) for environment, item in jobs]
    slow = estimate_seconds(plans, parallelism) > SHOW_AFTER_SECONDS
    total = sum(len(plan.changes) for plan, _ in plans)
    with ApplyProgress(total, enabled=slow and stderr_is_tty(), color=writer.color) as progress:
        control = ApplyControl(parallelism=parallelism, on_done=progress.advance)
        if progress.enabled:
            control.on_wait = lambda w: progress.waiting(w.message() if w.seconds > 0 else None)
        else:
            control.on_wait = WaitLog(writer.err)
        log = progress.above(writer.log)
        notice = progress.above(writer.err)
        runtime.stage = Stage("applying", AFTER_APPLYING)  # a stop here sets control.stop
        with _stop_on_interrupt(control.stop, progress.above(writer.warn)):
            results = await asyncio.gather(
                *(
                    apply_environment(
                        project,
                        environment,
                        saved,
                        observed(control, environment.name, events),
                        log=log,
                        notice=notice,
                    )
                    for environment, saved in jobs
                ),
                return_exceptions=True,
            )
    runtime.stage = Stage("reporting what was applied", AFTER_APPLYING)
    failed = False
    for (environment, _), result in zip(jobs, results, strict=True):
        if isinstance(result, OmniSyncError):
            writer.error(str(result))
            if events is not None:
                events.environment_failed(environment.name, str(result))
            failed = True
        elif isinstance(result, BaseException):
            raise result
        elif events is None:
            writer.out(render_report(result))
        else:
            events.summary(result)
        failed |= not isinstance(result, BaseException) and result.failed
    if control.stop.is_set():
        writer.warn("interrupted: requests in flight were finished; the rest was not attempted.")
    return failed


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
NOTHING_APPLIED = "nothing was applied"
AFTER_APPLYING = "omni-sync plan shows what the account holds now"


@contextlib.contextmanager
def _stop_on_interrupt(stop: asyncio.Event, warn: Callable[[str], None]) -> Iterator[None]:
    """Ctrl-C (SIGINT) or SIGTERM (what CI sends on cancel) sets ``stop``: every wait ends at
    once, requests in flight finish, nothing new starts; the run then reports and exits 1."""
    loop = asyncio.get_running_loop()

    def stopping(name: str) -> None:
        if not stop.is_set():
            warn(f"{name} received: finishing the requests in flight; nothing new starts.")
        stop.set()

    installed = {}
    for number in STOP_SIGNALS:
        previous = signal.getsignal(number)
        try:
            loop.add_signal_handler(number, stopping, signal.Signals(number).name)
        except (NotImplementedError, RuntimeError, ValueError):
            continue
        installed[number] = previous
    try:
        yield
    finally:
        for number, previous in installed.items():
            loop.remove_signal_handler(number)
            if previous is not None:  # the loop leaves SIGTERM's default behind: a silent kill
                signal.signal(number, previous)
