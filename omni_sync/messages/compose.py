"""What ``render`` and ``send`` share: the environment and scenario chosen, the template rendered
along the flow the account really holds, and the request body built from it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from omni_sync.errors import ConfigError, Problem
from omni_sync.messages.body import Destination, advanced_body
from omni_sync.messages.checks import Flow, check_flows
from omni_sync.messages.loading import TemplateFile
from omni_sync.messages.rendering import ChannelMessage
from omni_sync.model.environment import Environment
from omni_sync.model.scenario import Channel, RemoteScenario

# The address each channel reaches a person at, for a placeholder destination.
PHONE_CHANNELS = frozenset(Channel) - {Channel.EMAIL, Channel.PUSH}


def pick_environment(environments: Mapping[str, Environment], name: str | None) -> Environment:
    if name is None:
        if len(environments) == 1:
            return next(iter(environments.values()))
        names = ", ".join(environments)
        raise ConfigError(f"say which environment with --env ({names})")
    if name not in environments:
        names = ", ".join(environments) or "none"
        raise ConfigError(f'no environment "{name}" (environments: {names})')
    return environments[name]


def pick_scenario(tf: TemplateFile, name: str | None) -> tuple[int, str]:
    """The scenario (its index in the template's list) to render the template for."""
    names = tf.template.scenarios
    if name is None:
        if len(names) == 1:
            return 0, names[0]
        listed = ", ".join(f'"{n}"' for n in names)
        raise ConfigError(f"template {tf.name} is sent through {listed}: say which with --scenario")
    if name not in names:
        listed = ", ".join(f'"{n}"' for n in names)
        raise ConfigError(
            f'template {tf.name} is not sent through "{name}" (its scenarios: {listed}); '
            f"add it to {tf.path} first"
        )
    return names.index(name), name


@dataclass(frozen=True)
class Composed:
    template: TemplateFile
    environment: Environment
    scenario: RemoteScenario
    messages: dict[Channel, ChannelMessage]
    problems: list[Problem]
    limits: list[Problem]

    def body(self, destinations: Sequence[Destination]) -> dict[str, Any]:
        return advanced_body(self.messages, destinations, scenario_key=self.scenario.key)


def compose(
    tf: TemplateFile, index: int, scenario: RemoteScenario, environment: Environment
) -> Composed:
    flow = Flow(index, scenario.name, scenario.flow)
    checked = check_flows(tf, [flow], environment)
    return Composed(tf, environment, scenario, checked.messages, checked.problems, checked.limits)


def placeholder(scenario: RemoteScenario) -> Destination:
    """A destination with a placeholder for each address the flow's channels need."""
    channels = {step.channel for step in scenario.flow}
    return Destination(
        phone_number="<phone number>" if channels & PHONE_CHANNELS else None,
        email_address="<email address>" if Channel.EMAIL in channels else None,
        push_registration_id="<push registration id>" if Channel.PUSH in channels else None,
    )
