"""100 concurrent clients, 5,000 mixed requests against the served emulator (the real serve
command in a child process): every answer right, no scenario lost or duplicated, one default
per account.

The load is bench/emulator_throughput.py, run as a child process so its 100 client threads
are not slowed by coverage tracing; it checks every answer and re-reads every account."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO_ROOT


def test_concurrent_clients_lose_and_duplicate_nothing(tmp_path):
    script = REPO_ROOT / "bench" / "emulator_throughput.py"
    command = [
        sys.executable,
        str(script),
        "--clients",
        "100",
        "--requests",
        "5000",
        "--accounts",
        "10",
    ]
    done = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["requests"] == 5000
    assert summary["by_kind"] == {"create": 1000, "update": 1000, "get": 1500, "list": 1500}
    assert summary["errors"] == 0
    assert (summary["lost"], summary["duplicated"], summary["wrong_names"]) == (0, 0, 0)
    assert summary["bad_defaults"] == 0
    assert "requests/s" in done.stderr
