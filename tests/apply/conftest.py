from __future__ import annotations

import os
import signal
import subprocess
import sys
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
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    command = [sys.executable, "-m", "omni_sync", "--debug", *args, "--parallelism", "1"]
    proc = subprocess.Popen(
        command, cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        if "201 in" in line:
            proc.send_signal(signal.SIGINT)
            break
    out, err = proc.communicate(timeout=60)
    return Run(proc.returncode, out, err)
