"""Guards every test: no writes to the real home folder, no OMNI_SYNC_* leaking in from the
shell, and no network beyond the loopback range."""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from omni_sync.emulator.harness import EmulatorHarness

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_env(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for name in list(os.environ):
        if name.startswith("OMNI_SYNC_") or name in {
            "NO_COLOR",
            "FORCE_COLOR",
            "GITHUB_STEP_SUMMARY",
        }:
            monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def _loggers_restored() -> Iterator[None]:
    """``omni-sync emulator`` routes the emulator's loggers to its writer; a test that runs it
    must not leave the served test emulator printing request lines into later tests' output."""
    names = ("omni_sync.emulator", "uvicorn")
    saved = [(lg, lg.handlers[:], lg.level, lg.propagate) for lg in map(logging.getLogger, names)]
    yield
    for logger, handlers, level, propagate in saved:
        logger.handlers, logger.level, logger.propagate = handlers, level, propagate


_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: Any) -> Any:
    if isinstance(address, tuple) and self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            ip = ipaddress.ip_address(socket.gethostbyname(host)) if host == "localhost" else None
        if ip is None or not ip.is_loopback:
            raise OSError(f"test tried to reach a non-loopback address: {host}")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _no_outside_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


def run_cli_subprocess(
    args: list[str],
    *,
    cwd: Path,
    env: dict[str, str] | None = None,
    input: str | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m omni_sync`` as a real process (the real entry point)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("OMNI_SYNC_")}
    full_env["PYTHONPATH"] = str(REPO_ROOT)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "omni_sync", *args],
        cwd=cwd,
        env=full_env,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An empty user repository folder."""
    path = tmp_path / "repo"
    path.mkdir()
    return path


# --- the OMNI emulator -------------------------------------------------------------------
# One uvicorn server per test session (starting one costs ~50 ms and a thread); every test
# that asks for ``emulator`` gets it reset: empty store, no accounts, no faults, throttling
# off. Turn throttling on with ``emulator.set_throttle(window_seconds=...)``.

EMULATOR_ADMIN_TOKEN = "test-admin-token"


@pytest.fixture(scope="session")
def _emulator_session() -> Iterator[EmulatorHarness]:
    from omni_sync.emulator.harness import EmulatorHarness

    harness = EmulatorHarness.start(admin_token=EMULATOR_ADMIN_TOKEN)
    yield harness
    harness.stop()


@pytest.fixture
def emulator(_emulator_session: EmulatorHarness) -> Iterator[EmulatorHarness]:
    """The served emulator (``base_url``, ``add_account()``, ``set_faults()``,
    ``set_throttle()``, ``scenarios(account)``, ``state``), fresh for this test."""
    _emulator_session.reset()
    yield _emulator_session
    _emulator_session.reset()
