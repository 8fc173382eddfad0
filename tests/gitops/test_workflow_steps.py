"""The environments job of the shipped workflows, run for real with bash against the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from omni_sync.cli import cli
from tests.gitops.steps import outputs, run_step, step_script

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


def test_environments_step_outputs_a_matrix_with_credential_names(repo: Path) -> None:
    (repo / "omni-sync.yaml").write_text(CONFIG)
    out = repo.parent / "github_output"
    for workflow in ("omni-sync-plan.yml", "omni-sync-apply.yml", "omni-sync-drift.yml"):
        script = step_script(workflow, "environments", "List environments")
        assert script == step_script("omni-sync-plan.yml", "environments", "List environments")
    result = run_step(script, repo, {"GITHUB_OUTPUT": str(out), "GROUP_COUNT": "0"})
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


def test_environments_step_groups_the_matrix(repo: Path) -> None:
    (repo / "omni-sync.yaml").write_text(CONFIG)
    out = repo.parent / "github_output"
    script = step_script("omni-sync-plan.yml", "environments", "List environments")
    result = run_step(script, repo, {"GITHUB_OUTPUT": str(out), "GROUP_COUNT": "1"})
    assert result.returncode == 0, result.stderr
    found = outputs(out)
    assert found["count"] == "1"
    [job] = json.loads(found["matrix"])["include"]
    assert job["environment"] == "group-1"
    assert job["environments"] == ["prod", "staging"]
    assert job["credentials"] == ["INFOBIP_PROD_API_KEY", "STAGING_USER", "STAGING_PASSWORD"]


def test_environments_step_fails_on_a_credential_name_that_steers_programs(repo: Path) -> None:
    (repo / "omni-sync.yaml").write_text(CONFIG.replace("INFOBIP_PROD_API_KEY", "PYTHONHOME"))
    out = repo.parent / "github_output"
    script = step_script("omni-sync-plan.yml", "environments", "List environments")
    result = run_step(script, repo, {"GITHUB_OUTPUT": str(out), "GROUP_COUNT": "0"})
    assert result.returncode == 1
    assert "PYTHONHOME" in result.stderr
    assert "matrix" not in (out.read_text() if out.exists() else "")
