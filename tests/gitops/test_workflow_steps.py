"""The shell of the shipped workflows' steps, run for real with bash against the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from omni_sync.cli import cli
from tests.conftest import REPO_ROOT

WORKFLOWS = REPO_ROOT / ".github" / "workflows"

CONFIG = """\
environments:
  dev: {}
  prod:
    base_url: https://xxxxx.api.infobip.com
    auth: {type: app, key_env: INFOBIP_PROD_API_KEY}
  staging:
    base_url: https://yyyyy.api.infobip.com
    auth: {type: basic, username_env: STAGING_USER, password_env: STAGING_PASSWORD}
"""


def step_script(workflow: str, job: str, name: str) -> str:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / workflow).read_text())
    step = next(s for s in data["jobs"][job]["steps"] if s.get("name", "").startswith(name))
    script: str = step["run"]
    return script


def run_step(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Like a runner: bash -e, with an omni-sync on PATH that runs this checkout."""
    shim = cwd.parent / "bin"
    shim.mkdir(exist_ok=True)
    (shim / "omni-sync").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m omni_sync "$@"\n')
    (shim / "omni-sync").chmod(0o755)
    full = {
        **{k: v for k, v in os.environ.items() if not k.startswith("OMNI_SYNC_")},
        "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(REPO_ROOT),
        **env,
    }
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def outputs(path: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return dict(pairs)


def test_environments_step_outputs_a_matrix_with_credential_names(repo: Path) -> None:
    (repo / "omni-sync.yaml").write_text(CONFIG)
    out = repo.parent / "github_output"
    script = step_script("omni-sync-environments.yml", "list", "List environments")
    result = run_step(script, repo, {"GITHUB_OUTPUT": str(out)})
    assert result.returncode == 0, result.stderr
    found = outputs(out)
    assert found["count"] == "2"  # dev is embedded: not a job
    assert json.loads(found["matrix"]) == {
        "environment": ["prod", "staging"],
        "include": [
            {
                "environment": "prod",
                "environments": ["prod"],
                "credentials": ["INFOBIP_PROD_API_KEY"],
            },
            {
                "environment": "staging",
                "environments": ["staging"],
                "credentials": ["STAGING_USER", "STAGING_PASSWORD"],
            },
        ],
    }


@pytest.mark.parametrize("flag", [[], ["--credentials"]])
def test_environments_json_in_process(repo: Path, flag: list[str]) -> None:
    (repo / "omni-sync.yaml").write_text(CONFIG)
    result = CliRunner().invoke(cli, ["-C", str(repo), "environments", "--json", *flag])
    assert result.exit_code == 0, result.output
    matrix = json.loads(result.stdout)
    assert matrix["environment"] == ["prod", "staging"]
    assert ("include" in matrix) == bool(flag)
