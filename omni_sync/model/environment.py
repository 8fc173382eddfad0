"""An environment: one Infobip account, how to reach it, its variables and safety settings."""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StrictBool

from omni_sync.errors import ConfigError
from omni_sync.model.credentials import RESERVED_NAMES_PATTERN, VARIABLE_NAME_PATTERN
from omni_sync.model.policy import Policy

EMBEDDED = "embedded"


class AuthType(StrEnum):
    # The one table of auth kinds: the settings that name the credential's variables, the
    # scheme of the Authorization header, and what the credential is called in messages.
    fields: tuple[str, ...]
    scheme: str
    credential: str

    def __new__(
        cls, value: str, fields: tuple[str, ...] = (), scheme: str = "", credential: str = ""
    ) -> AuthType:
        # AuthType("app") finds a member by its value; only the members below pass the rest.
        member = str.__new__(cls, value)
        member._value_ = value
        member.fields, member.scheme, member.credential = fields, scheme, credential
        return member

    APP = "app", ("key_env",), "App", "the key"
    BASIC = "basic", ("username_env", "password_env"), "Basic", "the username and password"
    IBSSO = "ibsso", ("token_env",), "IBSSO", "the token"
    BEARER = "bearer", ("token_env",), "Bearer", "the token"


# For editors: the rule settings_checks applies (model.credentials), as JSON Schema.
_VARIABLE_NAME_SCHEMA: dict[str, JsonValue] = {
    "description": "The name of the environment variable that holds it: upper case, and not "
    "one that programs, the shell or CI read (PYTHON*, LD_*, PATH, GITHUB_*, ...).",
    "pattern": VARIABLE_NAME_PATTERN,
    "not": {"type": "string", "pattern": RESERVED_NAMES_PATTERN},
}


class Auth(BaseModel):
    """Names of environment variables holding the credential; never the credential itself."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: AuthType = AuthType.APP
    key_env: str | None = Field(default=None, json_schema_extra=_VARIABLE_NAME_SCHEMA)
    username_env: str | None = Field(default=None, json_schema_extra=_VARIABLE_NAME_SCHEMA)
    password_env: str | None = Field(default=None, json_schema_extra=_VARIABLE_NAME_SCHEMA)
    token_env: str | None = Field(default=None, json_schema_extra=_VARIABLE_NAME_SCHEMA)

    def required_variables(self) -> tuple[str, ...]:
        names: tuple[str | None, ...] = tuple(getattr(self, field) for field in self.type.fields)
        return tuple(name for name in names if name)

    def header(self, environment: str, environ: Mapping[str, str] | None = None) -> str:
        """The ``Authorization`` header value, read from the process environment."""
        env = os.environ if environ is None else environ
        wanted = self.required_variables()
        if not wanted:
            fields = " and ".join(self.type.fields)
            raise ConfigError(
                f'environment "{environment}": auth type {self.type.value} needs {fields}'
            )
        values = []
        for name in wanted:
            value = env.get(name, "")
            if not value:
                raise ConfigError(
                    f'environment "{environment}": the variable {name} is not set; '
                    f"export it with the account's credential"
                )
            values.append(value)
        if self.type is AuthType.BASIC:
            values = [base64.b64encode(":".join(values).encode()).decode()]
        return f"{self.type.scheme} {values[0]}"


class WriteLimits(BaseModel):
    """Documented write throttling: POST 20 and PUT 40 per 10 minutes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    creates: int = Field(default=20, ge=1)
    updates: int = Field(default=40, ge=1)
    window_seconds: float = Field(default=600.0, gt=0)


class Safety(BaseModel):
    """Thresholds that make apply refuse without ``--force``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_changes: int | None = Field(default=None, ge=0)
    confirm_default_switch: StrictBool = True


class Environment(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    base_url: str = Field(
        default=EMBEDDED,
        description="`embedded` (the local emulator) or https://<subdomain>.api.infobip.com",
    )
    auth: Auth | None = Field(
        default=None,
        description="How to authenticate: the names of environment variables, never a secret.",
    )
    vars: dict[str, Any] = Field(
        default_factory=dict, description="Variables for files and templates, as vars.<name>."
    )
    safety: Safety = Field(
        default=Safety(), description="Thresholds apply refuses without --force."
    )
    limits: WriteLimits = Field(
        default=WriteLimits(), description="The account's write limits, for pacing."
    )
    policy: Policy = Field(
        default=Policy(),
        description="Rules the flows must keep (README: Policy rules); over the top level's.",
    )
    allow_insecure_http: StrictBool = Field(
        default=False, description="Allow an http:// base_url off loopback (test servers only)."
    )
    page_limit: int = Field(default=100, ge=1, le=1000, description="Scenarios per listed page.")
    timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        description=(
            "The most one try of a request may take, from connecting to the answer's last byte."
        ),
    )

    @property
    def embedded(self) -> bool:
        return self.base_url == EMBEDDED
