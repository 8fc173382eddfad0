"""Where a credential may go, and which variable names may hold one: the one place for both rules.

**Hosts.** A credential is sent only to Infobip's API (``api.infobip.com`` and any
``*.api.infobip.com``), to a loopback address (127.0.0.0/8, ::1, ``localhost``: the emulator, a
test server), or to a host the operator names in the environment variable
``OMNI_SYNC_ALLOWED_HOSTS`` (names or IP addresses separated by commas or spaces; ``*.example.com``
admits every name that ends in ``.example.com``, not ``example.com`` itself). That variable is read
from the process environment only, never from a file of the repository, so a change pushed to a
branch cannot widen it. The client refuses any other host before it opens a connection or looks a
name up; ``validate`` reports it at the ``base_url`` line.

**Variable names.** ``key_env``, ``username_env``, ``password_env`` and ``token_env`` name the
variables a pipeline exports the credential under. A name must be upper case (``A-Z``, digits,
``_``, starting with a letter) and must not be one that changes how programs run or where their
traffic goes (``PYTHONHOME``, ``LD_PRELOAD``, ``BASH_ENV``, ``PATH``, ``HTTPS_PROXY``,
``GITHUB_ENV``...): exported under such a name, the secret would steer the interpreter, the shell
or the runner, and could come back in their error output. ``RESERVED_NAMES`` and
``RESERVED_PREFIXES`` list them.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping

from omni_sync.errors import ConfigError

ALLOWED_HOSTS_VARIABLE = "OMNI_SYNC_ALLOWED_HOSTS"
INFOBIP_HOSTS = ("api.infobip.com", "*.api.infobip.com")
EXAMPLE_BASE_URL = "https://xxxxx.api.infobip.com"

VARIABLE_NAME_PATTERN = r"^[A-Z][A-Z0-9_]*$"
_VARIABLE_NAME = re.compile(VARIABLE_NAME_PATTERN)

RESERVED_PREFIXES = (
    # interpreters and the dynamic linker
    "PYTHON", "LD_", "DYLD_", "NODE_", "NPM_CONFIG_", "YARN_", "PIP_", "UV_", "CONDA_",
    "JAVA_", "PERL5", "RUBY", "BASH_FUNC_", "MALLOC_", "GLIBC_", "OPENSSL_",
    # tools a pipeline runs, and the runner itself
    "GIT_", "SSH_", "GNUPG", "GPG_", "DOCKER_", "XDG_", "LC_",
    "GITHUB_", "RUNNER_", "ACTIONS_", "INPUT_", "STATE_", "GH_",
    # omni-sync's own settings (the host allow-list among them)
    "OMNI_SYNC_",
)  # fmt: skip
RESERVED_NAMES = frozenset(
    {
        # the shell
        "BASH_ENV", "ENV", "SHELLOPTS", "BASHOPTS", "IFS", "PS1", "PS2", "PS3", "PS4",
        "PROMPT_COMMAND", "CDPATH", "GLOBIGNORE", "PATH", "HOME", "SHELL", "TMPDIR", "TMP",
        "TEMP", "EDITOR", "VISUAL", "PAGER", "PWD", "OLDPWD", "USER", "LOGNAME", "TERM",
        "TERMINFO", "TERMCAP", "LANG", "LANGUAGE", "TZ", "CI", "NO_COLOR", "FORCE_COLOR",
        # interpreters
        "PERLLIB", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "CLASSPATH", "VIRTUAL_ENV",
        "GCONV_PATH", "NLSPATH", "HOSTALIASES", "LOCALDOMAIN", "RES_OPTIONS",
        # where traffic goes and whom it trusts
        "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "FTP_PROXY", "SSL_CERT_FILE",
        "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "CURL_HOME", "NETRC",
        "WGETRC", "KUBECONFIG", "SSLKEYLOGFILE",
        # the shipped workflows' own step variables: a credential exported under one would be
        # read back as a label, a branch or an argument (tests keep this list complete)
        "BASE_SHA", "BRANCH", "CREDENTIALS", "CREDENTIAL_1", "CREDENTIAL_2", "CREDENTIAL_NAMES",
        "DRIFTED", "ENVIRONMENTS", "EXPECTED", "FORCE", "GROUP_COUNT", "HEAD_SHA", "JOBS",
        "LABEL", "LISTED", "PLAN_WORKFLOW", "SHARED_SECRETS",
    }
)  # fmt: skip
RESERVED_NAMES_PATTERN = "^(?:{})".format(
    "|".join([*RESERVED_PREFIXES, *(f"{name}$" for name in sorted(RESERVED_NAMES))])
)
# What a name suggested in place of a refused one ends with, for each setting naming a variable.
_SUGGESTED_SUFFIXES = {
    "key_env": "API_KEY",
    "username_env": "USERNAME",
    "password_env": "PASSWORD",
    "token_env": "TOKEN",
}
_HOST_ENTRY = re.compile(r"(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")


def variable_name_problem(field: str, name: str, environment: str) -> str | None:
    """Why ``name`` cannot hold a credential (None when it can); never shows a refused value."""
    if not _VARIABLE_NAME.match(name):
        return (
            f"auth.{field} must be the name of an environment variable: upper-case letters, "
            f"digits and _, starting with a letter (e.g. {suggested_name(field, environment)}), "
            "never the credential itself"
        )
    reserved = name if name in RESERVED_NAMES else _reserved_prefix(name)
    if reserved is None:
        return None
    family = "" if reserved == name else f" ({reserved}*)"
    return (
        f"auth.{field}: {name} is a variable that programs, the shell or CI read{family}; a "
        "credential exported under it would change how they run or where they connect. Use a "
        f"name of your own, such as {suggested_name(field, environment)}"
    )


def suggested_name(field: str, environment: str) -> str:
    """A plain, unreserved name for ``field`` of ``environment``: INFOBIP_EU_WEST_TOKEN."""
    part = re.sub(r"[^A-Z0-9_]", "_", environment.upper())
    return f"INFOBIP_{part}_{_SUGGESTED_SUFFIXES[field]}"


def _reserved_prefix(name: str) -> str | None:
    return next((prefix for prefix in RESERVED_PREFIXES if name.startswith(prefix)), None)


def host_allowed(host: str, environ: Mapping[str, str] | None = None) -> bool:
    """May a credential be sent to ``host`` (a URL's host name or IP address)?"""
    host = host.strip("[]").rstrip(".").lower()
    if any(_matches(host, pattern) for pattern in INFOBIP_HOSTS) or is_loopback(host):
        return True
    return any(_matches(host, pattern) for pattern in operator_hosts(environ))


def host_refusal(host: str) -> str:
    """What ``validate`` and the client say of a host that may not receive the credential."""
    return (
        f"base_url: {host} is neither Infobip's API (api.infobip.com, *.api.infobip.com) nor "
        "loopback, so the credential is not sent there; if this host is yours, set "
        f"{ALLOWED_HOSTS_VARIABLE}={host} in the pipeline's environment (or your shell)"
    )


def operator_hosts(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The hosts ``OMNI_SYNC_ALLOWED_HOSTS`` names, checked; an unreadable entry is an error."""
    value = (os.environ if environ is None else environ).get(ALLOWED_HOSTS_VARIABLE, "")
    entries = tuple(entry.lower() for entry in re.split(r"[\s,]+", value) if entry)
    for entry in entries:
        if not _readable_entry(entry):
            raise ConfigError(
                f"{ALLOWED_HOSTS_VARIABLE}: {entry!r} is not a host name; list names or IP "
                "addresses separated by commas, such as omni.example.com,*.omni.example.com "
                "(no scheme, port or path; a pattern is *. and a domain of two labels or more)"
            )
    return tuple(entry.strip("[]") for entry in entries)


def _readable_entry(entry: str) -> bool:
    """A host name, an IP address, or ``*.`` and a domain of two labels or more."""
    if _ip(entry.strip("[]")) is not None:
        return True
    if not _HOST_ENTRY.fullmatch(entry):
        return False
    return not entry.startswith("*.") or entry.count(".") >= 2


def _matches(host: str, pattern: str) -> bool:
    if pattern.startswith("*."):
        return host.endswith(pattern[1:]) and len(host) > len(pattern) - 1
    return host == pattern


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or ``localhost``: this machine."""
    host = host.strip("[]").rstrip(".").lower()
    address = _ip(host)
    return host == "localhost" or (address is not None and address.is_loopback)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if not (text[:1].isdigit() or ":" in text):  # a name: skip the costly failed parse
        return None
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None
