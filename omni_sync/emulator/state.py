"""Everything one running emulator holds: its database, accounts, throttle and faults."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from pathlib import Path

from starlette.requests import Request

from omni_sync.emulator.accounts import Accounts
from omni_sync.emulator.database import MEMORY, Database
from omni_sync.emulator.errors import UNAUTHORIZED, ApiProblem
from omni_sync.emulator.failover import Reachability
from omni_sync.emulator.faults import Faults, FaultSettings
from omni_sync.emulator.message_store import MessageStore
from omni_sync.emulator.scenario_store import ScenarioStore
from omni_sync.emulator.throttle import Throttle, ThrottleSettings


@dataclass
class EmulatorState:
    db: Database
    accounts: Accounts = field(default_factory=Accounts)
    throttle: Throttle = field(default_factory=lambda: Throttle(ThrottleSettings()))
    faults: Faults = field(default_factory=Faults)
    reachability: Reachability = field(default_factory=Reachability)
    admin_token: str | None = None

    def __post_init__(self) -> None:
        self.scenarios = ScenarioStore(self.db)
        self.messages = MessageStore(self.db)

    @classmethod
    def open(
        cls,
        db_path: Path | str = MEMORY,
        *,
        throttle: ThrottleSettings | None = None,
        faults: FaultSettings | None = None,
        admin_token: str | None = None,
    ) -> EmulatorState:
        return cls(
            db=Database(db_path),
            throttle=Throttle(throttle or ThrottleSettings()),
            faults=Faults(faults),
            admin_token=admin_token,
        )

    def account_for(self, request: Request) -> str:
        """The account the request's credential belongs to, or a 401."""
        account = self.accounts.resolve(request.headers.get("authorization"))
        if account is None:
            raise ApiProblem(401, UNAUTHORIZED)
        return account

    def admin_allowed(self, token: str | None) -> bool:
        if not self.admin_token or token is None:
            return False
        return hmac.compare_digest(token.encode(), self.admin_token.encode())

    def close(self) -> None:
        self.db.close()


def state_of(request: Request) -> EmulatorState:
    state: EmulatorState = request.app.state.emulator
    return state
