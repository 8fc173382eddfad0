"""The shipped workflows keep the promises users call them for (actionlint and zizmor check
syntax and security in .ci/run; these check the behaviour: triggers, environments, order,
pinning, one place for each shell block)."""

from __future__ import annotations

import re
import shutil
import subprocess
from typing import Any

import yaml

from omni_sync import __version__
from tests.conftest import REPO_ROOT
from tests.gitops.steps import GITHUB, WORKFLOWS, load, step

REUSABLE = ("omni-sync-plan.yml", "omni-sync-apply.yml", "omni-sync-drift.yml")


def _triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the key `on` as the boolean True.
    triggers: dict[str, Any] = workflow[True]
    return triggers


def _run_text(job: dict[str, Any]) -> str:
    return "\n".join(str(s.get("run", "")) for s in job["steps"])


def test_plan_apply_and_drift_are_reusable_and_this_repository_calls_them() -> None:
    for name in REUSABLE:
        workflow = load(WORKFLOWS / name)
        call = _triggers(workflow)["workflow_call"]
        assert call["inputs"]["omni-sync-version"]["default"] == __version__, name
        assert set(call["secrets"]) == {
            "OMNI_SYNC_CREDENTIAL", "OMNI_SYNC_CREDENTIAL_2", "OMNI_SYNC_CREDENTIALS",
        }  # fmt: skip
        assert workflow["permissions"] == {}, name
        for job_name, job in workflow["jobs"].items():
            assert "permissions" in job, f"{name}: {job_name}"
            assert "./.github/" not in str(job), "a caller's checkout has no ./.github of ours"
    caller = load(WORKFLOWS / "omni-sync.yml")
    assert {job["uses"] for job in caller["jobs"].values()} == {
        f"./.github/workflows/{name}" for name in REUSABLE
    }
    assert set(_triggers(caller)) == {"pull_request", "push", "schedule", "workflow_dispatch"}


def test_plan_validates_plans_the_matrix_and_saves_each_plan() -> None:
    jobs = load(WORKFLOWS / "omni-sync-plan.yml")["jobs"]
    assert "omni-sync validate" in _run_text(jobs["environments"])
    plan = jobs["plan"]
    assert plan["strategy"]["matrix"] == "${{ fromJSON(needs.environments.outputs.matrix) }}"
    assert plan["strategy"]["fail-fast"] is False
    assert plan["environment"] == "${{ matrix.environment }}-plan"
    assert "--out" in _run_text(plan)
    upload = next(s for s in plan["steps"] if "upload-artifact" in s.get("uses", ""))
    assert upload["with"]["name"] == (
        "omni-sync-plan-${{ matrix.environment }}-${{ github.event.pull_request.head.sha }}"
    )
    assert jobs["comment"]["permissions"] == {"pull-requests": "write"}


def test_forks_get_nothing() -> None:
    jobs = load(WORKFLOWS / "omni-sync-plan.yml")["jobs"]
    same_repository = "github.event.pull_request.head.repo.full_name == github.repository"
    assert same_repository in jobs["environments"]["if"]
    assert same_repository in jobs["comment"]["if"]


def test_apply_queues_per_environment_and_never_cancels() -> None:
    workflow = load(WORKFLOWS / "omni-sync-apply.yml")
    apply = workflow["jobs"]["apply"]
    assert apply["environment"] == "${{ matrix.environment }}"
    assert apply["concurrency"] == {
        "group": "omni-sync-apply-${{ matrix.environment }}",
        "cancel-in-progress": False,
    }
    assert "concurrency" not in workflow, "a workflow-wide group could cancel an apply"
    assert 'omni-sync apply "$plan/plan.json"' in _run_text(apply)
    assert "omni-sync plan" not in _run_text(apply), "apply never plans anew"


def test_drift_has_one_group_per_environment() -> None:
    drift = load(WORKFLOWS / "omni-sync-drift.yml")["jobs"]["drift"]
    assert drift["concurrency"] == {
        "group": "omni-sync-drift-${{ matrix.environment }}",
        "cancel-in-progress": False,
    }
    assert "--detailed-exitcode" in _run_text(drift)
    cron = _triggers(load(WORKFLOWS / "omni-sync.yml"))["schedule"][0]["cron"]
    assert len(cron.split()) == 5


def test_only_exit_codes_0_and_2_pass() -> None:
    for name, job in (("omni-sync-plan.yml", "plan"), ("omni-sync-drift.yml", "drift")):
        script = step(name, job, "Plan")["run"]
        assert "0 | 2) ;;" in script
        assert "exit 1 ;;" in script


def test_every_third_party_action_is_pinned_by_commit_with_its_version() -> None:
    files = [*WORKFLOWS.glob("*.yml"), *GITHUB.glob("actions/*/action.yml")]
    seen = 0
    for path in files:
        for line in path.read_text().splitlines():
            found = re.search(r"uses: ([^\s#]+)(.*)", line)
            if found is None or found.group(1).startswith("./"):
                continue
            seen += 1
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", found.group(1)), line
            assert re.fullmatch(r" # v\d+\.\d+\.\d+", found.group(2)), line
    assert seen >= 6


