"""The environments job of the shipped workflows, run for real with bash against the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from omni_sync.cli import cli
from tests.gitops.steps import WORKFLOWS, load, outputs, run_step, step_script

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


SHARED = "Refuse credentials kept outside GitHub environments"
CREDENTIAL_SECRETS = ("OMNI_SYNC_CREDENTIAL", "OMNI_SYNC_CREDENTIAL_2", "OMNI_SYNC_CREDENTIALS")


def test_every_environments_job_first_refuses_credentials_shared_by_the_repository() -> None:
    """The environments job runs in no GitHub environment, so the only credential secrets it
    can see are repository or organisation ones: a job whose environment lacks its own would
    get that shared value instead (the plan jobs of any pushed branch among them)."""
    firsts = []
    for workflow in ("omni-sync-plan.yml", "omni-sync-apply.yml", "omni-sync-drift.yml"):
        job = load(WORKFLOWS / workflow)["jobs"]["environments"]
        assert "environment" not in job, workflow
        firsts.append(job["steps"][0])
    assert firsts[0]["name"] == SHARED
    assert firsts[1] == firsts[0] == firsts[2]
    shared = firsts[0]["env"]["SHARED_SECRETS"]
    for name in CREDENTIAL_SECRETS:
        assert f"${{{{ secrets.{name} != '' && '{name}' || '' }}}}" in shared


@pytest.mark.parametrize(
    ("shared", "refused"),
    [
        ("OMNI_SYNC_CREDENTIAL  ", "OMNI_SYNC_CREDENTIAL"),
        (
            " OMNI_SYNC_CREDENTIAL_2 OMNI_SYNC_CREDENTIALS",
            "OMNI_SYNC_CREDENTIAL_2 OMNI_SYNC_CREDENTIALS",
        ),
        ("  ", ""),
    ],
)
def test_a_credential_shared_by_the_repository_stops_the_run(
    repo: Path, shared: str, refused: str
) -> None:
    script = step_script("omni-sync-plan.yml", "environments", SHARED)
    result = run_step(script, repo, {"SHARED_SECRETS": shared})
    if not refused:
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout == ""
        return
    assert result.returncode == 1
    [line] = result.stdout.splitlines()
    assert line.startswith(f"::error::{refused}: set as a repository or organisation secret")
    assert "GitHub environments" in line
