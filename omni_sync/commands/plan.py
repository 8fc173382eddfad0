"""``omni-sync plan``: read each account, diff it with the files, print the plan."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from omni_sync.cli import Runtime
from omni_sync.commands.environments import complete_environment_names
from omni_sync.errors import ConfigError
from omni_sync.output import Writer
from omni_sync.plan.limits import GITHUB_COMMENT_LIMIT

if TYPE_CHECKING:
    from omni_sync.plan.environment_plan import EnvironmentPlan

FORMATS = ("text", "json", "markdown", "github")
Command = TypeVar("Command", bound=Callable[..., object])


def environment_options(command: Command) -> Command:
    command = click.option(
        "--all", "all_", is_flag=True, help="Every environment in omni-sync.yaml (the default)."
    )(command)
    return click.option(
        "-e",
        "--env",
        "envs",
        multiple=True,
        metavar="NAME",
        shell_complete=complete_environment_names,
        help="An environment to work on (repeat for several). [default: all]",
    )(command)


def one_environment_option(command: Command) -> Command:
    """``-e NAME``, required, for the commands that work on one environment (as ``name``)."""
    return click.option(
        "-e",
        "--env",
        "name",
        required=True,
        metavar="NAME",
        shell_complete=complete_environment_names,
        help="The environment.",
    )(command)


def scenario_option(command: Command) -> Command:
    return click.option(
        "--scenario",
        "targets",
        multiple=True,
        metavar="PATTERN",
        help="Only scenarios whose name matches (shell-style: 'Order*'; repeatable). "
        "For exceptional situations only, as Terraform's -target.",
    )(command)


diagrams_option = click.option(
    "--diagrams/--no-diagrams",
    default=True,
    show_default=True,
    help="Draw each created or changed scenario's flow as a Mermaid diagram in "
    "--format markdown/github.",
)


def show_text(writer: Writer, planned: Sequence[EnvironmentPlan]) -> None:
    from omni_sync.plan.environment_plan import summary_line
    from omni_sync.plan.render_text import render_plan

    many = len(planned) > 1
    for item in planned:
        if many:
            writer.out(writer.style(f'── environment "{item.environment}" ──', bold=True))
        if item.plan is not None:
            writer.out(render_plan(item.plan, color=writer.color))
            if item.previews:
                from omni_sync.plan.render_previews import preview_lines

                writer.out("\n".join(preview_lines(item.previews)) + "\n")
        else:
            writer.out(f"Failed: {item.error}\n")
    if many:
        writer.out(summary_line(planned))


def report_failures(writer: Writer, planned: Sequence[EnvironmentPlan]) -> None:
    for item in planned:
        for warning in item.unmatched:
            writer.warn(warning)
        for problem in item.problems:
            writer.err(str(problem))
        if item.error is not None:
            writer.error(item.error)


def show_github(
    writer: Writer, planned: Sequence[EnvironmentPlan], markdown_limit: int, diagrams: bool = True
) -> None:
    """The text plan for the log, each problem as an annotation, the Markdown as the summary."""
    from omni_sync.commands.validate import github_annotation
    from omni_sync.plan.render_markdown import github_annotations, render_markdown

    show_text(writer, planned)
    for problem in (problem for item in planned for problem in item.problems):
        writer.out(github_annotation(problem))
    for line in github_annotations(planned):
        writer.out(line)
    writer.step_summary(render_markdown(planned, limit=markdown_limit, diagrams=diagrams))


def show(
    writer: Writer,
    planned: Sequence[EnvironmentPlan],
    fmt: str,
    markdown_limit: int = GITHUB_COMMENT_LIMIT,
    diagrams: bool = True,
) -> None:
    if fmt == "json":
        from omni_sync.plan.render_json import render_json

        writer.out(render_json(planned), nl=False)
    elif fmt == "github":
        show_github(writer, planned, markdown_limit, diagrams)
    elif fmt == "markdown":
        from omni_sync.plan.render_markdown import render_markdown

        markdown = render_markdown(planned, limit=markdown_limit, diagrams=diagrams)
        writer.out(markdown, nl=False)
    else:
        show_text(writer, planned)
    report_failures(writer, planned)


def save(path: Path, planned: Sequence[EnvironmentPlan]) -> None:
    from omni_sync.plan.saved import write_saved

    if any(item.plan is None for item in planned):
        raise ConfigError(f"{path}: not written, because an environment failed to plan")
    write_saved(path, planned)


@click.command()
@environment_options
@scenario_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Save the plan for `omni-sync apply FILE`.",
)
@click.option(
    "--markdown-limit",
    type=click.IntRange(min=1000),
    default=GITHUB_COMMENT_LIMIT,
    show_default=True,
    metavar="CHARS",
    help="The most characters of --format markdown/github (a GitHub comment holds 65,536); "
    "the summary and each environment's heading are never cut.",
)
@diagrams_option
@click.option(
    "--compare-ref",
    metavar="REF",
    help="The Git commit the change is based on (a pull request's base): message previews show "
    "each changed template as it is there, before, and as the files have it, after.",
)
@click.option(
    "--detailed-exitcode",
    is_flag=True,
    help="Exit 0 with no changes, 1 on error, 2 with changes.",
)
@click.pass_obj
def cli(
    runtime: Runtime,
    *,
    envs: tuple[str, ...],
    all_: bool,
    targets: tuple[str, ...],
    fmt: str,
    out: Path | None,
    markdown_limit: int,
    diagrams: bool,
    compare_ref: str | None,
    detailed_exitcode: bool,
) -> None:
    """Show what apply would change in each account."""
    from omni_sync.apply.planning import plan_all
    from omni_sync.apply.previews import with_previews
    from omni_sync.load.project import load_project
    from omni_sync.plan.environment_plan import exit_code

    unwritten = f"{out} was not written" if out is not None else ""
    with runtime.during("planning", unwritten):
        project = load_project(runtime.root, runtime.config)
        environments = project.select(envs, all_)
        from omni_sync.commands.validate import warn_if_no_scenario_files

        warn_if_no_scenario_files(runtime.writer, project.root)
        if targets:
            from omni_sync.plan.targeting import PLAN_CAVEAT

            runtime.writer.warn(PLAN_CAVEAT)
        writer = runtime.writer
        base = None
        if compare_ref:
            from omni_sync.messages.base import templates_at  # git and tarfile, only when asked

            base = templates_at(runtime.root, compare_ref)
        planned = asyncio.run(plan_all(project, environments, writer.log, targets, writer.err))
        planned = with_previews(runtime.root, planned, base)
    with runtime.during("showing the plan", unwritten):
        show(runtime.writer, planned, fmt, markdown_limit, diagrams)
    if out is not None:
        with runtime.during("saving the plan", unwritten):
            save(out if out.is_absolute() else runtime.root / out, planned)
        runtime.writer.err(f"Saved the plan to {out}: apply it with `omni-sync apply {out}`.")
    code = exit_code(planned, detailed=detailed_exitcode)
    click.get_current_context().exit(code)
