"""The sending calls against the served emulator: a POST that may have landed is never retried,
and the wait for a report is bounded."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from omni_sync.client import OmniClient, open_client
from omni_sync.client.sending import NoFinalReport, send_message, wait_for_report
from omni_sync.emulator.harness import EmulatorHarness
from omni_sync.errors import ApiError
from omni_sync.load.project import load_project

KEY_ENV = "OMNI_TEST_SENDING_KEY"
BODY = {"destinations": [{"to": {"phoneNumber": "41793026727"}}], "sms": {"text": "Hi"}}


@pytest.fixture
def root(repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch) -> Path:
    account = emulator.add_account()
    monkeypatch.setenv(KEY_ENV, account.secret)
    scenario = {"name": "Orders", "flow": [{"channel": "SMS", "from": "Shop"}], "default": True}
    with httpx.Client(base_url=emulator.base_url, headers=account.headers) as client:
        client.post("/omni/1/scenarios", json=scenario).raise_for_status()
    (repo / "omni-sync.yaml").write_text(
        "environments:\n"
        f"  qa: {{base_url: '{emulator.base_url}', auth: {{type: app, key_env: {KEY_ENV}}}}}\n",
        encoding="utf-8",
    )
    return repo


def in_client(root: Path, action: object) -> object:
    project = load_project(root, root / "omni-sync.yaml")

    async def go() -> object:
        async with open_client(project.root, project.environments["qa"]) as client:
            return await action(client)  # type: ignore[operator]

    return asyncio.run(go())


def test_a_send_answered_with_a_server_error_is_reported_not_retried(
    root: Path, emulator: EmulatorHarness
) -> None:
    emulator.set_faults(share_500=1.0)
    tries: list[int] = []

    async def send(client: OmniClient) -> None:
        try:
            await send_message(client, BODY, "Orders")
        finally:
            tries.append(client.requests_sent)

    with pytest.raises(ApiError, match=r"the message may or may not have been sent: check"):
        in_client(root, send)
    assert tries == [1]


def test_the_wait_for_a_final_report_is_bounded(root: Path) -> None:
    with pytest.raises(NoFinalReport, match=r"^no final delivery report for message m-unknown"):
        in_client(
            root, lambda client: wait_for_report(client, "m-unknown", timeout=0.5, interval=0.05)
        )
