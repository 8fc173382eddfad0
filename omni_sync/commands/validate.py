"""``omni-sync validate``: every file, every environment, offline; all problems at once.

To add a check, append a function to ``CHECKERS``: it gets the project and the desired state of
each selected environment that loaded without problems, and yields located ``Problem``s.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence

import click

from omni_sync.cli import Runtime
from omni_sync.errors import Problem, ProblemsFound
from omni_sync.load.project import Project, load_project
from omni_sync.load.scenarios import load_environment
from omni_sync.load.variables import unused_variables
from omni_sync.model.desired import DesiredState

Checker = Callable[[Project, Mapping[str, DesiredState]], Iterable[Problem]]
CHECKERS: list[Checker] = [unused_variables]


def collect(
    runtime: Runtime, names: Sequence[str]
) -> tuple[list[Problem], dict[str, DesiredState]]:
    """Every problem of the selected environments, and the desired state of the clean ones."""
    try:
        project = load_project(runtime.root, runtime.config_path)
    except ProblemsFound as exc:
        return list(exc.problems), {}
    problems: list[Problem] = []
    desired: dict[str, DesiredState] = {}
    selected = project.select(names)
    for environment in selected:
        loaded = load_environment(project, environment)
        problems.extend(loaded.problems)
        if not loaded.problems:
            desired[environment.name] = loaded.desired()
    for checker in CHECKERS:
        problems.extend(checker(project, desired))
    return merge_environments(problems, len(selected)), desired


def merge_environments(problems: Iterable[Problem], environments: int) -> list[Problem]:
    """One line per problem, naming the environments it occurs in (none when it is in all)."""
    seen: dict[Problem, list[str]] = {}
    for problem in problems:
        names = seen.setdefault(problem, [])
        if problem.environment and problem.environment not in names:
            names.append(problem.environment)
    merged = []
    for problem, names in seen.items():
        label = ", ".join(names) if names and len(names) < environments else None
        merged.append(Problem(problem.path, problem.line, problem.column, problem.message, label))
    return sorted(merged)


@click.command()
@click.option(
    "-e",
    "--env",
    "names",
    multiple=True,
    metavar="NAME",
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
@click.pass_obj
def cli(runtime: Runtime, names: tuple[str, ...], fmt: str) -> None:
    """Check every scenario file for every environment, offline.

    Prints each problem as path:line:column: message and exits 1 if there is any.
    """
    problems, desired = collect(runtime, names)
    writer = runtime.writer
    if fmt == "json":
        writer.out(json.dumps(_as_json(problems, desired), indent=2))
    elif fmt == "github":
        for problem in problems:
            writer.out(github_annotation(problem))
    else:
        for problem in problems:
            writer.out(str(problem))
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


def _as_json(problems: Sequence[Problem], desired: Mapping[str, DesiredState]) -> dict[str, object]:
    return {
        "valid": not problems,
        "problems": [
            {
                "path": p.path,
                "line": p.line,
                "column": p.column,
                "message": p.message,
                "environment": p.environment,
            }
            for p in problems
        ],
        "environments": {
            name: {"scenarios": len(state.scenarios), "files_digest": state.files_digest}
            for name, state in desired.items()
        },
    }


def github_annotation(problem: Problem) -> str:
    """A GitHub Actions workflow command; escaped as the runner expects."""

    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    message = problem.message
    if problem.environment:
        message += f" [{problem.environment}]"
    return (
        f"::error file={prop(problem.path)},line={problem.line},col={problem.column}"
        f"::{data(message)}"
    )
