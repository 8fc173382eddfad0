"""The one table of auth kinds (on ``AuthType``): for each kind, the settings it needs are the
ones validation asks for, the header is built from them, and a 401 names them."""

from __future__ import annotations

import base64

import pytest

from omni_sync.client.answers import credential_hint
from omni_sync.errors import ConfigError
from omni_sync.model.environment import Auth, AuthType, Environment
from omni_sync.model.settings_checks import environment_problems

URL = "https://xxxxx.api.infobip.com"


def auth_of(kind: AuthType) -> Auth:
    return Auth(type=kind, **{field: f"OMNI_{field.upper()}" for field in kind.fields})


@pytest.mark.parametrize("kind", list(AuthType))
def test_each_kind_needs_its_settings_builds_its_header_and_names_them(kind: AuthType) -> None:
    auth = auth_of(kind)
    assert environment_problems(Environment(name="prod", base_url=URL, auth=auth)) == []
    names = auth.required_variables()
    assert names == tuple(f"OMNI_{field.upper()}" for field in kind.fields)
    header = auth.header("prod", {name: f"secret-{i}" for i, name in enumerate(names)})
    scheme, _, credential = header.partition(" ")
    assert scheme == kind.scheme
    if kind is AuthType.BASIC:
        assert base64.b64decode(credential) == b"secret-0:secret-1"
    else:
        assert credential == "secret-0"
    hint = credential_hint(auth)
    assert hint.startswith(kind.credential)
    assert all(name in hint for name in names)


@pytest.mark.parametrize("kind", list(AuthType))
def test_each_kind_without_its_settings_is_refused_naming_them(kind: AuthType) -> None:
    bare = Auth(type=kind)
    (problem,) = environment_problems(Environment(name="prod", base_url=URL, auth=bare))[:1]
    assert kind.fields[0] in problem[1]
    with pytest.raises(ConfigError, match=" and ".join(kind.fields)):
        bare.header("prod", {})
