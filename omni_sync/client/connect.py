"""open_client(root, environment): the client for one environment, over HTTPS to the
account, or in-process to the embedded emulator (persisted in ``<root>/.omni-sync/<env>.db``)."""

from __future__ import annotations

import functools
import os
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from omni_sync import __version__, secrets
from omni_sync.client.answers import credential_hint
from omni_sync.client.omni import Log, OmniClient
from omni_sync.client.pacing import WriteWindow
from omni_sync.client.retry import RetryPolicy
from omni_sync.errors import ConfigError
from omni_sync.model.credentials import host_allowed, host_refusal
from omni_sync.model.environment import Environment
from omni_sync.model.settings_checks import destination_problems, environment_problems

STATE_DIR = ".omni-sync"
USER_AGENT = f"omni-sync/{__version__}"


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One verifying TLS context for every environment of a run: loading the CA certificates
    costs about 40 ms, which each of 20 environments would pay again. Honours SSL_CERT_FILE
    and SSL_CERT_DIR, as httpx does."""
    return httpx.create_ssl_context(verify=True)


def embedded_db(root: Path, environment: str) -> Path:
    """The embedded account's database; the folder is kept out of Git."""
    folder = root / STATE_DIR
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")
    return folder / f"{environment}.db"


def authorization(environment: Environment) -> str:
    """The credential's header, once the settings are sound and the host may receive it."""
    findings = environment_problems(environment) + destination_problems(environment)
    if findings:
        raise ConfigError(f'environment "{environment.name}": {findings[0][1]}')
    assert environment.auth is not None  # environment_problems requires it
    for name in environment.auth.required_variables():
        secrets.register(os.environ.get(name, ""))
    header = environment.auth.header(environment.name)
    secrets.register(header.partition(" ")[2])
    return header


def only_allowed_hosts(environment: str) -> Callable[[httpx.Request], Awaitable[None]]:
    """A request hook: whatever URL a request was built with, it leaves only for a host that
    may receive the credential (checked before httpx opens a connection or looks a name up)."""

    async def check(request: httpx.Request) -> None:
        host = request.url.raw_host.decode("ascii")
        if not host_allowed(host):
            raise ConfigError(f'environment "{environment}": {host_refusal(host)}')

    return check


@asynccontextmanager
async def open_client(
    root: Path,
    environment: Environment,
    *,
    log: Log | None = None,
    notice: Log | None = None,
    retry: RetryPolicy | None = None,
) -> AsyncIterator[OmniClient]:
    limits = environment.limits
    windows = {
        "creates": WriteWindow(limits.creates, limits.window_seconds),
        "updates": WriteWindow(limits.updates, limits.window_seconds),
    }
    timeout = httpx.Timeout(
        environment.timeout_seconds, connect=min(10.0, environment.timeout_seconds)
    )
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    if environment.embedded:
        from omni_sync.emulator.embedded import open_embedded

        db = embedded_db(root, environment.name)
        account = open_embedded(db)
        headers["Authorization"] = account.authorization
        http = httpx.AsyncClient(
            base_url=account.base_url, headers=headers, timeout=timeout, transport=account.transport
        )
    else:
        account = None
        headers["Authorization"] = authorization(environment)
        http = httpx.AsyncClient(
            base_url=environment.base_url.rstrip("/"),
            headers=headers,
            timeout=timeout,
            verify=tls_context(),
            event_hooks={"request": [only_allowed_hosts(environment.name)]},
        )
    try:
        async with http:
            yield OmniClient(
                http,
                environment=environment.name,
                page_limit=environment.page_limit,
                retry=retry,
                log=log,
                notice=notice,
                deadline_seconds=environment.timeout_seconds,
                credential=credential_hint(environment.auth) if environment.auth else None,
                **windows,
            )
    finally:
        if account is not None:
            account.close()
