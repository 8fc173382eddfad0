"""The message previews of a plan, computed offline from files already read: for each template
that changed since the base of the change, or that is sent through a scenario whose flow
changes, what each step of the flow would send before and after (pure: no I/O, nothing sent)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from omni_sync.messages.checks import missing_content
from omni_sync.messages.limits import sms_cost
from omni_sync.messages.loading import TemplateFile
from omni_sync.messages.rendering import ChannelMessage, render_message
from omni_sync.messages.sms import count_sms
from omni_sync.model.preview import MessagePreview, SentMessage, StepPreview
from omni_sync.model.scenario import Channel, Step


@dataclass(frozen=True)
class PreviewInput:
    """One environment's side of the previews.

    ``flows``: every desired scenario's flow by name. ``changed``: the scenarios whose flow the
    plan changes, each with its flow before (None for one created). ``base``: the templates as
    they are on the base of the change, by path; None when the base is not known.
    """

    environment: str
    variables: Mapping[str, Any]
    flows: Mapping[str, tuple[Step, ...]]
    changed: Mapping[str, tuple[Step, ...] | None]
    base: Mapping[str, TemplateFile] | None


def _sent(step: Step, message: ChannelMessage | None) -> SentMessage | None:
    text = message.get("text") if message is not None else None
    if text is None:
        return None
    if step.channel is not Channel.SMS:
        return SentMessage(step.channel.value, step.sender, text, len(text))
    count = count_sms(text)
    return SentMessage(
        "SMS", step.sender, text, len(text), count.parts, count.encoding.value, sms_cost(count)
    )


def _render(
    tf: TemplateFile, flow: Sequence[Step], inputs: PreviewInput, scenario: str
) -> tuple[list[SentMessage | None], list[str]]:
    """What each step sends, and why a step sends nothing: a text that does not render, a
    channel the template has no content for (as validate says them)."""
    if not flow:
        return [], []
    environment = inputs.environment
    messages, problems, missing = render_message(
        tf, [step.channel for step in flow], environment=environment, variables=inputs.variables
    )
    index = tf.template.scenarios.index(scenario)
    problems += [missing_content(tf, index, scenario, c, environment) for c in missing]
    return [_sent(step, messages.get(step.channel)) for step in flow], [str(p) for p in problems]


def _steps(
    after: Sequence[Step],
    sent: Sequence[SentMessage | None],
    before: Sequence[Step],
    was: Sequence[SentMessage | None],
) -> tuple[StepPreview, ...]:
    """Each step after, paired with the first unpaired step before on the same channel; then
    the steps before that no longer have one."""
    unpaired = list(range(len(before)))
    steps = []
    for position, (step, message) in enumerate(zip(after, sent, strict=True), start=1):
        match = next((i for i in unpaired if before[i].channel is step.channel), None)
        if match is not None:
            unpaired.remove(match)
        old = was[match] if match is not None else None
        steps.append(StepPreview(position, step.channel.value, message, old))
    steps.extend(
        StepPreview(i + 1, before[i].channel.value, None, was[i], gone=True) for i in unpaired
    )
    return tuple(steps)


def _reason(tf: TemplateFile, inputs: PreviewInput, scenario: str) -> str | None:
    if inputs.base is not None:
        old = inputs.base.get(tf.path)
        if old is None:
            return "template added"
        if (old.template, old.sample) != (tf.template, tf.sample):
            return "template changed"
    if scenario in inputs.changed:
        return "scenario created" if inputs.changed[scenario] is None else "flow changed"
    return None


def message_previews(
    templates: Sequence[TemplateFile], inputs: PreviewInput
) -> tuple[MessagePreview, ...]:
    """Every template through every scenario of this environment it names, where the
    template or the scenario's flow changes."""
    previews = []
    for tf in templates:
        for scenario in tf.template.scenarios:
            flow = inputs.flows.get(scenario)
            reason = _reason(tf, inputs, scenario) if flow is not None else None
            if flow is None or reason is None:
                continue
            sent, problems = _render(tf, flow, inputs, scenario)
            old_tf = inputs.base.get(tf.path, tf) if inputs.base is not None else tf
            old_flow = inputs.changed.get(scenario, flow) or ()
            before = () if reason == "template added" else old_flow
            was, _ = _render(old_tf, before, inputs, scenario)
            steps = _steps(flow, sent, before, was)
            previews.append(MessagePreview(tf.path, scenario, reason, steps, tuple(problems)))
    return tuple(previews)
