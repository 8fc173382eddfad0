"""Checks of one environment's settings beyond their types: the URL, the host the credential
goes to, and the names of the variables that hold it (the rules are in ``model.credentials``).

Each finding is (path inside the environment's mapping, message). A credential's *value* is never
looked at or shown: only the names of the variables that will hold it.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from urllib.parse import SplitResult, urlsplit

from omni_sync.model.credentials import (
    EXAMPLE_BASE_URL,
    host_allowed,
    host_refusal,
    is_loopback,
    variable_name_problem,
)
from omni_sync.model.environment import Auth, Environment

_ALL_FIELDS = tuple(name for name in Auth.model_fields if name.endswith("_env"))
_URL_SETTINGS = frozenset({"base_url", "allow_insecure_http"})  # what _url_problems reads

# The keys leading to a setting inside the environment's mapping (load/ finds their line).
FieldPath = tuple[str | int, ...]
Finding = tuple[FieldPath, str]


def environment_problems(
    environment: Environment, unread: AbstractSet[str] = frozenset()
) -> list[Finding]:
    """What is wrong whatever the machine: checked wherever the config is read.

    ``unread``: the settings whose values failed their types (reported as such) and stand at
    their defaults here; nothing that depends on them is judged, so no finding is a guess."""
    if environment.embedded or "base_url" in unread:
        return []  # an unread base_url may be `embedded`, which needs no auth
    findings = [] if unread & _URL_SETTINGS else _url_problems(environment)
    if "auth" in unread:
        return findings
    if environment.auth is None:
        findings.append(
            (
                (),
                f"environment '{environment.name}' needs auth to reach {environment.base_url} "
                "(e.g. auth: {type: app, key_env: INFOBIP_API_KEY})",
            )
        )
    else:
        findings.extend(_auth_problems(environment.name, environment.auth))
    return findings


def destination_problems(
    environment: Environment,
    environ: Mapping[str, str] | None = None,
    unread: AbstractSet[str] = frozenset(),
) -> list[Finding]:
    """A base_url whose host may not receive the credential (see ``model.credentials``); it
    depends on ``OMNI_SYNC_ALLOWED_HOSTS``, so it is checked by validate and when connecting.
    Nothing is said of a URL that is not sound (``environment_problems`` says why), nor of
    one whose settings are ``unread``."""
    if environment.embedded or unread & _URL_SETTINGS or _url_problems(environment):
        return []
    host = urlsplit(environment.base_url).hostname or ""
    return [] if host_allowed(host, environ) else [(("base_url",), host_refusal(host))]


def _url_problems(environment: Environment) -> list[Finding]:
    where: FieldPath = ("base_url",)
    url = urlsplit(environment.base_url)
    if url.scheme not in {"https", "http"} or not url.hostname or not _port_readable(url):
        return [(where, f"base_url: use 'embedded' or an https:// URL such as {EXAMPLE_BASE_URL}")]
    if url.username is not None or url.password is not None:
        return [
            (
                where,
                "base_url must not hold a user or password (it would be sent and logged); "
                f"write {_address(url)} and name the credential's variables under auth",
            )
        ]
    extra = _beyond_the_address(url)
    if extra:
        return [
            (where, f"base_url must not have {extra}; write the address alone, {_address(url)}")
        ]
    if url.scheme == "http" and not (environment.allow_insecure_http or is_loopback(url.hostname)):
        return [
            (
                where,
                "base_url: http:// sends credentials in clear text; use https:// "
                "(or set allow_insecure_http: true for a test server)",
            )
        ]
    return []


def _port_readable(url: SplitResult) -> bool:
    try:
        url.port  # noqa: B018 (raises ValueError for a port that is not a number in range)
    except ValueError:
        return False
    return True


def _beyond_the_address(url: SplitResult) -> str:
    if url.path not in {"", "/"}:
        return f"a path ({url.path}: omni-sync adds the API's paths itself)"
    if url.query or url.fragment:
        return "a query or fragment"
    return ""


def _address(url: SplitResult) -> str:
    """The URL's scheme, host and port alone, e.g. https://xxxxx.api.infobip.com."""
    host = f"[{url.hostname}]" if ":" in (url.hostname or "") else url.hostname
    port = f":{url.port}" if url.port is not None else ""
    return f"{url.scheme}://{host}{port}"


def _auth_problems(environment: str, auth: Auth) -> list[Finding]:
    findings: list[Finding] = []
    needed = auth.type.fields
    for field in _ALL_FIELDS:
        value = getattr(auth, field)
        path: FieldPath = ("auth", field)
        if field in needed and value is None:
            findings.append(
                (("auth",), f"auth type {auth.type.value} needs {field}: the variable to read")
            )
        elif field not in needed and value is not None:
            findings.append((path, f"auth type {auth.type.value} does not use {field}"))
        elif value is not None:
            problem = variable_name_problem(field, value, environment)
            if problem:
                findings.append((path, problem))
    return findings
