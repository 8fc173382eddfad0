from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from omni_sync.cli import cli
from omni_sync.client import omni
from omni_sync.client.retry import RetryPolicy


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
