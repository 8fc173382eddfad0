"""``omni-sync import -e ENV``: write scenario files from what an account already holds, so a
team adopts omni-sync without retyping; a plan right after shows no changes."""

from __future__ import annotations

import click

from omni_sync.cli import Runtime
from omni_sync.commands.plan import one_environment_option
from omni_sync.errors import ConfigError


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

    With several environments configured, each imported scenario is marked for this
    environment only (environments: [ENV]), so the others' plans do not change.
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
    from omni_sync.load.project import load_project

    project = load_project(runtime.root, runtime.config_path)
    (environment,) = project.select([name])
    scenarios = read_scenarios(project, environment)
    check_unique_names(name, scenarios)
    only_in = name if len(project.environments) > 1 else None
    files = scenario_files(name, scenarios, Layout(layout), only_in=only_in)
    taken = existing(project.root, files)
    if taken and not force:
        more = f" and {len(taken) - 1} more" if len(taken) > 1 else ""
        raise ConfigError(f"{taken[0]}{more} already exist; pass --force to overwrite")
    write(project.root, files)
    for warning in import_warnings(scenarios):
        runtime.writer.warn(warning)
    count = len(scenarios)
    runtime.writer.err(
        f"Imported {count} scenario{'s' if count != 1 else ''} from {name} into "
        f"{len(files)} file{'s' if len(files) != 1 else ''}. Run omni-sync plan -e {name}: "
        "it should show no changes."
    )
