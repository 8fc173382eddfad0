"""The emulator in-process, for the ``embedded`` environment: an httpx transport straight
into the app, one account per database file, no throttling unless asked for."""

from __future__ import annotations

import secrets as random_tokens
from dataclasses import dataclass
from pathlib import Path

import httpx

from omni_sync import secrets
from omni_sync.emulator.accounts import Credential, Scheme
from omni_sync.emulator.app import create_app
from omni_sync.emulator.errors import ConnectionDropped
from omni_sync.emulator.faults import FaultSettings
from omni_sync.emulator.state import EmulatorState
from omni_sync.emulator.throttle import ThrottleSettings

EMBEDDED_ACCOUNT = "embedded"
EMBEDDED_BASE_URL = "http://embedded.local"


class EmbeddedTransport(httpx.AsyncBaseTransport):
    """ASGITransport, with a dropped connection surfacing as httpx's own error for it."""

    def __init__(self, state: EmulatorState) -> None:
        self._inner = httpx.ASGITransport(app=create_app(state, drop_style="raise"))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await self._inner.handle_async_request(request)
        except ConnectionDropped as exc:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a complete response", request=request
            ) from exc


@dataclass
class EmbeddedAccount:
    state: EmulatorState
    transport: EmbeddedTransport
    authorization: str
    base_url: str = EMBEDDED_BASE_URL

    def close(self) -> None:
        self.state.close()


def open_embedded(
    db_path: Path,
    *,
    throttle: ThrottleSettings | None = None,
    faults: FaultSettings | None = None,
) -> EmbeddedAccount:
    """The embedded account over ``db_path``: the same scenarios every run, whatever the
    per-process credential (the store keys them by a fixed account id)."""
    state = EmulatorState.open(
        db_path, throttle=throttle or ThrottleSettings(enabled=False), faults=faults
    )
    credential = Credential(Scheme.APP, random_tokens.token_hex(24))
    secrets.register(credential.secret)
    state.accounts.add(credential, EMBEDDED_ACCOUNT)
    return EmbeddedAccount(
        state=state, transport=EmbeddedTransport(state), authorization=credential.header()
    )
