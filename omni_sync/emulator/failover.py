"""Failover across a scenario's steps: each destination gets the first step whose channel has
content in the request and on which its address is reachable; the last step tried otherwise.

Which channels an address is reachable on is configured (``Reachability``); an address not
configured is reachable on every channel, so step 1 delivers.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from omni_sync.emulator.sms_parts import sms_parts
from omni_sync.model.scenario import Channel, Step

# Which address of ``to`` each channel sends to, in order of preference.
ADDRESS_FIELDS: dict[Channel, tuple[str, ...]] = {
    Channel.EMAIL: ("emailAddress",),
    Channel.PUSH: ("pushRegistrationId", "phoneNumber"),
    Channel.WHATSAPP: ("phoneNumber", "whatsAppUserId"),
}
PHONE = ("phoneNumber",)
TO_FIELDS = ("phoneNumber", "emailAddress", "pushRegistrationId", "whatsAppUserId")


class Reachability:
    """address -> the channels it can be reached on; unlisted addresses are reachable."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._channels: dict[str, frozenset[Channel]] = {}

    def set(self, address: str, channels: Iterable[Channel | str]) -> None:
        with self._lock:
            self._channels[address] = frozenset(Channel(c) for c in channels)

    def reachable(self, address: str, channel: Channel) -> bool:
        with self._lock:
            allowed = self._channels.get(address)
        return allowed is None or channel in allowed

    def snapshot(self) -> dict[str, list[str]]:
        with self._lock:
            return {a: sorted(c.value for c in chs) for a, chs in self._channels.items()}

    def clear(self) -> None:
        with self._lock:
            self._channels.clear()


@dataclass(frozen=True)
class Delivery:
    """The fate of one destination: the step that got it (or was tried last) and how."""

    channel: Channel
    sender: str
    address: str
    text: str
    delivered: bool
    message_count: int


def content_for(request: Mapping[str, Any], channel: Channel) -> Mapping[str, Any] | None:
    content = request.get(channel.body_key)
    return content if isinstance(content, Mapping) else None


def _address(to: Mapping[str, Any], channel: Channel) -> str | None:
    for field in ADDRESS_FIELDS.get(channel, PHONE):
        value = to.get(field)
        if isinstance(value, str) and value:
            return value
    return None


def _delivery(step: Step, address: str, content: Mapping[str, Any], delivered: bool) -> Delivery:
    text = content.get("text")
    text = text if isinstance(text, str) else ""
    count = sms_parts(text) if step.channel is Channel.SMS else 1
    return Delivery(step.channel, step.sender, address, text, delivered, count)


def deliver(
    flow: Iterable[Step],
    to: Mapping[str, Any],
    request: Mapping[str, Any],
    reachability: Reachability,
) -> Delivery | None:
    """Walk the steps; None when no step could even be tried (no content or no address)."""
    tried: Delivery | None = None
    for step in flow:
        content = content_for(request, step.channel)
        address = _address(to, step.channel)
        if content is None or address is None:
            continue
        if reachability.reachable(address, step.channel):
            return _delivery(step, address, content, delivered=True)
        tried = _delivery(step, address, content, delivered=False)
    return tried
