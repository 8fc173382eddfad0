"""The template checks of ``omni-sync validate``: for every template, every scenario it names and
every environment holding that scenario, the content exists for each channel of the flow and fits
that channel's limits."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from omni_sync.errors import Problem
from omni_sync.messages.limits import check_limits
from omni_sync.messages.loading import TemplateFile, load_templates
from omni_sync.messages.rendering import ChannelMessage, render_message
from omni_sync.model.desired import DesiredState
from omni_sync.model.environment import Environment
from omni_sync.model.scenario import Channel, ScenarioSpec, Step


def _named(state: DesiredState, name: str) -> ScenarioSpec | None:
    for desired in state.scenarios:
        if desired.spec.name == name:
            return desired.spec
    return None


def _unknown_scenarios(tf: TemplateFile, states: Sequence[DesiredState]) -> list[Problem]:
    problems = []
    for index, name in enumerate(tf.template.scenarios):
        if not any(_named(state, name) for state in states):
            message = f'scenario "{name}" is in no environment\'s scenarios.d/: check its name'
            problems.append(tf.problem(("scenarios", index), message))
    return problems


@dataclass(frozen=True)
class Flow:
    """A scenario a template names (``index`` in its ``scenarios``) and the steps it has."""

    index: int
    name: str
    steps: Sequence[Step]


@dataclass(frozen=True)
class FlowCheck:
    """The rendered messages; ``problems`` when content is missing or does not render, and
    ``limits`` when it renders but does not fit its channel."""

    messages: dict[Channel, ChannelMessage]
    problems: list[Problem]
    limits: list[Problem]


def check_flows(tf: TemplateFile, flows: Sequence[Flow], environment: Environment) -> FlowCheck:
    """Render every channel the flows can fail over to, once, and check each one's limits."""
    env = environment.name
    channels = [step.channel for flow in flows for step in flow.steps]
    messages, problems, missing = render_message(
        tf, channels, environment=env, variables=environment.vars
    )
    for flow in flows:
        for channel in dict.fromkeys(step.channel for step in flow.steps):
            if channel in missing:
                problems.append(missing_content(tf, flow.index, flow.name, channel, env))
    limits = []
    for channel, message in messages.items():
        if message.complete:
            for finding in check_limits(message, channel.template_key, tf.template.max_sms_parts):
                limits.append(tf.problem(finding.keys, finding.message, env))
    return FlowCheck(messages, problems, limits)


def check_environment(tf: TemplateFile, state: DesiredState) -> list[Problem]:
    """One template in one environment: every channel its scenarios there can fail over to."""
    flows = []
    for index, name in enumerate(tf.template.scenarios):
        spec = _named(state, name)
        if spec is not None:
            flows.append(Flow(index, name, spec.flow))
    checked = check_flows(tf, flows, state.environment)
    return checked.problems + checked.limits


def missing_content(
    tf: TemplateFile, index: int, scenario: str, channel: Channel, environment: str
) -> Problem:
    """A channel of the flow of ``scenario`` (the ``index``-th the template names) that the
    template has neither text nor a fallback for."""
    message = (
        f'no content for {channel.value}, a step of scenario "{scenario}": '
        f"add {channel.template_key}.text or a fallback"
    )
    return tf.problem(("scenarios", index), message, environment)


def check_templates(
    root: Path,
    states: Sequence[DesiredState],
    *,
    every_environment: bool = True,
) -> list[Problem]:
    """Every problem of every template under ``root/templates`` against these environments.
    A scenario name found in none of them is only an error when they are every environment."""
    files, problems = load_templates(root)
    for tf in files:
        if every_environment:
            problems.extend(_unknown_scenarios(tf, states))
        for state in states:
            problems.extend(check_environment(tf, state))
    return problems


def template_problems(
    root: Path, environments: Collection[str], desired: Mapping[str, DesiredState]
) -> list[Problem]:
    """The checker ``omni-sync validate`` runs: every template under ``root``, in every
    environment loaded; ``environments`` names them all, loaded or not."""
    every = set(desired) == set(environments)
    return check_templates(root, list(desired.values()), every_environment=every)
