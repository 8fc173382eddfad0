"""The template checks of ``omni-sync validate``: for every template, every scenario it names and
every environment holding that scenario, the content exists for each channel of the flow and fits
that channel's limits."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import jinja2

from omni_sync.errors import Problem
from omni_sync.messages.limits import check_limits
from omni_sync.messages.loading import TemplateFile, load_templates
from omni_sync.messages.rendering import render_message
from omni_sync.messages.template import CHANNEL_KEYS
from omni_sync.model.desired import DesiredState
from omni_sync.model.scenario import Channel, ScenarioSpec


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


def check_environment(
    tf: TemplateFile, state: DesiredState, jinja: jinja2.Environment
) -> list[Problem]:
    """One template in one environment: every channel its scenarios there can fail over to."""
    env = state.environment.name
    flows: list[tuple[int, ScenarioSpec]] = []
    for index, name in enumerate(tf.template.scenarios):
        spec = _named(state, name)
        if spec is not None:
            flows.append((index, spec))
    channels = [step.channel for _, spec in flows for step in spec.flow]
    messages, problems, missing = render_message(
        tf, channels, jinja=jinja, environment=env, variables=state.environment.vars
    )
    for index, spec in flows:
        for channel in dict.fromkeys(step.channel for step in spec.flow):
            if channel in missing:
                problems.append(tf.problem(("scenarios", index), _missing(channel, spec), env))
    for channel, message in messages.items():
        if not message.complete:
            continue
        key = CHANNEL_KEYS[channel]
        for finding in check_limits(message, key, tf.template.max_sms_parts):
            problems.append(tf.problem(finding.keys, finding.message, env))
    return problems


def _missing(channel: Channel, spec: ScenarioSpec) -> str:
    key = CHANNEL_KEYS[channel]
    return (
        f'no content for {channel.value}, a step of scenario "{spec.name}": '
        f"add {key}.text or a fallback"
    )


def check_templates(
    root: Path, states: Sequence[DesiredState], jinja: jinja2.Environment
) -> list[Problem]:
    """Every problem of every template under ``root/templates`` against these environments."""
    files, problems = load_templates(root)
    for tf in files:
        problems.extend(_unknown_scenarios(tf, states))
        for state in states:
            problems.extend(check_environment(tf, state, jinja))
    return problems
