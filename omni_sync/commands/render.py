"""``omni-sync render``: a message template rendered for a scenario and an environment, as the
exact ``POST /omni/1/advanced`` body an application would send, with a per-step preview."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import click

from omni_sync.cli import Runtime
from omni_sync.commands.environments import complete_environment_names

if TYPE_CHECKING:
    from omni_sync.client import OmniClient
    from omni_sync.messages.compose import Composed

F = TypeVar("F", bound=Callable[..., object])


def target_options(command: F) -> F:
    """The options ``render`` and ``send`` share: where, through what, and to whom."""
    options = [
        click.option(
            "-e",
            "--env",
            "env_name",
            metavar="NAME",
            shell_complete=complete_environment_names,
            help="The environment.",
        ),
        click.option("-s", "--scenario", help="The scenario (when the template names several)."),
        click.option("--phone", metavar="NUMBER", help="Phone number, international format."),
        click.option("--email", metavar="ADDRESS", help="Email address."),
        click.option("--push-id", metavar="ID", help="Push registration id."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@dataclass(frozen=True)
class Target:
    """What the command line asked for: a template, through which scenario, where."""

    template: str
    scenario: str | None
    env: str | None


@asynccontextmanager
async def session(runtime: Runtime, target: Target) -> AsyncIterator[tuple[OmniClient, Composed]]:
    """The environment's client, and the template rendered along the flow the account holds
    (its scenario key read from the account); content that is missing or fails is refused."""
    from omni_sync.client import open_client
    from omni_sync.client.sending import resolve_scenario
    from omni_sync.errors import ProblemsFound
    from omni_sync.load.project import load_project
    from omni_sync.messages.compose import compose, pick_environment, pick_scenario
    from omni_sync.messages.loading import find_template

    project = load_project(runtime.root, runtime.config_path)
    environment = pick_environment(project.environments, target.env)
    tf = find_template(runtime.root, target.template)
    index, name = pick_scenario(tf, target.scenario)
    async with open_client(project.root, environment, log=runtime.writer.log) as client:
        remote = resolve_scenario(await client.list_scenarios(), name, environment.name)
        composed = compose(tf, index, remote, environment)
        if composed.problems:
            raise ProblemsFound(composed.problems)
        yield client, composed


def show_preview(runtime: Runtime, composed: Composed) -> None:
    from omni_sync.messages.preview import flow_preview

    writer = runtime.writer
    scenario = composed.scenario
    writer.err(
        f'{composed.template.path} through "{scenario.name}" ({scenario.key}) '
        f"in {composed.environment.name}:"
    )
    for line in flow_preview(scenario.flow, composed.messages):
        writer.err(line)
    for problem in composed.limits:
        writer.warn(str(problem))


async def _render(runtime: Runtime, target: Target, options: dict[str, str | None]) -> None:
    from omni_sync.messages.body import Destination
    from omni_sync.messages.compose import placeholder

    async with session(runtime, target) as (_, composed):
        destination = Destination(options["phone"], options["email"], options["push_id"])
        if destination.empty:
            destination = placeholder(composed.scenario)
        body = composed.body([destination])
        runtime.writer.out(json.dumps(body, indent=2, ensure_ascii=False))
        show_preview(runtime, composed)


@click.command()
@click.argument("template")
@target_options
@click.pass_obj
def cli(runtime: Runtime, /, template: str, **options: str | None) -> None:
    """Print the POST /omni/1/advanced body for TEMPLATE (a name or a path) through a scenario.

    The body goes to stdout; the preview of each flow step, with its character and SMS part
    counts, goes to stderr. Without --phone/--email/--push-id the destination is a placeholder.
    """
    import asyncio

    target = Target(template, options["scenario"], options["env_name"])
    # Last statement on purpose: coverage loses the calling frames after an httpx session
    # inside asyncio.run, so nothing in this frame follows it.
    asyncio.run(_render(runtime, target, options))
