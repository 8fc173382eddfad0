"""``omni-sync environments``: the configured environments, for people or a CI matrix."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import click
from click.shell_completion import CompletionItem

from omni_sync.cli import Runtime

if TYPE_CHECKING:
    from omni_sync.model.environment import Environment

MATRIX_LIMIT = 256


def complete_environment_names(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Shell completion for ``-e/--env``: the names in omni-sync.yaml (honouring -C and -c)."""
    from omni_sync.errors import OmniSyncError
    from omni_sync.load.project import load_project

    del param
    options = ctx.find_root().params
    root = Path(options.get("chdir") or ".").resolve()
    config = options.get("config")
    try:
        project = load_project(root, None if config is None else root / config)
    except OmniSyncError:
        return []
    return [CompletionItem(name) for name in project.environments if name.startswith(incomplete)]


@click.command()
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='One line of JSON for a GitHub Actions matrix: {"environment": ["prod", ...]}.',
)
@click.option(
    "--credentials",
    is_flag=True,
    help='With --json, add "include": each job\'s environments and credential variable names '
    '({"environment": ..., "environments": [...], "credentials": [...]}) for the shipped '
    "workflows.",
)
@click.option(
    "--include-embedded",
    is_flag=True,
    help="With --json, keep the embedded (local emulator) environments, left out by default: "
    "a CI runner starts with an empty emulator, so their plans mean nothing there.",
)
@click.option(
    "--groups",
    type=click.IntRange(1, MATRIX_LIMIT),
    metavar="N",
    help=f"With --json, at most N jobs (GitHub allows {MATRIX_LIMIT}): each takes a group of "
    "environments, named group-K; an environment keeps its group as others come and go.",
)
@click.pass_obj
def cli(
    runtime: Runtime,
    as_json: bool,
    credentials: bool,
    include_embedded: bool,
    groups: int | None,
) -> None:
    """List the environments: name, where the account is and how it authenticates.

    In a workflow: `echo "matrix=$(omni-sync environments --json)" >> "$GITHUB_OUTPUT"`,
    then `strategy: {matrix: ${{ fromJSON(needs.list.outputs.matrix) }}}` and
    `-e ${{ matrix.environment }}`. Embedded environments are left out of --json.
    """
    from omni_sync.load.project import load_project

    if not as_json and (credentials or include_embedded or groups is not None):
        raise click.UsageError("--credentials, --include-embedded and --groups need --json")
    project = load_project(runtime.root, runtime.config_path)
    if as_json:
        chosen = {
            name: env
            for name, env in project.environments.items()
            if include_embedded or not env.embedded
        }
        runtime.writer.out(json.dumps(matrix(chosen, credentials=credentials, groups=groups)))
        return
    width = max(len(name) for name in project.environments)
    for name, environment in project.environments.items():
        auth = environment.auth
        how = (
            ""
            if environment.embedded or auth is None
            else _auth_label(auth.type.value, auth.required_variables())
        )
        runtime.writer.out(f"{name:<{width}}  {environment.base_url}{how}".rstrip())


def matrix(
    environments: Mapping[str, Environment], *, credentials: bool, groups: int | None
) -> dict[str, object]:
    """The job matrix: one job per environment, or per group with ``groups``."""
    jobs = _jobs(list(environments), groups)
    out: dict[str, object] = {"environment": list(jobs)}
    if credentials or groups is not None:
        out["include"] = [
            {
                "environment": label,
                "environments": names,
                "credentials": [
                    variable for name in names for variable in _variables(environments[name])
                ],
            }
            for label, names in jobs.items()
        ]
    return out


def _jobs(names: list[str], groups: int | None) -> dict[str, list[str]]:
    if groups is None:
        return {name: [name] for name in names}
    buckets: dict[int, list[str]] = {}
    for name in names:
        buckets.setdefault(group_of(name, groups), []).append(name)
    return {f"group-{index + 1}": buckets[index] for index in sorted(buckets)}


def group_of(name: str, groups: int) -> int:
    """A stable group for ``name``: it moves only when the number of groups changes."""
    digest = hashlib.sha256(name.encode()).digest()
    return int.from_bytes(digest[:8], "big") % groups


def _variables(environment: Environment) -> tuple[str, ...]:
    if environment.embedded or environment.auth is None:
        return ()
    return environment.auth.required_variables()


def _auth_label(kind: str, variables: tuple[str, ...]) -> str:
    return f"  ({kind} from ${', $'.join(variables)})" if variables else f"  ({kind})"
