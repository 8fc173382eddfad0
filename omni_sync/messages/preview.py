"""A per-channel preview of a rendered template along a scenario's flow: each step, its figures
(characters, SMS parts and encoding) and the text it would carry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from omni_sync.messages.limits import MAX_CHARACTERS, sms_figure
from omni_sync.messages.rendering import ChannelMessage
from omni_sync.messages.sms import count_sms
from omni_sync.model.scenario import Channel, Step


def _figure(channel: Channel, name: str, value: str) -> str:
    if channel is Channel.SMS and name == "text":
        return sms_figure(count_sms(value))
    limit = MAX_CHARACTERS.get((channel, name))
    of = f" of {limit:,}" if limit is not None else ""
    return f"{len(value):,}{of} characters"


def _indented(text: str) -> list[str]:
    return [f"      {line}" if line else "" for line in text.splitlines() or [""]]


def step_preview(number: int, step: Step, message: ChannelMessage | None) -> list[str]:
    head = f"{number}. {step.channel.value} from {step.sender}"
    if message is None:
        return [f"{head}: no content"]
    lines = [head]
    for name, field in message.fields.items():
        label = name.replace("_", " ")
        lines.append(f"   {label} ({_figure(step.channel, name, field.value)}, {field.source}):")
        lines.extend(_indented(field.value))
    return lines


def flow_preview(flow: Sequence[Step], messages: Mapping[Channel, ChannelMessage]) -> list[str]:
    lines: list[str] = []
    for number, step in enumerate(flow, start=1):
        lines.extend(step_preview(number, step, messages.get(step.channel)))
    return lines
