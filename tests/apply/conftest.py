from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from omni_sync.cli import cli
from omni_sync.client import omni
from omni_sync.client.retry import RetryPolicy
from tests.conftest import REPO_ROOT


@dataclass
class Run:
    code: int
    out: str
    err: str


class Cli:
    def __init__(self, repo: Path) -> None:
        self.repo = repo

    def __call__(self, *args: str, input: str | None = None) -> Run:
        result = CliRunner().invoke(cli, ["-C", str(self.repo), *args], input=input)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Run(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def run(repo: Path) -> Cli:
    return Cli(repo)


@pytest.fixture(autouse=True)
def _fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Back-off in milliseconds, so fault tests stay quick; the rules are the real ones."""
    monkeypatch.setattr(
        omni, "RetryPolicy", lambda: RetryPolicy(tries=6, base_seconds=0.002, cap_seconds=0.02)
    )


def interrupted_after_first_create(repo: Path, *args: str) -> Run:
    """``omni-sync --debug ARGS --parallelism 1`` as a real process, sent a real SIGINT (as
    Ctrl-C, or a cancelled CI job) once its first create is answered."""
    proc = start_cli(repo, "--debug", *args, "--parallelism", "1")
    first_line(proc, "201 in", timeout=60)
    out, err, _ = stop_with(proc, signal.SIGINT)
    return Run(proc.returncode, out, err)


def start_cli(repo: Path, *args: str) -> subprocess.Popen[str]:
    """``omni-sync ARGS`` as a real process in ``repo``, its output piped."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "omni_sync", *args],
        cwd=repo,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def stop_with(proc: subprocess.Popen[str], number: int) -> tuple[str, str, float]:
    """Send signal ``number``; the output and the seconds until the process ended (it is
    killed if it has not after a minute)."""
    signalled = time.monotonic()
    proc.send_signal(number)
    try:
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    return out, err, time.monotonic() - signalled


def first_line(proc: subprocess.Popen[str], marker: str, timeout: float) -> str:
    """The first stderr line holding ``marker``, read on a thread so a run that never prints
    it fails the test after ``timeout`` instead of hanging it (the process is then killed)."""
    found: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            if marker in line:
                found.put(line)
                return

    threading.Thread(target=read, daemon=True).start()
    try:
        return found.get(timeout=timeout)
    except queue.Empty:
        proc.kill()
        raise AssertionError(f"{marker!r} never printed within {timeout} s") from None
