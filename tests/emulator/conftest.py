"""One fresh account on the served emulator, and an HTTP client speaking as it."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from omni_sync.emulator.harness import EmulatorAccount, EmulatorHarness


@pytest.fixture
def account(emulator: EmulatorHarness) -> EmulatorAccount:
    return emulator.add_account()


@pytest.fixture
def client(emulator: EmulatorHarness, account: EmulatorAccount) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=emulator.base_url, headers=account.headers) as c:
        yield c
