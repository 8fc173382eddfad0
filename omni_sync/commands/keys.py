"""``omni-sync keys -e ENV``: the keys of the scenarios the files describe, by name, for the
applications that send through them (like ``terraform output``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from omni_sync.cli import Runtime
from omni_sync.commands.plan import one_environment_option, scenario_option
from omni_sync.errors import ConfigError, PlanError

if TYPE_CHECKING:
    from omni_sync.model.desired import DesiredState
    from omni_sync.plan.changes import Plan


@click.command()
@one_environment_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "env"]),
    default="table",
    show_default=True,
    help="table for people, json for machines, env for KEY=value lines.",
)
@click.option(
    "--prefix", default="", metavar="TEXT", help="Put before every variable name (--format env)."
)
@scenario_option
@click.pass_obj
def cli(runtime: Runtime, name: str, fmt: str, prefix: str, targets: tuple[str, ...]) -> None:
    """Print the scenario keys of an environment by name.

    Only scenarios described by the files are listed (with --scenario, those it names); one
    not yet in the account is an error (run `omni-sync apply` first), so an application never
    gets a partial list.
    """
    from omni_sync.adopt.account import read_scenarios
    from omni_sync.adopt.keys import described_keys, render_keys
    from omni_sync.load.project import load_project
    from omni_sync.load.scenarios import load_desired
    from omni_sync.plan.diff import make_plan

    with runtime.during("reading the files"):
        project = load_project(runtime.root, runtime.config_path)
        (environment,) = project.select([name])
        desired = _only(name, load_desired(project, environment), targets)
    with runtime.during("reading the account"):
        actual = read_scenarios(project, environment)
    _refuse_ambiguity(name, make_plan(desired, actual))
    keys = described_keys(desired, actual)
    if not keys.missing:
        runtime.writer.out(render_keys(name, keys.found, fmt, prefix))
        return
    listed = ", ".join(f'"{missing}"' for missing in keys.missing)
    raise ConfigError(
        f'environment "{name}": {listed} not in the account yet; run omni-sync apply -e {name}'
    )


def _only(environment: str, desired: DesiredState, targets: tuple[str, ...]) -> DesiredState:
    """The scenarios ``--scenario`` names; a pattern that names none is an error."""
    if not targets:
        return desired
    from dataclasses import replace

    from omni_sync.plan.targeting import matches, unmatched

    missing = unmatched(targets, (item.spec.name for item in desired.scenarios))
    if missing:
        listed = ", ".join(f'"{pattern}"' for pattern in missing)
        raise ConfigError(
            f'environment "{environment}": --scenario {listed} matches no scenario in its files '
            f"(omni-sync print -e {environment} lists them)"
        )
    kept = tuple(item for item in desired.scenarios if matches(item.spec.name, targets))
    return replace(desired, scenarios=kept)


def _refuse_ambiguity(environment: str, plan: Plan) -> None:
    """Keys are read as plan matches (a pinned key, then the name, then ``renamed_from``, which
    raises where a file could mean several); a name held by several scenarios gets no key until
    apply has settled which one stays."""
    from omni_sync.plan.duplicates import is_retirement

    retired = [change for change in plan.changes if is_retirement(change)]
    if not retired:
        return
    held = sorted({f'"{change.before.name}"' for change in retired if change.before is not None})
    keys = ", ".join(change.key for change in retired if change.key is not None)
    raise PlanError(
        f'environment "{environment}": {", ".join(held)} held by more than one scenario '
        f"upstream; omni-sync apply -e {environment} keeps one per name and retires {keys} "
        "(omni-sync plan shows it), then keys prints one key per name"
    )
