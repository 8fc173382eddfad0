"""`omni-sync environments --json` as a CI matrix: only real accounts unless asked, and never
more jobs than GitHub allows, each job then taking a group of environments."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from omni_sync.cli import cli
from tests.conftest import run_cli_subprocess

CONFIG = """\
environments:
  dev: {}
  prod: {base_url: https://xxxxx.api.infobip.com, auth: {type: app, key_env: INFOBIP_PROD_API_KEY}}
  staging: {vars: {x: 1}}
"""


def _matrix(repo: Path, *args: str) -> Any:
    result = CliRunner().invoke(cli, ["-C", str(repo), "environments", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_embedded_environments_stay_out_of_the_matrix(repo: Path) -> None:
    (repo / "omni-sync.yaml").write_text(CONFIG)
    assert _matrix(repo) == {"environment": ["prod"]}
    assert _matrix(repo, "--credentials")["include"] == [
        {"environment": "prod", "environments": ["prod"], "credentials": ["INFOBIP_PROD_API_KEY"]}
    ]
    assert _matrix(repo, "--include-embedded") == {"environment": ["dev", "prod", "staging"]}
    dev = _matrix(repo, "--include-embedded", "--credentials")["include"][0]
    assert dev == {"environment": "dev", "environments": ["dev"], "credentials": []}


def test_no_config_means_an_empty_matrix(repo: Path) -> None:
    assert _matrix(repo) == {"environment": []}


def _many(repo: Path, count: int) -> list[str]:
    names = [f"acct-{i:04d}" for i in range(count)]
    lines = ["environments:"] + [
        f"  {name}: {{base_url: https://{name}.api.infobip.com, "
        f"auth: {{type: app, key_env: KEY_{i:04d}}}}}"
        for i, name in enumerate(names)
    ]
    (repo / "omni-sync.yaml").write_text("\n".join(lines) + "\n")
    return names


def test_groups_keep_the_matrix_within_githubs_256_jobs(repo: Path) -> None:
    names = _many(repo, 600)
    result = run_cli_subprocess(["environments", "--json", "--groups", "256"], cwd=repo)
    assert result.returncode == 0, result.stderr
    matrix = json.loads(result.stdout)
    jobs = matrix["include"]
    assert 1 < len(jobs) <= 256
    assert matrix["environment"] == [job["environment"] for job in jobs]
    assert sorted(name for job in jobs for name in job["environments"]) == names
    for job in jobs:
        assert job["environment"].startswith("group-")
        assert job["credentials"] == [f"KEY_{name[-4:]}" for name in job["environments"]]


def test_an_environment_keeps_its_group_when_others_are_added(repo: Path) -> None:
    _many(repo, 40)
    before = {
        name: job["environment"]
        for job in _matrix(repo, "--groups", "8")["include"]
        for name in job["environments"]
    }
    _many(repo, 90)
    after = {
        name: job["environment"]
        for job in _matrix(repo, "--groups", "8")["include"]
        for name in job["environments"]
    }
    assert all(after[name] == group for name, group in before.items())


def test_matrix_flags_without_json_or_past_the_limit_are_refused(repo: Path) -> None:
    (repo / "omni-sync.yaml").write_text(CONFIG)
    result = run_cli_subprocess(["environments", "--groups", "4"], cwd=repo)
    assert result.returncode != 0
    assert "need --json" in result.stderr
    assert "Traceback" not in result.stderr
    result = run_cli_subprocess(["environments", "--json", "--groups", "257"], cwd=repo)
    assert result.returncode != 0
    assert "257" in result.stderr
