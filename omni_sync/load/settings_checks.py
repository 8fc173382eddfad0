"""Checks of one environment's settings beyond their types: the URL and the auth variables.

Each finding is (path inside the environment's mapping, message). A credential's *value* is never
looked at or shown: only the names of the variables that will hold it.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from omni_sync.load.safe_yaml import YamlPath
from omni_sync.model.environment import Auth, AuthType, Environment

_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_NEEDS: dict[AuthType, tuple[str, ...]] = {
    AuthType.APP: ("key_env",),
    AuthType.BASIC: ("username_env", "password_env"),
    AuthType.IBSSO: ("token_env",),
    AuthType.BEARER: ("token_env",),
}
_ALL_FIELDS = ("key_env", "username_env", "password_env", "token_env")

Finding = tuple[YamlPath, str]


def environment_problems(environment: Environment) -> list[Finding]:
    if environment.embedded:
        return []
    findings = _url_problems(environment)
    if environment.auth is None:
        findings.append(
            (
                (),
                f"environment '{environment.name}' needs auth to reach {environment.base_url} "
                "(e.g. auth: {type: app, key_env: INFOBIP_API_KEY})",
            )
        )
    else:
        findings.extend(_auth_problems(environment.auth))
    return findings


def _url_problems(environment: Environment) -> list[Finding]:
    where: YamlPath = ("base_url",)
    url = urlsplit(environment.base_url)
    if url.scheme not in {"https", "http"} or not url.hostname:
        return [
            (
                where,
                "base_url: use 'embedded' or an https:// URL such as https://xxxxx.api.infobip.com",
            )
        ]
    if url.username or url.password:
        return [(where, "base_url must not hold credentials; use auth with environment variables")]
    if url.query or url.fragment:
        return [(where, "base_url must not have a query or fragment")]
    if url.scheme == "http" and not (environment.allow_insecure_http or _loopback(url.hostname)):
        return [
            (
                where,
                "base_url: http:// sends credentials in clear text; use https:// "
                "(or set allow_insecure_http: true for a test server)",
            )
        ]
    return []


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _auth_problems(auth: Auth) -> list[Finding]:
    findings: list[Finding] = []
    needed = _NEEDS[auth.type]
    for field in _ALL_FIELDS:
        value = getattr(auth, field)
        path: YamlPath = ("auth", field)
        if field in needed and value is None:
            findings.append(
                (("auth",), f"auth type {auth.type.value} needs {field}: the variable to read")
            )
        elif field not in needed and value is not None:
            findings.append((path, f"auth type {auth.type.value} does not use {field}"))
        elif value is not None and not _VARIABLE_NAME.match(value):
            findings.append(
                (
                    path,
                    f"auth.{field} must be the name of an environment variable "
                    "(letters, digits, _), never the credential itself",
                )
            )
    return findings
