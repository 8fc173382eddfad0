"""Rendering a template's content for the channels of a flow, in the one sandboxed Jinja
environment; every failure (a missing sample variable, a sandbox escape) is a located Problem."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from omni_sync.errors import Problem
from omni_sync.messages.loading import TemplateFile
from omni_sync.messages.template import TextContent
from omni_sync.model.scenario import Channel
from omni_sync.source.safe_yaml import YamlPath as KeyPath
from omni_sync.source.templating import Failure, render_text

HINTS = (
    "; add it to this environment's vars in the config",
    "; add it to the template's sample data (or sample_file)",
)
"""Where a missing ``vars.x``, and a missing other name, can be added."""


@dataclass(frozen=True)
class RenderedField:
    """A rendered value and the place in the file it was written (``sms.text``, ``fallback``)."""

    keys: KeyPath
    value: str

    @property
    def source(self) -> str:
        return ".".join(str(key) for key in self.keys)


@dataclass(frozen=True)
class ChannelMessage:
    channel: Channel
    fields: dict[str, RenderedField] = field(default_factory=dict)
    complete: bool = True  # False when a field failed to render (that failure is reported)

    def get(self, name: str) -> str | None:
        rendered = self.fields.get(name)
        return None if rendered is None else rendered.value


def context_for(tf: TemplateFile, environment: str, variables: Mapping[str, Any]) -> dict[str, Any]:
    """What a template sees: its sample data, and as in scenario files ``vars`` and ``env.name``."""
    return {**tf.sample, "vars": dict(variables), "env": {"name": environment}}


def _located(tf: TemplateFile, keys: KeyPath, failed: Failure, environment: str) -> Problem:
    """The template's line and column as a place in the file: a block scalar's text starts on
    the line after its key, any other value's where the value starts."""
    position = tf.where(*keys)
    offset = failed.line - (0 if tf.is_block(position) else 1)
    line = position.line + offset
    column = position.column if offset == 0 else tf.indentation(line) + failed.column
    field = ".".join(str(key) for key in keys)
    return Problem(tf.path, line, column, f"{field}: {failed.message}", environment)


class _Renderer:
    def __init__(self, tf: TemplateFile, context: dict[str, Any], env: str) -> None:
        self.tf, self.context, self.environment = tf, context, env
        self.problems: list[Problem] = []
        self.done: dict[KeyPath, RenderedField | None] = {}

    def render(self, keys: KeyPath, source: str) -> RenderedField | None:
        """Each source once (a fallback serves several channels), failures become Problems."""
        if keys not in self.done:
            rendered = render_text(source, self.context, HINTS)
            if isinstance(rendered, Failure):
                self.problems.append(_located(self.tf, keys, rendered, self.environment))
                self.done[keys] = None
            else:
                self.done[keys] = RenderedField(keys, rendered)
        return self.done[keys]

    def channel(self, channel: Channel) -> ChannelMessage | None:
        """The channel's fields; ``None`` when the file says nothing usable for its text."""
        key = channel.template_key
        block = self.tf.template.content(channel) or TextContent()
        sources: dict[str, tuple[KeyPath, str]] = {
            name: ((key, name), value)
            for name, value in block.model_dump(exclude_none=True).items()
        }
        if "text" not in sources and self.tf.template.fallback is not None:
            sources["text"] = (("fallback",), self.tf.template.fallback)
        if "text" not in sources:
            return None
        fields = {name: self.render(keys, src) for name, (keys, src) in sources.items()}
        done = {name: rendered for name, rendered in fields.items() if rendered is not None}
        return ChannelMessage(channel, done, complete=len(done) == len(fields))


def render_message(
    tf: TemplateFile,
    channels: Iterable[Channel],
    *,
    environment: str,
    variables: Mapping[str, Any],
) -> tuple[dict[Channel, ChannelMessage], list[Problem], list[Channel]]:
    """Render each channel once: the messages, the render problems, and the channels that have
    neither their own text nor a fallback."""
    renderer = _Renderer(tf, context_for(tf, environment, variables), environment)
    messages: dict[Channel, ChannelMessage] = {}
    missing: list[Channel] = []
    for channel in dict.fromkeys(channels):
        message = renderer.channel(channel)
        if message is None:
            missing.append(channel)
        else:
            messages[channel] = message
    return messages, renderer.problems, missing
