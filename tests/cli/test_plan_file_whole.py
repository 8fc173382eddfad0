"""plan --out and import write each file whole or not at all: a write that stops partway
(Ctrl-C, SIGTERM, a full disk) leaves the earlier file as it was, and nothing beside it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from starlette.requests import Request
from starlette.responses import Response

from tests.accounts import scenario, write_scenarios
from tests.apply.conftest import Cli
from tests.apply.test_unknown_outcome import configure
from tests.conftest import REPO_ROOT
from tests.reliability.hostile_server import json_response, scenario_json, serve


@pytest.fixture
def run(repo: Path) -> Cli:
    return Cli(repo)


def _empty(_request: Request, _n: int) -> Response:
    return json_response({"scenarios": []})


def _limited(repo: Path, size: int, *args: str) -> subprocess.CompletedProcess[str]:
    """``omni-sync ARGS`` as a real process that may write no file larger than ``size``."""
    return subprocess.run(
        [sys.executable, "-m", "omni_sync", *args],
        cwd=repo,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=_file_size_limit(size),
    )


def _last_line(err: str) -> str:
    return err.splitlines()[-1] if err else ""


def _file_size_limit(size: int) -> Callable[[], None]:
    def limit() -> None:
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write beyond it fails (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


def test_a_plan_file_is_replaced_whole_or_not_at_all(
    repo: Path, run: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write of plan --out that fails partway (here at the file-size limit, as at a full
    disk; a stop is the same) leaves the earlier plan as it was, and nothing beside it."""
    write_scenarios(repo, scenario("A", default=True))
    with serve(_empty) as server:
        configure(repo, server.base_url, monkeypatch)
        assert run("plan", "--out", "plan.json").code == 0
        earlier = (repo / "plan.json").read_bytes()
        write_scenarios(repo, *(scenario(f"s{i:04d}", default=i == 0) for i in range(40)))
        done = _limited(repo, len(earlier) + 100, "plan", "--out", "plan.json")
    assert done.returncode == 1, done.stderr
    assert _last_line(done.stderr).endswith("plan.json: cannot write the plan (File too large)")
    assert (repo / "plan.json").read_bytes() == earlier
    assert sorted(path.name for path in repo.iterdir()) == [
        "omni-sync.yaml",
        "plan.json",
        "scenarios.d",
    ]


def test_an_imported_file_that_cannot_be_written_is_said_in_one_line(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def holding_a(_request: Request, _n: int) -> Response:
        return json_response({"scenarios": [{**scenario_json("k1"), "default": True}]})

    (repo / "scenarios.d").mkdir()
    with serve(holding_a) as server:
        configure(repo, server.base_url, monkeypatch)
        done = _limited(repo, 20, "import", "-e", "prod")
    assert done.returncode == 1, done.stderr
    assert _last_line(done.stderr) == (
        "Error: scenarios.d/prod/a.yaml: cannot write it (File too large); the files before it "
        "are written whole, and import skips them when run again"
    ), done.stderr
    assert list(repo.joinpath("scenarios.d").rglob("*")) == [repo / "scenarios.d" / "prod"]
