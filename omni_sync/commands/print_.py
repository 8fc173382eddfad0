"""``omni-sync print``: the scenarios each environment's files render to, offline.

Exactly the desired state ``plan`` compares with the account (as DNSControl's ``print-ir``):
after Jinja, ``environments:`` filtering and validation, with each scenario's source.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from omni_sync.cli import Runtime
from omni_sync.commands.plan import environment_options

if TYPE_CHECKING:
    from omni_sync.model.desired import DesiredScenario, DesiredState


def scenario_body(item: DesiredScenario) -> dict[str, object]:
    """One scenario as plan compares it, in the files' own key order and spelling."""
    spec = item.spec
    body: dict[str, object] = {"name": spec.name, "default": spec.default}
    if spec.renamed_from:
        body["renamed_from"] = list(spec.renamed_from)
    if spec.key is not None:
        body["key"] = spec.key
    body["flow"] = [{"channel": step.channel.value, "from": step.sender} for step in spec.flow]
    body["source"] = str(item.source)
    return body


def desired_body(desired: DesiredState) -> dict[str, object]:
    return {
        "name": desired.environment.name,
        "files_digest": desired.files_digest,
        "scenarios": [scenario_body(item) for item in desired.scenarios],
    }


@click.command()
@environment_options
@click.option(
    "--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True
)
@click.pass_obj
def cli(runtime: Runtime, *, envs: tuple[str, ...], all_: bool, fmt: str) -> None:
    """Print the scenarios each environment's files render to (what plan compares), offline."""
    from omni_sync.load.project import load_project
    from omni_sync.load.scenarios import load_desired

    project = load_project(runtime.root, runtime.config)
    bodies = [desired_body(load_desired(project, env)) for env in project.select(envs, all_)]
    document = {"environments": bodies}
    if fmt == "json":
        runtime.writer.out(json.dumps(document, indent=2, ensure_ascii=False))
        return
    import yaml

    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    runtime.writer.out(text, nl=False)