def _shared_block(script: str) -> str:
    start = script.index("# Credentials go under")
    return script[start : script.index("environment_args=()")]


def test_one_install_and_one_credential_check_copied_verbatim() -> None:
    """Reusable workflows cannot share files with their callers, so each carries the same
    block; these must not drift apart."""
    action = load(GITHUB / "actions/setup-omni-sync/action.yml")
    install = next(s for s in action["runs"]["steps"] if s.get("name") == "Install omni-sync")
    for name in REUSABLE:
        for job_name, job in load(WORKFLOWS / name)["jobs"].items():
            if job_name == "comment":  # the one job that does not run omni-sync
                continue
            steps = [s for s in job["steps"] if s.get("name") == "Install omni-sync"]
            assert [s["run"] for s in steps] == [install["run"]], name
    blocks = {
        _shared_block(step(name, job, title)["run"])
        for name, job, title in [
            ("omni-sync-plan.yml", "plan", "Plan"),
            ("omni-sync-apply.yml", "apply", "Apply"),
            ("omni-sync-drift.yml", "drift", "Plan"),
        ]
    }
    assert len(blocks) == 1


def test_credentials_are_named_secrets_never_a_computed_lookup() -> None:
    for path in WORKFLOWS.glob("*.yml"):
        text = path.read_text()
        assert "secrets[" not in text, path.name
        assert "toJSON(secrets)" not in text, path.name
        # Only toward our own reusable workflows, pinned: GitHub gives a called workflow's job
        # its environment's secrets only when the caller inherits.
        inherit = [line for line in text.splitlines() if "secrets: inherit" in line]
        assert len(inherit) == (3 if path.name == "omni-sync.yml" else 0), path.name


def test_zizmor_offline_finds_nothing_of_medium_severity_or_more() -> None:
    zizmor = shutil.which("zizmor")
    assert zizmor is not None, "zizmor comes with the dev extra"
    result = subprocess.run(
        [zizmor, "--offline", "--min-severity", "medium", "--format", "plain", str(GITHUB)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_hook_runs_validate_on_the_users_files() -> None:
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "omni-sync-validate")
    assert hook["entry"] == "omni-sync validate"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for path in (
        "omni-sync.yaml",
        "scenarios.d/orders.yaml",
        "scenarios.d/eu/a.yml",
        "templates/x.j2",
    ):
        assert files.search(path), path
    assert not files.search("README.md")


def test_docs_give_a_team_under_30_lines_that_this_repository_runs() -> None:
    docs = (REPO_ROOT / "docs" / "gitops.md").read_text()
    found = re.search(r"```yaml\n(name: omni-sync\n.*?)```", docs, re.S)
    assert found is not None
    team = found.group(1)
    assert len(team.splitlines()) < 30
    ours = (WORKFLOWS / "omni-sync.yml").read_text()
    ours = "".join(line for line in ours.splitlines(keepends=True) if not line.startswith("#"))
    local = re.sub(r"OWNER/omni-sync/(\S+)@COMMIT # v\d+\.\d+\.\d+", r"./\1", team)
    assert local == ours
    for name in REUSABLE:
        assert f"OWNER/omni-sync/.github/workflows/{name}@COMMIT # v{__version__}" in team


def test_the_workflows_refuse_the_same_credential_names_as_omni_sync() -> None:
    from omni_sync.model.credentials import RESERVED_NAMES_PATTERN, VARIABLE_NAME_PATTERN

    script = step("omni-sync-plan.yml", "plan", "Plan")["run"]
    found = re.search(r"^reserved='(.*)'$", script, re.M)
    assert found is not None
    assert found.group(1) == RESERVED_NAMES_PATTERN.replace("(?:", "(", 1)
    assert f"[[ $name =~ {VARIABLE_NAME_PATTERN} ]]" in script


def test_no_credential_can_be_exported_under_a_variable_a_shipped_step_reads() -> None:
    """A step's own variable (its label, branch, token, arguments...) named as a key_env would
    carry the key wherever that variable goes: a job summary, an API query, gh's host."""
    from omni_sync.model.credentials import variable_name_problem

    files = [*WORKFLOWS.glob("*.yml"), *(WORKFLOWS.parent / "actions").glob("*/action.yml")]
    names: set[str] = set()
    for path in files:
        document = yaml.safe_load(path.read_text())
        jobs = document.get("jobs", {}) or {}
        steps = [s for job in jobs.values() for s in job.get("steps", [])]
        steps += (document.get("runs") or {}).get("steps", [])
        for item in [*jobs.values(), *steps]:
            names |= set((item.get("env") or {}).keys())
    assert {"LABEL", "BRANCH", "GH_TOKEN", "ENVIRONMENTS"} <= names
    assert {
        name for name in names if variable_name_problem("key_env", name, "prod") is None
    } == set()
    assert variable_name_problem("key_env", "SSLKEYLOGFILE", "prod") is not None
