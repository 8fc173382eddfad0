"""``omni-sync validate``: every file, every environment, offline; all problems at once.

The work is in ``omni_sync.load.validation`` (imported when the command runs, so ``--help`` stays
light); to add a check of the files, append to its ``CHECKERS``. The message templates' checks
are added here, where both parts may be imported.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import click

from omni_sync.cli import Runtime
from omni_sync.commands.environments import complete_environment_names
from omni_sync.errors import Problem
from omni_sync.workflow_commands import workflow_command

if TYPE_CHECKING:
    from pathlib import Path

    from omni_sync.load.project import Project
    from omni_sync.model.desired import DesiredState
    from omni_sync.output import Writer


@click.command()
@click.option(
    "-e",
    "--env",
    "names",
    multiple=True,
    metavar="NAME",
    shell_complete=complete_environment_names,
    help="Only this environment (repeatable). [default: all]",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text for people, json for machines, github for workflow annotations.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Count warnings (a variable no file uses) as problems: exit 1 on any.",
)
@click.pass_obj
def cli(runtime: Runtime, names: tuple[str, ...], fmt: str, strict: bool) -> None:
    """Check every scenario file for every environment, offline.

    Prints each problem as path:line:column: message and exits 1 if there is any; warnings
    (a variable no file uses) go to stderr and fail only with --strict.
    """
    from omni_sync.load.validation import collect

    with runtime.during("validating"):
        problems, warnings, desired = collect(
            runtime.root,
            runtime.config_path,
            names,
            [template_problems, policy_problems],
            strict=strict,
        )
    writer = runtime.writer
    if not problems:
        warn_if_no_scenario_files(writer, runtime.root)
    if fmt == "json":
        writer.out(json.dumps(_as_json(problems, warnings, desired), indent=2))
    elif fmt == "github":
        for problem in problems:
            writer.out(github_annotation(problem))
        for warning in warnings:
            writer.out(github_annotation(warning, "warning"))
    else:
        for problem in problems:
            writer.out(str(problem))
        for warning in warnings:
            writer.warn(str(warning))
    if problems:
        count = len(problems)
        writer.error(f"{count} problem{'s' if count != 1 else ''} found")
        raise SystemExit(1)
    if fmt == "text":
        scenarios = sum(len(state.scenarios) for state in desired.values())
        writer.out(
            f"Valid: {scenarios} scenario{'s' if scenarios != 1 else ''} "
            f"in {len(desired)} environment{'s' if len(desired) != 1 else ''} "
            f"({', '.join(desired)})."
        )


def warn_if_no_scenario_files(writer: Writer, root: Path) -> None:
    """An empty scenarios.d/ plans nothing: said, so that "No changes." is not read as a match."""
    from omni_sync.load.scenarios import no_scenario_files

    warning = no_scenario_files(root)
    if warning is not None:
        writer.warn(warning)


def policy_problems(project: Project, desired: Mapping[str, DesiredState]) -> list[Problem]:
    from omni_sync.apply.policy_gate import policy_problems as check

    return check(project, desired)


def template_problems(project: Project, desired: Mapping[str, DesiredState]) -> list[Problem]:
    """Message templates' checks, imported only for a repository that has templates: Jinja and
    the channel rules cost a noticeable part of validate's start-up."""
    from omni_sync.model.layout import TEMPLATES_DIR

    if not (project.root / TEMPLATES_DIR).is_dir():
        return []
    from omni_sync.messages.checks import template_problems as check

    return check(project.root, project.environments, desired)


def _as_json(
    problems: Sequence[Problem], warnings: Sequence[Problem], desired: Mapping[str, DesiredState]
) -> dict[str, object]:
    return {
        "valid": not problems,
        "problems": [_problem_json(p) for p in problems],
        "warnings": [_problem_json(p) for p in warnings],
        "environments": {
            name: {"scenarios": len(state.scenarios), "files_digest": state.files_digest}
            for name, state in desired.items()
        },
    }


def _problem_json(p: Problem) -> dict[str, object]:
    return {
        "path": p.path,
        "line": p.line or None,
        "column": p.column or None,
        "message": p.message,
        "environment": p.environment,
    }


def github_annotation(problem: Problem, kind: str = "error") -> str:
    """A GitHub Actions workflow command locating the problem (``kind``: error or warning)."""
    message = problem.message
    if problem.environment:
        message += f" [{problem.environment}]"
    if problem.line <= 0:
        return workflow_command(kind, message, file=problem.path)
    return workflow_command(kind, message, file=problem.path, line=problem.line, col=problem.column)
