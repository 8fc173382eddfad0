"""The shipped workflows keep the promises users copy them for (actionlint checks syntax in
.ci/run; these check the behaviour: triggers, environments, concurrency, one comment)."""

from __future__ import annotations

import re
from typing import Any

import yaml

from tests.conftest import REPO_ROOT

WORKFLOWS = REPO_ROOT / ".github" / "workflows"


def _load(name: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text())
    return data


def _triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the key `on` as the boolean True.
    triggers: dict[str, Any] = workflow[True]
    return triggers


def _run_text(job: dict[str, Any]) -> str:
    return "\n".join(str(step.get("run", "")) for step in job["steps"])


def test_plan_runs_on_pull_requests_over_the_environment_matrix() -> None:
    workflow = _load("omni-sync-plan.yml")
    assert "pull_request" in _triggers(workflow)
    jobs = workflow["jobs"]
    assert "omni-sync validate" in _run_text(jobs["validate"])
    assert jobs["environments"]["uses"] == "./.github/workflows/omni-sync-environments.yml"
    plan = jobs["plan"]
    assert plan["strategy"]["matrix"] == "${{ fromJSON(needs.environments.outputs.matrix) }}"
    assert plan["strategy"]["fail-fast"] is False
    assert "omni-sync plan -e" in _run_text(plan)
    assert "--detailed-exitcode" in _run_text(plan)


def test_plan_comment_is_found_by_its_marker_and_updated_not_reposted() -> None:
    comment = _load("omni-sync-plan.yml")["jobs"]["comment"]
    script = next(s for s in comment["steps"] if "github-script" in s.get("uses", ""))
    code = script["with"]["script"]
    assert 'MARKER = "<!-- omni-sync-plan -->"' in code
    assert "c.body.includes(MARKER)" in code
    update = code.index("updateComment")
    create = code.index("createComment")
    assert code.index("if (mine)") < update < create
    assert "LIMIT = 65536" in code
    assert comment["permissions"] == {"pull-requests": "write"}


def test_apply_uses_one_github_environment_and_queue_per_environment() -> None:
    workflow = _load("omni-sync-apply.yml")
    assert _triggers(workflow)["push"] == {"branches": ["main"]}
    apply = workflow["jobs"]["apply"]
    assert apply["environment"] == "${{ matrix.environment }}"
    assert apply["concurrency"] == {
        "group": "omni-sync-apply-${{ matrix.environment }}",
        "cancel-in-progress": False,
    }
    assert "concurrency" not in workflow, "a workflow-wide group could cancel an apply"
    assert 'omni-sync apply -e "$ENVIRONMENT" --auto-approve ${FORCE:+"$FORCE"}' in _run_text(apply)


def test_drift_check_is_scheduled_and_fails_or_opens_an_issue_on_exit_code_2() -> None:
    workflow = _load("omni-sync-drift.yml")
    cron = _triggers(workflow)["schedule"][0]["cron"]
    assert len(cron.split()) == 5
    drift = workflow["jobs"]["drift"]
    assert "--detailed-exitcode" in _run_text(drift)
    on_drift = [s for s in drift["steps"] if s.get("if") == "steps.plan.outputs.exitcode == '2'"]
    assert any("issues.create" in s.get("with", {}).get("script", "") for s in on_drift)
    assert any("exit 1" in s.get("run", "") for s in on_drift)


def test_credentials_are_named_secrets_never_a_computed_lookup() -> None:
    for path in WORKFLOWS.glob("omni-sync-*.yml"):
        text = path.read_text()
        assert "secrets[" not in text, path.name
        assert "toJSON(secrets)" not in text, path.name


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
