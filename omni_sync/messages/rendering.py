"""Rendering a template's content for the channels of a flow, in the one sandboxed Jinja
environment; every failure (a missing sample variable, a sandbox escape) is a located Problem."""

from __future__ import annotations

import functools
import re
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import jinja2

from omni_sync.errors import Problem
from omni_sync.load.safe_yaml import YamlPath as KeyPath
from omni_sync.messages.loading import TemplateFile
from omni_sync.messages.template import TextContent
from omni_sync.model.scenario import Channel

_NO_ATTRIBUTE = re.compile(r"has no attribute '([^']+)'")
_IS_UNDEFINED = re.compile(r"'([^']+)' is undefined")
_SOURCE_NAME = "<template>"  # the file name Jinja gives code compiled from a string


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


def _template_line(exc: BaseException) -> int:
    """The line inside the Jinja source that failed (Jinja rewrites tracebacks to point there)."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.lineno
    lines = [
        f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == _SOURCE_NAME
    ]
    return (lines[-1] or 1) if lines else 1


def _undefined(exc: jinja2.UndefinedError, source: str) -> str:
    text = str(exc.message)
    attribute = _NO_ATTRIBUTE.search(text)
    if attribute:
        name = re.escape(attribute.group(1))
        if re.search(rf"vars\s*(\.\s*{name}\b|\[\s*['\"]{name}['\"]\s*\])", source):
            return (
                f"undefined variable vars.{attribute.group(1)}: "
                "add it to this environment's vars in the config"
            )
    missing = _IS_UNDEFINED.match(text)
    what = f"variable {missing.group(1)}" if missing else f"value ({text})"
    return f"undefined {what}: add it to the template's sample data (or sample_file)"


def _describe(exc: Exception, source: str) -> str:
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return f"not allowed in the sandbox: {exc}"
    if isinstance(exc, jinja2.UndefinedError):
        return _undefined(exc, source)
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"Jinja syntax error: {exc.message}"
    return f"cannot render: {type(exc).__name__}: {exc}"


def _located(
    tf: TemplateFile, keys: KeyPath, source: str, exc: Exception, environment: str
) -> Problem:
    position = tf.where(*keys)
    offset = _template_line(exc) - (0 if tf.is_block(position) else 1)
    line = position.line + offset
    column = position.column if offset == 0 else tf.indentation(line) + 1
    field = ".".join(str(key) for key in keys)
    return Problem(tf.path, line, column, f"{field}: {_describe(exc, source)}", environment)


@functools.lru_cache(maxsize=4096)
def _compiled(jinja: jinja2.Environment, source: str) -> jinja2.Template:
    """Compiled once per process: validate renders each template in every environment."""
    return jinja.from_string(source)


class _Renderer:
    def __init__(
        self, tf: TemplateFile, jinja: jinja2.Environment, context: dict[str, Any], env: str
    ) -> None:
        self.tf, self.jinja, self.context, self.environment = tf, jinja, context, env
        self.problems: list[Problem] = []
        self.done: dict[KeyPath, RenderedField | None] = {}

    def render(self, keys: KeyPath, source: str) -> RenderedField | None:
        """Each source once (a fallback serves several channels), failures become Problems."""
        if keys not in self.done:
            try:
                text = _compiled(self.jinja, source).render(self.context)
                self.done[keys] = RenderedField(keys, text)
            except Exception as exc:  # a broken template is the user's problem, never a crash
                self.problems.append(_located(self.tf, keys, source, exc, self.environment))
                self.done[keys] = None
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
    jinja: jinja2.Environment,
    environment: str,
    variables: Mapping[str, Any],
) -> tuple[dict[Channel, ChannelMessage], list[Problem], list[Channel]]:
    """Render each channel once: the messages, the render problems, and the channels that have
    neither their own text nor a fallback."""
    renderer = _Renderer(tf, jinja, context_for(tf, environment, variables), environment)
    messages: dict[Channel, ChannelMessage] = {}
    missing: list[Channel] = []
    for channel in dict.fromkeys(channels):
        message = renderer.channel(channel)
        if message is None:
            missing.append(channel)
        else:
            messages[channel] = message
    return messages, renderer.problems, missing
