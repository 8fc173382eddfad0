"""The in-process emulator behind the ``embedded`` environment."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from omni_sync import secrets
from omni_sync.emulator.embedded import EmbeddedAccount, open_embedded
from omni_sync.emulator.faults import FaultSettings
from omni_sync.emulator.throttle import ThrottleSettings

BODY = {"name": "Orders", "flow": [{"from": "InfoSMS", "channel": "SMS"}], "default": True}


def call(account: EmbeddedAccount, method: str, path: str, **kwargs: object) -> httpx.Response:
    async def go() -> httpx.Response:
        async with httpx.AsyncClient(
            transport=account.transport,
            base_url=account.base_url,
            headers={"Authorization": account.authorization},
        ) as client:
            return await client.request(method, path, **kwargs)

    return asyncio.run(go())


def test_scenarios_persist_across_runs_whatever_the_credential(tmp_path: Path):
    db = tmp_path / ".omni-sync" / "local.db"
    first = open_embedded(db)
    key = call(first, "POST", "/omni/1/scenarios", json=BODY).json()["key"]
    first.close()
    second = open_embedded(db)
    try:
        assert second.authorization != first.authorization
        listed = call(second, "GET", "/omni/1/scenarios").json()["scenarios"]
        assert [s["key"] for s in listed] == [key]
    finally:
        second.close()


def test_the_credential_is_registered_as_a_secret(tmp_path: Path):
    account = open_embedded(tmp_path / "e.db")
    try:
        assert account.authorization.startswith("App ")
        assert secrets.redact(account.authorization) == "App ***"
        assert (
            call(
                account, "GET", "/omni/1/scenarios", headers={"Authorization": "App x"}
            ).status_code
            == 401
        )
    finally:
        account.close()


def test_throttling_is_off_by_default_and_can_be_turned_on(tmp_path: Path):
    free = open_embedded(tmp_path / "free.db")
    limited = open_embedded(
        tmp_path / "limited.db", throttle=ThrottleSettings(create_limit=1, window_seconds=60)
    )
    try:
        assert {
            call(free, "POST", "/omni/1/scenarios", json=BODY).status_code for _ in range(25)
        } == {201}
        codes = [
            call(limited, "POST", "/omni/1/scenarios", json=BODY).status_code for _ in range(2)
        ]
        assert codes == [201, 429]
    finally:
        free.close()
        limited.close()


def test_a_dropped_connection_raises_httpx_error_after_the_commit(tmp_path: Path):
    account = open_embedded(tmp_path / "e.db", faults=FaultSettings(drop_next=1))
    try:
        with pytest.raises(httpx.RemoteProtocolError):
            call(account, "POST", "/omni/1/scenarios", json=BODY)
        assert len(call(account, "GET", "/omni/1/scenarios").json()["scenarios"]) == 1
    finally:
        account.close()
