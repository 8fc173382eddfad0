"""``omni-sync render``: a message template rendered for a scenario and an environment, as the
exact ``POST /omni/1/advanced`` body an application would send, with a per-step preview."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import click

from omni_sync.cli import Runtime, Stage
from omni_sync.commands.environments import complete_environment_names
from omni_sync.errors import ConfigError

if TYPE_CHECKING:
    from omni_sync.client import OmniClient
    from omni_sync.load.project import Project
    from omni_sync.messages.body import Destination
    from omni_sync.messages.compose import Composed
    from omni_sync.model.environment import Environment

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
        upstream = await client.list_scenarios()
        if not any(scenario.name == name for scenario in upstream):
            raise absent(project, environment, name, str(tf.path))
        remote = resolve_scenario(upstream, name, environment.name)
        composed = compose(tf, index, remote, environment)
        if composed.problems:
            raise ProblemsFound(composed.problems)
        yield client, composed


def absent(project: Project, environment: Environment, name: str, template: str) -> ConfigError:
    """Why the account has no scenario ``name``, and what would give it one."""
    from omni_sync.load.scenarios import load_environment

    def described(where: Environment) -> bool:
        loaded = load_environment(project, where)
        return any(item.spec.name == name for item in loaded.scenarios)

    here = environment.name
    if described(environment):
        return ConfigError(
            f'scenario "{name}" is not in environment "{here}" yet; '
            f"run omni-sync apply --env {here} first"
        )
    others = [env.name for env in project.environments.values() if env != environment]
    elsewhere = [other for other in others if described(project.environments[other])]
    if elsewhere:
        return ConfigError(
            f'scenario "{name}" is not in environment "{here}": the scenario files describe it '
            f"only for {', '.join(elsewhere)} (environments:); render it with --env {elsewhere[0]}"
        )
    return ConfigError(
        f'scenario "{name}" (named in {template}) is in no scenario file and not in environment '
        f'"{here}"; describe it in scenarios.d/ and apply it, or correct the template\'s scenarios'
    )


def destination(options: Mapping[str, object], *, sending: bool) -> Destination:
    """The destination given on the command line; a phone number or address that is not one
    is refused before anything is rendered or sent."""
    from omni_sync.messages.body import Destination
    from omni_sync.model.scenario import PHONE_RULE, is_email_address, is_phone_number

    phone, email, push_id = (options.get(key) for key in ("phone", "email", "push_id"))
    outcome = "; nothing was sent" if sending else ""
    if isinstance(phone, str) and not is_phone_number(phone):
        raise ConfigError(f"--phone '{phone}' is not a phone number ({PHONE_RULE}){outcome}")
    if isinstance(email, str) and not is_email_address(email):
        raise ConfigError(
            f"--email '{email}' is not an email address (write it as name@example.com){outcome}"
        )
    return Destination(
        phone if isinstance(phone, str) else None,
        email if isinstance(email, str) else None,
        push_id if isinstance(push_id, str) else None,
    )


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
    from omni_sync.messages.compose import placeholder

    given = destination(options, sending=False)
    runtime.stage = Stage(f"rendering {target.template}")  # read by the CLI if stopped
    async with session(runtime, target) as (_, composed):
        to = placeholder(composed.scenario) if given.empty else given
        body = composed.body([to])
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
