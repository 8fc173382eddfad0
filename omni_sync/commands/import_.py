"""``omni-sync import -e ENV``: write scenario files from what an account already holds, so a
team adopts omni-sync without retyping; a plan right after shows no changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from omni_sync.cli import Runtime
from omni_sync.commands.plan import one_environment_option
from omni_sync.errors import ConfigError

NO_FILE_WRITTEN = "no file was written"

if TYPE_CHECKING:
    from omni_sync.load.project import Project
    from omni_sync.model.desired import DesiredScenario
    from omni_sync.model.environment import Environment


@click.command("import")
@one_environment_option
@click.option(
    "--layout",
    type=click.Choice(["per-scenario", "per-environment"]),
    default="per-scenario",
    show_default=True,
    help="scenarios.d/ENV/NAME.yaml for each scenario, or one scenarios.d/ENV.yaml.",
)
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@click.pass_obj
def cli(runtime: Runtime, name: str, layout: str, force: bool) -> None:
    """Write scenario files from an account's existing scenarios.

    Scenarios the files already manage (by a pinned key, their name or renamed_from) are
    skipped and listed, so importing again, or with another layout, writes nothing twice. With
    several environments configured, each imported scenario is marked for this environment only
    (environments: [ENV]), so the others' plans do not change.
    """
    from omni_sync.adopt.account import read_scenarios
    from omni_sync.adopt.files import (
        Layout,
        check_unique_names,
        existing,
        import_warnings,
        scenario_files,
        write,
    )
    from omni_sync.adopt.managed import adoption
    from omni_sync.load.project import load_project

    with runtime.during("reading the files", NO_FILE_WRITTEN):
        project = load_project(runtime.root, runtime.config_path)
        (environment,) = project.select([name])
        known = _described(runtime, project, environment)
    with runtime.during("reading the account", NO_FILE_WRITTEN):
        scenarios = read_scenarios(project, environment)
    adopted = adoption(known, scenarios)
    check_unique_names(name, adopted.new)  # a name the files hold is theirs to settle (plan)
    for remote, source in adopted.managed:
        runtime.writer.err(f'Skipped "{remote.name}" ({remote.key}): already in {source}')
    only_in = name if len(project.environments) > 1 else None
    files = scenario_files(name, adopted.new, Layout(layout), only_in=only_in)
    taken = existing(project.root, files)
    if taken and not force:
        more = f" and {len(taken) - 1} more" if len(taken) > 1 else ""
        raise ConfigError(f"{taken[0]}{more} already exist; pass --force to overwrite")
    with runtime.during(
        "writing the scenario files",
        f"each file written is whole; omni-sync import -e {name} again writes the rest",
    ):
        write(project.root, files)
    for warning in import_warnings(scenarios):
        runtime.writer.warn(warning)
    runtime.writer.err(_closing(name, len(adopted.new), len(files), len(adopted.managed)))


def _described(
    runtime: Runtime, project: Project, environment: Environment
) -> list[DesiredScenario]:
    """The scenarios this environment's files describe. Problems of the whole set (no default
    yet, say) do not stop an import; a file that could not be read does: it may describe any of
    the account's scenarios."""
    from omni_sync.adopt.managed import unread_files
    from omni_sync.load.scenarios import load_environment

    loaded = load_environment(project, environment)
    described = list(loaded.desired().scenarios)
    unread = unread_files([problem.path for problem in loaded.problems], described)
    if unread:
        for problem in loaded.problems:
            if problem.path in unread:
                runtime.writer.err(str(problem))
        more = f" and {len(unread) - 1} more" if len(unread) > 1 else ""
        raise ConfigError(
            f"{unread[0]}{more} cannot be read for environment {environment.name} (above); fix "
            "it first: import must know every scenario the files already hold"
        )
    return described


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _closing(environment: str, written: int, files: int, skipped: int) -> str:
    already = f"; skipped {skipped} already in the files" if skipped else ""
    if not written:
        return (
            f"Imported nothing from {environment}: its {_plural(skipped, 'scenario')} "
            "are already in the files; no file written."
            if skipped
            else f"Imported nothing: environment {environment} holds no scenario."
        )
    return (
        f"Imported {_plural(written, 'scenario')} from {environment} into "
        f"{_plural(files, 'file')}{already}. Run omni-sync plan -e {environment}: "
        "the imported scenarios show no changes."
    )
