"""Scenarios as files describe them (ScenarioSpec) and as accounts hold them (RemoteScenario)."""

from __future__ import annotations

import functools
import re
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    field_validator,
)
from pydantic_core import PydanticCustomError

_PHONE = re.compile(r"\+?[0-9]{3,15}\Z")
_ALPHANUMERIC = re.compile(r"[A-Za-z0-9 .&_-]+\Z")
_EMAIL_ADDRESS = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>.]+\Z")
_NAMED_EMAIL = re.compile(r"[^<>]*<([^<>]+)>\Z")
MAX_ALPHANUMERIC_SMS_SENDER = 11
# A key goes into the URL path /omni/1/scenarios/{key}: nothing that could change the path.
KEY_CHARACTERS = "[A-Za-z0-9_-]+"


class Channel(StrEnum):
    """The union of the OpenAPI spec's enum and the older product text's channels."""

    # The one table of channels: each with its name for people, the key of its content in a
    # send request's body (``facebook`` and ``parseco`` from the older docs) and its key in a
    # template file.

    label: str
    body_key: str
    template_key: str

    def __new__(cls, value: str, *names: str) -> Channel:
        # Channel("SMS") finds a member by its value; only the members below pass the names.
        member = str.__new__(cls, value)
        member._value_ = value
        member.label, member.body_key, member.template_key = names
        return member

    SMS = "SMS", "SMS", "sms", "sms"
    EMAIL = "EMAIL", "Email", "email", "email"
    VOICE = "VOICE", "Voice", "voice", "voice"
    PUSH = "PUSH", "Push", "push", "push"
    VIBER = "VIBER", "Viber", "viber", "viber"
    LINE = "LINE", "LINE", "line", "line"
    VKONTAKTE = "VKONTAKTE", "VKontakte", "vKontakte", "vkontakte"
    KAKAO_CHINGU = "KAKAO_CHINGU", "KakaoTalk Chingu", "kakaoChingu", "kakao_chingu"
    KAKAO_ALIM = "KAKAO_ALIM", "KakaoTalk Alim", "kakaoAlim", "kakao_alim"
    WHATSAPP = "WHATSAPP", "WhatsApp", "whatsApp", "whatsapp"
    PARSECO = "PARSECO", "Parseco", "parseco", "parseco"
    FACEBOOK = "FACEBOOK", "Facebook", "facebook", "facebook"


class Step(BaseModel):
    """One failover step: ``channel`` from ``sender`` (spelled ``from`` in files and the API)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, strict=True)

    channel: Channel = Field(description="The channel this step sends on.", strict=False)
    sender: str = Field(
        alias="from",
        min_length=1,
        description=(
            "The sender on that channel: SMS a phone number or at most 11 letters and digits, "
            "EMAIL an address, VOICE a phone number, VIBER a service id, PUSH an app code."
        ),
    )

    def to_api(self) -> dict[str, str]:
        return {"from": self.sender, "channel": self.channel.value}


PHONE_RULE = "digits only, optionally a leading +, 3 to 15 digits, e.g. 41793026727"


def is_phone_number(text: str) -> bool:
    return _PHONE.match(text) is not None


def is_email_address(text: str) -> bool:
    """A bare address (``name@example.com``), as a destination is written."""
    return _EMAIL_ADDRESS.match(text) is not None


@functools.lru_cache(maxsize=1024)
def sender_problem(channel: Channel, sender: str) -> str | None:
    """Why ``sender`` cannot send on ``channel``, where the documents give a rule; else None.
    Remembered: a repository names the same few senders in thousands of steps."""
    if sender != sender.strip():
        return f"{channel.value} sender '{sender}' has spaces at the start or end"
    if channel is Channel.EMAIL:
        named = _NAMED_EMAIL.match(sender)
        address = named.group(1).strip() if named else sender
        if not _EMAIL_ADDRESS.match(address):
            return (
                f"EMAIL sender '{sender}' is not an email address "
                "(write it as name@example.com or 'Name <name@example.com>')"
            )
    elif channel is Channel.VOICE:
        if not _PHONE.match(sender):
            return f"VOICE sender '{sender}' is not a phone number ({PHONE_RULE})"
    elif channel is Channel.SMS:
        return _sms_sender_problem(sender)
    return None


def _sms_sender_problem(sender: str) -> str | None:
    if _PHONE.match(sender):
        return None
    if not _ALPHANUMERIC.match(sender):
        return (
            f"SMS sender '{sender}' may hold only letters, digits, spaces and . & _ -, "
            "or be a phone number"
        )
    if sender.lstrip("+").isdigit():
        return f"SMS sender '{sender}' is not a phone number (3 to 15 digits)"
    if len(sender) > MAX_ALPHANUMERIC_SMS_SENDER:
        return (
            f"SMS sender '{sender}' is {len(sender)} characters; alphanumeric senders are at "
            f"most {MAX_ALPHANUMERIC_SMS_SENDER} (or use a phone number)"
        )
    return None


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a scenario in a file; None when it can."""
    if name != name.strip():
        return f"'{name}' has spaces at the start or end"
    if not name.isprintable():
        return f"{name!r} holds a control character; a name is one line of printable text"
    return None


