"""Scenarios as files describe them (ScenarioSpec) and as accounts hold them (RemoteScenario)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Channel(StrEnum):
    """The union of the OpenAPI spec's enum and the older product text's channels."""

    SMS = "SMS"
    EMAIL = "EMAIL"
    VOICE = "VOICE"
    PUSH = "PUSH"
    VIBER = "VIBER"
    LINE = "LINE"
    VKONTAKTE = "VKONTAKTE"
    KAKAO_CHINGU = "KAKAO_CHINGU"
    KAKAO_ALIM = "KAKAO_ALIM"
    WHATSAPP = "WHATSAPP"
    PARSECO = "PARSECO"
    FACEBOOK = "FACEBOOK"


class Step(BaseModel):
    """One failover step: ``channel`` from ``sender`` (spelled ``from`` in files and the API)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    channel: Channel
    sender: str = Field(alias="from", min_length=1)

    def to_api(self) -> dict[str, str]:
        return {"from": self.sender, "channel": self.channel.value}


class ScenarioSpec(BaseModel):
    """A desired scenario, after templating, as one entry of a ``scenarios.d`` file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=255)
    flow: tuple[Step, ...] = Field(min_length=1)
    default: bool = False
    environments: tuple[str, ...] | None = None
    renamed_from: tuple[str, ...] = ()

    def to_api(self) -> dict[str, object]:
        """The POST/PUT request body."""
        return {
            "name": self.name,
            "flow": [step.to_api() for step in self.flow],
            "default": self.default,
        }


class RemoteScenario(BaseModel):
    """A scenario as an account returns it. Keys are opaque strings."""

    model_config = ConfigDict(frozen=True)

    key: str
    name: str
    flow: tuple[Step, ...]
    default: bool = False
