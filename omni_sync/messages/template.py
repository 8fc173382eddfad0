"""A message template as its file spells it: content per channel (Jinja2 source), a fallback
text for channels it does not spell out, the scenarios it is sent through, and sample data."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from omni_sync.model.scenario import Channel


class _Content(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TextContent(_Content):
    text: str | None = None


class ViberContent(_Content):
    text: str | None = None
    image_url: str | None = None
    button_text: str | None = None
    button_url: str | None = None


class EmailContent(_Content):
    subject: str | None = None
    text: str | None = None


class VoiceContent(_Content):
    text: str | None = None
    language: str | None = None


RESERVED_SAMPLE_KEYS = frozenset({"vars", "env"})


class MessageTemplate(BaseModel):
    """One file under ``templates/``; every string field below ``sms`` ... ``parseco`` and
    ``fallback`` is Jinja2, rendered in the sandbox with the sample data."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str | None = None
    scenarios: tuple[str, ...]
    max_sms_parts: int = Field(default=1, ge=1, le=255)
    sample: dict[str, Any] | None = None
    sample_file: str | None = None
    fallback: str | None = None
    sms: TextContent | None = None
    viber: ViberContent | None = None
    whatsapp: TextContent | None = None
    email: EmailContent | None = None
    push: TextContent | None = None
    voice: VoiceContent | None = None
    line: TextContent | None = None
    vkontakte: TextContent | None = None
    kakao_chingu: TextContent | None = None
    kakao_alim: TextContent | None = None
    facebook: TextContent | None = None
    parseco: TextContent | None = None

    @field_validator("scenarios")
    @classmethod
    def _some_scenario(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise PydanticCustomError(
                "no_scenario", "name at least one scenario the template is sent through"
            )
        return value

    @field_validator("sample")
    @classmethod
    def _not_reserved(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        reserved = sorted(RESERVED_SAMPLE_KEYS & set(value or {}))
        if reserved:
            raise PydanticCustomError(
                "reserved", "sample keys {keys} are the environment's", {"keys": str(reserved)}
            )
        return value

    @field_validator("sample_file")
    @classmethod
    def _one_sample_source(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("sample") is not None:
            raise PydanticCustomError("two_samples", "give sample or sample_file, not both")
        return value

    def content(self, channel: Channel) -> _Content | None:
        value: _Content | None = getattr(self, channel.template_key)
        return value