def _checked_name(name: str) -> str:
    problem = name_problem(name)
    if problem:
        raise PydanticCustomError("name", "{problem}", {"problem": problem})
    return name


Name = Annotated[
    str, Field(min_length=1, max_length=255, strict=True), AfterValidator(_checked_name)
]
"""A scenario's name as files write it: text, one line, no spaces around it."""


class ScenarioSpec(BaseModel):
    """A desired scenario, after templating, as one entry of a ``scenarios.d`` file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Name = Field(description="Unique in each environment; how plans match.")
    flow: tuple[Step, ...] = Field(
        min_length=1, description="The steps, tried in order until one reaches the person."
    )
    default: StrictBool = Field(
        default=False, description="The account's default scenario; exactly one per environment."
    )
    environments: tuple[str, ...] | None = Field(
        default=None,
        description="Only these environments (names from omni-sync.yaml); all if absent.",
    )
    renamed_from: tuple[Name, ...] = Field(
        default=(),
        description="Earlier names: a rename updates that scenario instead of adding one.",
    )
    key: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        json_schema_extra={"pattern": f"^{KEY_CHARACTERS}$"},
        description=(
            "Pin this scenario to the account's scenario with this key (keys differ per "
            "account): it is updated to match, and others of the same name are retired."
        ),
    )

    @field_validator("key")
    @classmethod
    def _key_fits_a_path(cls, key: str | None) -> str | None:
        if key is not None and not re.fullmatch(KEY_CHARACTERS, key):
            raise PydanticCustomError(
                "key",
                "'{key}' is not a scenario key: keys are letters, digits, _ and - "
                "(omni-sync keys prints them)",
                {"key": key},
            )
        return key

    @field_validator("environments")
    @classmethod
    def _some_environments(cls, names: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if names is not None and not names:
            raise PydanticCustomError(
                "environments",
                "list at least one environment, or leave the key out for every environment",
            )
        return names

    @field_validator("flow")
    @classmethod
    def _senders_fit_channels(cls, flow: tuple[Step, ...]) -> tuple[Step, ...]:
        """Checked here, not on Step, so scenarios read back from an account are never refused.

        The error's context lists every bad step (``senders``: index, message) so a loader can
        point at each ``from`` value.
        """
        bad = [
            (index, problem)
            for index, step in enumerate(flow)
            if (problem := sender_problem(step.channel, step.sender))
        ]
        if bad:
            raise PydanticCustomError("sender", "{summary}", {"summary": bad[0][1], "senders": bad})
        return flow

    def to_api(self) -> dict[str, object]:
        """The POST/PUT request body."""
        return {
            "name": self.name,
            "flow": [step.to_api() for step in self.flow],
            "default": self.default,
        }


def _key_text(value: object) -> object:
    """The spec's schema types a key as an int64 where every example is hex text: either is
    kept as an opaque string."""
    return str(value) if type(value) is int else value


class RemoteScenario(BaseModel):
    """A scenario as an account returns it. Keys are opaque strings; the default flag is read
    as ``default`` or, as older SDKs name it, ``defaultScenario``."""

    model_config = ConfigDict(frozen=True)

    key: Annotated[str, BeforeValidator(_key_text)]
    name: str
    flow: tuple[Step, ...]
    default: bool = Field(
        default=False, validation_alias=AliasChoices("default", "defaultScenario")
    )
