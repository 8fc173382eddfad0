"""The one table of channels (on ``Channel``): its body keys are the API's, its template keys
are the template file's, and every part of omni-sync reads them from there."""

from __future__ import annotations

import json

from omni_sync.messages.body import Destination, advanced_body
from omni_sync.messages.rendering import ChannelMessage, RenderedField
from omni_sync.messages.template import MessageTemplate
from omni_sync.model.scenario import Channel
from tests.conftest import REPO_ROOT

OLDER_DOCS_ONLY = {Channel.FACEBOOK, Channel.PARSECO}  # in the product text, not the OpenAPI


def advanced_request_properties() -> set[str]:
    spec = json.loads((REPO_ROOT / "spec/infobip-omni-failover-openapi.json").read_text())
    (request,) = (
        schema
        for name, schema in spec["components"]["schemas"].items()
        if name.endswith(".OmniAdvancedRequest")
    )
    return set(request["properties"])


def test_every_channel_body_key_is_a_field_of_the_send_request() -> None:
    properties = advanced_request_properties()
    for channel in Channel:
        assert (channel.body_key in properties) is (channel not in OLDER_DOCS_ONLY), channel


def test_every_channel_template_key_is_a_field_of_a_template_file() -> None:
    fields = set(MessageTemplate.model_fields)
    assert {channel.template_key for channel in Channel} <= fields
    assert len({channel.label for channel in Channel}) == len(Channel)


def test_the_send_body_names_each_channel_by_its_body_key() -> None:
    messages = {
        channel: ChannelMessage(channel, {"text": RenderedField(("x",), "hi")})
        for channel in (Channel.WHATSAPP, Channel.KAKAO_ALIM)
    }
    body = advanced_body(messages, [Destination(phone_number="41793026727")], scenario_key="k")
    assert body["whatsApp"] == {"text": "hi"}
    assert body["kakaoAlim"] == {"text": "hi"}
