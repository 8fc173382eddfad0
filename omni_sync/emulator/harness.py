"""A served emulator under direct control, for tests and benchmarks: accounts, faults and
throttling are set on the live state (no HTTP round trip), and the store can be read."""

from __future__ import annotations

import secrets as random_tokens
from dataclasses import dataclass
from typing import Any

from omni_sync.emulator.accounts import Credential, Scheme
from omni_sync.emulator.app import create_app
from omni_sync.emulator.faults import FaultSettings
from omni_sync.emulator.server import BackgroundServer
from omni_sync.emulator.state import EmulatorState
from omni_sync.emulator.throttle import ThrottleSettings
from omni_sync.model.scenario import Channel, RemoteScenario

TEST_THROTTLE = ThrottleSettings(enabled=False)


@dataclass(frozen=True)
class EmulatorAccount:
    account_id: str
    credential: Credential

    @property
    def authorization(self) -> str:
        return self.credential.header()

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": self.authorization}

    @property
    def secret(self) -> str:
        """The API key or token (``user:password`` for Basic), as an env variable holds it."""
        return self.credential.secret


class EmulatorHarness:
    def __init__(self, state: EmulatorState, server: BackgroundServer) -> None:
        self.state = state
        self.server = server

    @classmethod
    def start(cls, admin_token: str | None = None) -> EmulatorHarness:
        state = EmulatorState.open(throttle=TEST_THROTTLE, admin_token=admin_token)
        server = BackgroundServer(create_app(state)).start()
        return cls(state, server)

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def add_account(
        self, kind: str = "app", secret: str | None = None, *, account_id: str | None = None
    ) -> EmulatorAccount:
        """A new account; a random credential unless ``secret`` is given (Basic: user:pass)."""
        scheme = Scheme(kind.lower())
        if secret is None:
            token = random_tokens.token_hex(16)
            secret = f"user-{token[:8]}:{token}" if scheme is Scheme.BASIC else token
        credential = Credential(scheme, secret)
        return EmulatorAccount(self.state.accounts.add(credential, account_id), credential)

    def set_faults(self, **fields: Any) -> FaultSettings:
        settings = FaultSettings().changed(**fields)
        self.state.faults.configure(settings)
        return settings

    def set_throttle(self, **fields: Any) -> ThrottleSettings:
        """Throttling on with the documented limits, unless fields say otherwise."""
        settings = ThrottleSettings().changed(**fields)
        self.state.throttle.configure(settings)
        return settings

    def set_reachable(self, address: str, *channels: Channel | str) -> None:
        """``address`` can be reached on these channels only (failover skips the others)."""
        self.state.reachability.set(address, channels)

    def scenarios(self, account: EmulatorAccount | str) -> list[RemoteScenario]:
        account_id = account if isinstance(account, str) else account.account_id
        return self.state.scenarios.select(account_id)

    def reset(self) -> None:
        """Empty store, no accounts, no faults, no throttling."""
        self.state.scenarios.clear()
        self.state.messages.clear()
        self.state.reachability.clear()
        self.state.accounts.clear()
        self.state.faults.configure(FaultSettings())
        self.state.throttle.configure(TEST_THROTTLE)

    def stop(self) -> None:
        self.server.stop()
        self.state.close()
