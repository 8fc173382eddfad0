"""The plan job's step, run for real against the served emulator: it keeps the saved plan with
the pull request's commits, and only what omni-sync itself wrote (scrubbed) leaves the job."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from omni_sync.emulator.harness import EmulatorAccount, EmulatorHarness
from tests.accounts import add_environment, scenario, write_scenarios
from tests.gitops.steps import run_step, step_script

HEAD = "a" * 40
BASE = "b" * 40


def plan_env(runner: Path, label: str, names: str, secret: str, **more: str) -> dict[str, str]:
    """What the plan job gives its step: the matrix entry, the secrets, the commits."""
    runner.mkdir(exist_ok=True)
    return {
        "LABEL": label,
        "ENVIRONMENTS": label,
        "CREDENTIAL_NAMES": names,
        "CREDENTIAL_1": secret,
        "CREDENTIAL_2": "",
        "CREDENTIALS": "",
        "JOBS": "1",
        "HEAD_SHA": HEAD,
        "BASE_SHA": BASE,
        "RUNNER_TEMP": str(runner),
        "GITHUB_STEP_SUMMARY": str(runner / "summary.md"),
        **more,
    }


def run_plan(repo: Path, env: dict[str, str]) -> tuple[int, Path, str]:
    """Run the step; returns its exit code, the folder it uploads, and its log."""
    result = run_step(step_script("omni-sync-plan.yml", "plan", "Plan"), repo, env)
    return (
        result.returncode,
        Path(env["RUNNER_TEMP"]) / "omni-sync-plan",
        result.stdout + result.stderr,
    )


@pytest.fixture
def prod(repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch) -> EmulatorAccount:
    account = add_environment(repo, emulator, monkeypatch, "prod")
    write_scenarios(repo, scenario("Order updates", default=True))
    return account


def test_keeps_the_saved_plan_with_the_pull_requests_commits(
    repo: Path, prod: EmulatorAccount, tmp_path: Path
) -> None:
    code, out, log = run_plan(
        repo, plan_env(tmp_path / "runner", "prod", "OMNI_TEST_KEY_PROD", prod.secret)
    )
    assert code == 0, log
    assert sorted(p.name for p in out.iterdir()) == [
        "base_sha",
        "environment",
        "error",
        "exitcode",
        "head_sha",
        "plan.json",
        "plan.md",
    ]
    assert (out / "head_sha").read_text() == HEAD + "\n"
    assert (out / "base_sha").read_text() == BASE + "\n"
    assert (out / "exitcode").read_text() == "2\n"
    saved = json.loads((out / "plan.json").read_text())
    assert [env["environment"] for env in saved["environments"]] == ["prod"]
    assert "Plan: 1 to add" in (out / "plan.md").read_text()
    assert "Plan: 1 to add" in (tmp_path / "runner" / "summary.md").read_text()
    for path in out.iterdir():
        assert prod.secret not in path.read_text()


def test_a_failed_plan_keeps_omni_syncs_one_line_error_never_stderr(
    repo: Path, prod: EmulatorAccount, tmp_path: Path
) -> None:
    env = plan_env(tmp_path / "runner", "prod", "OMNI_TEST_KEY_PROD", "wrong-key-" + prod.secret)
    code, out, _ = run_plan(repo, env)
    assert code == 1
    assert (out / "exitcode").read_text() == "1\n"
    assert not (out / "plan.json").exists()
    error = (out / "error").read_text()
    assert error.startswith("Error: ")
    assert "UNAUTHORIZED" in error
    assert len(error.splitlines()) == 1
    assert "### ❌ prod" in (out / "plan.md").read_text()
    for path in out.iterdir():
        assert prod.secret not in path.read_text()


def test_a_config_error_leaves_only_its_line(
    repo: Path, prod: EmulatorAccount, tmp_path: Path
) -> None:
    (repo / "omni-sync.yaml").write_text("environments: [\n")
    code, out, _ = run_plan(
        repo, plan_env(tmp_path / "runner", "prod", "OMNI_TEST_KEY_PROD", prod.secret)
    )
    assert code == 1
    assert (out / "plan.md").read_text() == ""
    assert (out / "error").read_text().startswith("Error: ")


@pytest.mark.parametrize(
    "name",
    ["PYTHONHOME", "PYTHONWARNINGS", "LD_PRELOAD", "BASH_ENV", "ENV", "PATH", "GITHUB_ENV",
     "NODE_OPTIONS", "HTTPS_PROXY", "lower_case", "A;B", "OMNI_SYNC_ALLOWED_HOSTS"],
)  # fmt: skip
def test_a_credential_name_that_steers_programs_is_refused_before_export(
    repo: Path, prod: EmulatorAccount, tmp_path: Path, name: str
) -> None:
    code, out, log = run_plan(repo, plan_env(tmp_path / "runner", "prod", name, prod.secret))
    assert code == 1
    assert "::error::credential variable" in log
    assert not (out / "plan.md").exists()  # omni-sync never ran
    assert (out / "error").read_text().startswith("A credential variable name in omni-sync.yaml")
    assert (out / "exitcode").read_text() == "1\n"
    assert prod.secret not in log


def group_of_two(
    repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[EmulatorAccount], dict[str, str]]:
    """Environments one and two as the matrix entry group-1, their keys in one secret."""
    accounts = [add_environment(repo, emulator, monkeypatch, name) for name in ("one", "two")]
    write_scenarios(repo, scenario("Order updates", default=True))
    keys = "".join(
        f"OMNI_TEST_KEY_{a.upper()}={b.secret}\n"
        for a, b in zip(["one", "two"], accounts, strict=True)
    )
    entry = {
        "LABEL": "group-1",
        "ENVIRONMENTS": "one two",
        "CREDENTIAL_NAMES": "OMNI_TEST_KEY_ONE OMNI_TEST_KEY_TWO",
        "CREDENTIAL_1": "",
        "CREDENTIALS": keys,
    }
    return accounts, entry


def test_a_group_takes_its_keys_from_the_credentials_secret(
    repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _, entry = group_of_two(repo, emulator, monkeypatch)
    env = {**plan_env(tmp_path / "runner", "group-1", "", "", JOBS="3"), **entry}
    code, out, log = run_plan(repo, env)
    assert code == 0, log
    markdown = (out / "plan.md").read_text()
    assert "### 📝 one" in markdown
    assert "### 📝 two" in markdown
    assert f"Truncated to fit {(65536 - 6000) // 3:,}" not in markdown  # small enough
    saved = json.loads((out / "plan.json").read_text())
    assert [env["environment"] for env in saved["environments"]] == ["one", "two"]


def copy_artifact(out: Path, plans: Path, label: str) -> Path:
    """The folder download-artifact makes of one job's upload."""
    target = plans / f"omni-sync-plan-{label}-{HEAD}"
    shutil.copytree(out, target)
    return target


@pytest.mark.parametrize("code", [1, 3, 4, 127])
def test_any_exit_code_but_0_and_2_fails_the_step(
    repo: Path, prod: EmulatorAccount, tmp_path: Path, code: int
) -> None:
    """An internal error (once 3) or a crash used to pass; only 0 and 2 mean a plan."""
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "omni-sync").write_text(f"#!/bin/sh\necho 'Error: it broke' >&2\nexit {code}\n")
    (broken / "omni-sync").chmod(0o755)
    env = plan_env(tmp_path / "runner", "prod", "OMNI_TEST_KEY_PROD", prod.secret)
    env["PATH"] = f"{broken}:/usr/bin:/bin"
    returncode, out, log = run_plan(repo, env)
    assert returncode == 1
    assert f"(exit code {code})" in log
    assert (out / "exitcode").read_text() == f"{code}\n"
    assert (out / "error").read_text() == "Error: it broke\n"
