"""``omni-sync environments``: the configured environments, for people or a CI matrix."""

from __future__ import annotations

import json
from pathlib import Path

import click
from click.shell_completion import CompletionItem

from omni_sync.cli import Runtime


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
    help='One line of JSON for a GitHub Actions matrix: {"environment": ["dev", ...]}.',
)
@click.option(
    "--credentials",
    is_flag=True,
    help='With --json, add "include": each environment\'s credential variable names '
    '({"environment": ..., "credentials": [...]}) for the shipped workflows.',
)
@click.pass_obj
def cli(runtime: Runtime, as_json: bool, credentials: bool) -> None:
    """List the environments: name, where the account is and how it authenticates.

    In a workflow: `echo "matrix=$(omni-sync environments --json)" >> "$GITHUB_OUTPUT"`,
    then `strategy: {matrix: ${{ fromJSON(needs.list.outputs.matrix) }}}` and
    `-e ${{ matrix.environment }}`.
    """
    from omni_sync.load.project import load_project

    project = load_project(runtime.root, runtime.config_path)
    if as_json:
        matrix: dict[str, object] = {"environment": list(project.environments)}
        if credentials:
            matrix["include"] = [
                {"environment": name, "credentials": list(env.auth.required_variables())}
                for name, env in project.environments.items()
                if env.auth is not None and not env.embedded
            ]
        runtime.writer.out(json.dumps(matrix))
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


def _auth_label(kind: str, variables: tuple[str, ...]) -> str:
    return f"  ({kind} from ${', $'.join(variables)})" if variables else f"  ({kind})"
