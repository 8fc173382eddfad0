"""One fresh account on the served emulator and an HTTP client speaking as it; and the
emulator served by the real command in a child process."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from omni_sync.emulator.harness import EmulatorAccount, EmulatorHarness
from tests.conftest import REPO_ROOT


@pytest.fixture
def account(emulator: EmulatorHarness) -> EmulatorAccount:
    return emulator.add_account()


@pytest.fixture
def client(emulator: EmulatorHarness, account: EmulatorAccount) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=emulator.base_url, headers=account.headers) as c:
        yield c


class Served:
    """``python -m omni_sync emulator serve`` in a child process."""

    def __init__(self, *args: str, cwd: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("OMNI_SYNC_")}
        env["PYTHONPATH"] = str(REPO_ROOT)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "omni_sync", "emulator", "serve", "--port", "0", *args],
            cwd=cwd,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stderr is not None
        first = self.process.stderr.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)", first)
        assert found, first
        self.base_url = found.group(0)
        self.port = int(found.group(1))

    def stop(self, number: int = signal.SIGINT) -> tuple[int, str]:
        self.process.send_signal(number)
        _, err = self.process.communicate(timeout=20)
        return self.process.returncode, err
