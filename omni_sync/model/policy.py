"""A team's rules for its flows (``policy:`` in omni-sync.yaml, at the top level and per
environment): checked by ``validate`` and enforced by ``plan`` (omni_sync/policy/)."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator
from pydantic_core import PydanticCustomError

from omni_sync.model.scenario import Channel


class Policy(BaseModel):
    """Every rule is optional; an environment's rules override the top level's, rule by rule."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    must_end_with: Channel | None = Field(
        default=None, strict=False, description="The channel every flow must end with."
    )
    allowed_channels: tuple[Channel, ...] | None = Field(
        default=None, strict=False, description="The only channels a flow may use."
    )
    forbidden_channels: tuple[Channel, ...] = Field(
        default=(), strict=False, description="Channels no flow may use."
    )
    max_steps: int | None = Field(default=None, ge=1, description="The most steps a flow may have.")
    sender_patterns: dict[Channel, str] = Field(
        default_factory=dict,
        description="Per channel, a regular expression every sender on it must match in full.",
    )
    required_scenarios: tuple[str, ...] = Field(
        default=(), description="Scenarios (by name) every environment must hold."
    )
    default_may_change: StrictBool = Field(
        default=True, description="false: plan refuses a change of the account's default scenario."
    )

    @field_validator("sender_patterns")
    @classmethod
    def _patterns_compile(cls, patterns: dict[Channel, str]) -> dict[Channel, str]:
        for channel, pattern in patterns.items():
            try:
                re.compile(pattern)
            except re.error as exc:
                raise PydanticCustomError(
                    "pattern",
                    "sender_patterns.{channel}: '{pattern}' is not a regular expression ({why})",
                    {"channel": channel.value, "pattern": pattern, "why": str(exc)},
                ) from exc
        return patterns

    def under(self, environment: Policy) -> Policy:
        """This (top-level) policy with an environment's own rules added or overriding."""
        own = {name: getattr(environment, name) for name in environment.model_fields_set}
        return self.model_copy(update=own)
