"""What a plan shows of the messages a change affects: per scenario a template is sent through,
what each step of its flow would send, before and after. Plain values, made by ``messages/`` and
rendered by ``plan/``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SentMessage:
    """One step's message: its sender and text; for SMS its parts and encoding, and why."""

    channel: str
    sender: str
    text: str
    characters: int
    sms_parts: int | None = None
    sms_encoding: str | None = None
    sms_reason: str | None = None

    def figure(self) -> str:
        """``2 parts UCS-2`` for SMS, ``120 characters`` for the others."""
        if self.sms_parts is None:
            return f"{self.characters:,} characters"
        plural = "part" if self.sms_parts == 1 else "parts"
        return f"{self.sms_parts} {plural} {self.sms_encoding}"


@dataclass(frozen=True)
class StepPreview:
    """A step of the flow after the change (``after``) and the message the same channel sent
    before it (``before``); either is None where that side has no such step or no message.
    ``gone``: a step before that the flow no longer has."""

    position: int
    channel: str
    after: SentMessage | None
    before: SentMessage | None
    gone: bool = False

    def change(self) -> str:
        """``SMS: 1 part GSM-7 -> 2 parts UCS-2 (because of 😀)``, or what else changed."""
        if self.gone:
            return f"{self.channel}: no longer sent"
        if self.after is None:  # no content, or it does not render: the problems say which
            return f"{self.channel}: no message from this template"
        if self.before is None:
            return f"{self.channel}: new, {self.after.figure()}"
        old, new = self.before.figure(), self.after.figure()
        if old != new:
            why = f" ({self.after.sms_reason})" if self.after.sms_reason else ""
            return f"{self.channel}: {old} -> {new}{why}"
        if (self.before.text, self.before.sender) != (self.after.text, self.after.sender):
            return f"{self.channel}: text changed, still {new}"
        return f"{self.channel}: unchanged"


@dataclass(frozen=True)
class MessagePreview:
    """A template through one scenario in one environment; ``reason`` says why it is shown."""

    template: str
    scenario: str
    reason: str
    steps: tuple[StepPreview, ...]
    problems: tuple[str, ...] = ()
