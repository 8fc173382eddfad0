"""Message previews as plans show them: lines for the text plan (and a Markdown block), and a
versioned JSON shape (docs/plan-json.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

from omni_sync.model.preview import MessagePreview, SentMessage, StepPreview

_TEXT_SHOWN = 480


def _message(message: SentMessage) -> list[str]:
    text = message.text if len(message.text) <= _TEXT_SHOWN else message.text[:_TEXT_SHOWN] + "…"
    figure = message.figure()
    why = f", {message.sms_reason}" if message.sms_reason else ""
    head = f"from {message.sender}: {message.characters:,} characters"
    if message.sms_parts is not None:
        head += f", {figure}{why}"
    body = [f"       | {line}" for line in text.splitlines() or [""]]
    return [head, *body]


def _step(step: StepPreview) -> list[str]:
    lines = [f"  {step.position}. {step.change()}"]
    if step.after is not None:
        first, *rest = _message(step.after)
        lines += [f"     {first}", *rest]
    if step.before is not None and step.after != step.before:
        first, *rest = _message(step.before)
        lines += [f"     before, {first}", *rest]
    return lines


def preview_lines(previews: Sequence[MessagePreview]) -> list[str]:
    """``Message preview: templates/x.yaml through "Orders" (template changed)`` and its steps."""
    lines: list[str] = []
    for preview in previews:
        lines.append(
            f'Message preview: {preview.template} through "{preview.scenario}" ({preview.reason})'
        )
        for step in preview.steps:
            lines.extend(_step(step))
        lines.extend(f"  ! {problem}" for problem in preview.problems)
    return lines


def preview_json(preview: MessagePreview) -> dict[str, object]:
    return {
        "template": preview.template,
        "scenario": preview.scenario,
        "reason": preview.reason,
        "steps": [
            {
                "position": step.position,
                "channel": step.channel,
                "change": step.change(),
                "after": asdict(step.after) if step.after is not None else None,
                "before": asdict(step.before) if step.before is not None else None,
            }
            for step in preview.steps
        ],
        "problems": list(preview.problems),
    }
