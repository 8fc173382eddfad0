"""The ``POST /omni/1/advanced`` request body: a scenario key, destinations, and one content
object per channel, in the API's own field names."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from omni_sync.model.scenario import Channel

if TYPE_CHECKING:
    from omni_sync.messages.rendering import ChannelMessage

# Template field -> API field, where they differ.
API_FIELDS = {"image_url": "imageURL", "button_text": "buttonText", "button_url": "buttonURL"}


@dataclass(frozen=True)
class Destination:
    """Where a message goes; OMNI picks the address each channel needs."""

    phone_number: str | None = None
    email_address: str | None = None
    push_registration_id: str | None = None
    message_id: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.phone_number or self.email_address or self.push_registration_id)

    def to_api(self) -> dict[str, Any]:
        to = {
            "phoneNumber": self.phone_number,
            "emailAddress": self.email_address,
            "pushRegistrationId": self.push_registration_id,
        }
        body: dict[str, Any] = {"to": {k: v for k, v in to.items() if v is not None}}
        if self.message_id is not None:
            body["messageId"] = self.message_id
        return body


def channel_content(message: ChannelMessage) -> dict[str, str]:
    return {API_FIELDS.get(name, name): field.value for name, field in message.fields.items()}


def advanced_body(
    messages: Mapping[Channel, ChannelMessage],
    destinations: Sequence[Destination],
    *,
    scenario_key: str | None,
    bulk_id: str | None = None,
) -> dict[str, Any]:
    """The body an application sends; without ``scenario_key`` OMNI uses the default scenario."""
    body: dict[str, Any] = {}
    if scenario_key is not None:
        body["scenarioKey"] = scenario_key
    if bulk_id is not None:
        body["bulkId"] = bulk_id
    body["destinations"] = [destination.to_api() for destination in destinations]
    for channel in Channel:
        if channel in messages:
            body[channel.body_key] = channel_content(messages[channel])
    return body
