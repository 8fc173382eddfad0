"""The apply job's step, run for real: the plan reviewed on the merged pull request is fetched
(GitHub's API faked by a recording `gh`) and applied with the real `omni-sync apply PLAN`
against the served emulator; a plan the account or another merge made stale is refused, and a
merge that is no longer the head of main applies nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from omni_sync.emulator.harness import EmulatorAccount, EmulatorHarness
from tests.accounts import add_environment, edit_by_hand, scenario, write_scenarios
from tests.gitops.steps import gh_calls, run_step, step_script, zip_folder
from tests.gitops.test_plan_job import HEAD, group_of_two, plan_env, run_plan

MERGE = "c" * 40
NEWER = "d" * 40
REPO = "team/scenarios"
CHANGED = "the plan changed since review: push or re-run the plan"


CALLER = ".github/workflows/omni-sync.yml"


def plan_run(
    run_id: int = 11,
    *,
    number: int = 7,
    base: str = "main",
    event: str = "pull_request",
    path: str = CALLER,
    head: str = HEAD,
    also: tuple[tuple[int, str], ...] = (),
) -> dict[str, Any]:
    """A run as `GET actions/runs/ID` answers: by default, the plan run (of the caller workflow)
    for pull request #7 into main; ``also``: more pull requests it is linked to."""
    linked = [
        {"number": n, "head": {"ref": "feature", "sha": head, "repo": {"id": 1}},
         "base": {"ref": b, "sha": "f" * 40, "repo": {"id": 1}}}
        for n, b in ((number, base), *also)
    ]  # fmt: skip
    return {
        "id": run_id, "event": event, "path": path, "head_sha": head, "head_branch": "feature",
        "repository": {"id": 1}, "head_repository": {"id": 1}, "pull_requests": linked,
    }  # fmt: skip


def keep(
    api: dict[str, Any],
    artifact: Path,
    run: dict[str, Any],
    *,
    artifact_id: int = 5,
    created: str = "2026-01-01T00:00:00Z",
    reviewed: str = HEAD,
    label: str = "prod",
) -> None:
    """One more artifact kept under the reviewed plan's name, uploaded by ``run``."""
    kept = api[f"repos/{REPO}/actions/artifacts?name=omni-sync-plan-{label}-{HEAD}"]
    kept["artifacts"].append(
        {"id": artifact_id, "expired": False, "created_at": created,
         "workflow_run": {"id": run["id"], "head_sha": reviewed, "repository_id": 1,
                          "head_repository_id": 1}}
    )  # fmt: skip
    api[f"repos/{REPO}/actions/runs/{run['id']}"] = run
    api[f"repos/{REPO}/actions/artifacts/{artifact_id}/zip"] = {"zip": str(artifact)}


def routes(
    main_head: str, artifact: Path | None, reviewed: str = HEAD, label: str = "prod"
) -> dict[str, Any]:
    """The API as the apply job sees it after pull request #7 (head HEAD) merged as MERGE into
    main, ``artifact`` kept by the plan run of #7."""
    answers: dict[str, Any] = {
        f"repos/{REPO}/git/ref/heads/main": {"object": {"sha": main_head}},
        f"repos/{REPO}/commits/{MERGE}/pulls": [
            {"number": 7, "merged_at": "2026-01-01T00:00:00Z", "merge_commit_sha": MERGE,
             "head": {"sha": HEAD}, "base": {"ref": "main"}},
        ],
        f"repos/{REPO}/actions/artifacts?name=omni-sync-plan-{label}-{HEAD}": {"artifacts": []},
        f"repos/{REPO}/environments/{label}": {"protection_rules": [
            {"id": 1, "type": "required_reviewers", "prevent_self_review": True},
            {"id": 2, "type": "branch_policy"},
        ]},
    }  # fmt: skip
    if artifact is not None:
        keep(answers, artifact, plan_run(head=reviewed), reviewed=reviewed, label=label)
    return answers


def apply(
    repo: Path,
    runner: Path,
    secret: str,
    api: dict[str, Any],
    force: str = "",
    **job: str,
) -> tuple[int, str, str]:
    """Run the apply step: its exit code, its job summary, its log (``job``: another matrix
    entry than prod's)."""
    runner.mkdir(exist_ok=True)
    (runner / "routes.json").write_text(json.dumps(api))
    env = {
        "LABEL": "prod", "ENVIRONMENTS": "prod", "CREDENTIAL_NAMES": "OMNI_TEST_KEY_PROD",
        "CREDENTIAL_1": secret, "CREDENTIAL_2": "", "CREDENTIALS": "", "FORCE": force,
        "BRANCH": "main", "GH_TOKEN": "token", "GITHUB_SHA": MERGE, "GITHUB_REPOSITORY": REPO,
        "GITHUB_WORKFLOW_REF": f"{REPO}/{CALLER}@refs/heads/main", "PLAN_WORKFLOW": "",
        "RUNNER_TEMP": str(runner), "GITHUB_STEP_SUMMARY": str(runner / "summary.md"),
        "FAKE_GH_ROUTES": str(runner / "routes.json"), "FAKE_GH_LOG": str(runner / "gh.log"),
    }  # fmt: skip
    result = run_step(step_script("omni-sync-apply.yml", "apply", "Apply"), repo, {**env, **job})
    summary = runner / "summary.md"
    return (
        result.returncode,
        summary.read_text() if summary.exists() else "",
        result.stdout + result.stderr,
    )


@pytest.fixture
def prod(repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch) -> EmulatorAccount:
    account = add_environment(repo, emulator, monkeypatch, "prod", safety={"max_changes": 2})
    write_scenarios(repo, scenario("Order updates", default=True), scenario("Alerts"))
    return account


def reviewed_plan(repo: Path, account: EmulatorAccount, tmp_path: Path) -> Path:
    """The plan job, run for real on the pull request; its upload as the API serves it."""
    code, out, log = run_plan(
        repo, plan_env(tmp_path / "plan-runner", "prod", "OMNI_TEST_KEY_PROD", account.secret)
    )
    assert code == 0, log
    return zip_folder(out, tmp_path / "artifact.zip")


def names(emulator: EmulatorHarness, account: EmulatorAccount) -> list[str]:
    return sorted(s.name for s in emulator.scenarios(account))


def test_applies_exactly_the_reviewed_plan(
    repo: Path, prod: EmulatorAccount, emulator: EmulatorHarness, tmp_path: Path
) -> None:
    artifact = reviewed_plan(repo, prod, tmp_path)
    code, summary, log = apply(repo, tmp_path / "runner", prod.secret, routes(MERGE, artifact))
    assert code == 0, log
    assert names(emulator, prod) == ["Alerts", "Order updates"]
    assert "applied the plan reviewed on #7" in summary
    assert "Plan: 2 to add" in summary  # what was reviewed, shown again
    assert prod.secret not in summary + log


def test_a_portal_edit_after_review_is_refused_not_undone(
    repo: Path, prod: EmulatorAccount, emulator: EmulatorHarness, tmp_path: Path
) -> None:
    emulator.state.scenarios.create(prod.account_id, _alerts())
    artifact = reviewed_plan(repo, prod, tmp_path)  # reviewed: 1 to add (Order updates)
    edit_by_hand(emulator, prod, "Alerts", ("VOICE", "41793026727"))  # then someone clicks
    code, summary, log = apply(repo, tmp_path / "runner", prod.secret, routes(MERGE, artifact))
    assert code == 1
    assert CHANGED in summary
    assert "nothing applied" in summary
    assert names(emulator, prod) == ["Alerts"]  # nothing created, the edit not undone
    [alerts] = emulator.scenarios(prod)
    assert alerts.flow[0].channel.value == "VOICE"
    assert prod.secret not in summary + log


def test_an_older_merge_applies_nothing(
    repo: Path, prod: EmulatorAccount, emulator: EmulatorHarness, tmp_path: Path
) -> None:
    artifact = reviewed_plan(repo, prod, tmp_path)
    runner = tmp_path / "runner"
    code, summary, log = apply(repo, runner, prod.secret, routes(NEWER, artifact))
    assert code == 0, log
    assert names(emulator, prod) == []
    assert "is no longer the head of main (ddddddd is)" in summary
    assert "newer merge" in summary
    assert [call[1] for call in gh_calls(runner / "gh.log")] == [f"repos/{REPO}/git/ref/heads/main"]


def test_no_plan_kept_for_the_merged_files_is_refused(
    repo: Path, prod: EmulatorAccount, emulator: EmulatorHarness, tmp_path: Path
) -> None:
    code, summary, _ = apply(repo, tmp_path / "runner", prod.secret, routes(MERGE, None))
    assert code == 1
    assert CHANGED in summary
    assert f"No plan omni-sync-plan-prod-{HEAD} was kept" in summary
    assert names(emulator, prod) == []


def test_a_plan_of_another_commit_is_refused(
    repo: Path, prod: EmulatorAccount, emulator: EmulatorHarness, tmp_path: Path
) -> None:
    artifact = reviewed_plan(repo, prod, tmp_path)
    code, summary, _ = apply(
        repo, tmp_path / "runner", prod.secret, routes(MERGE, artifact, "e" * 40)
    )
    assert code == 1
    assert CHANGED in summary
    assert names(emulator, prod) == []


def test_a_direct_push_has_no_reviewed_plan(
    repo: Path, prod: EmulatorAccount, emulator: EmulatorHarness, tmp_path: Path
) -> None:
    api = routes(MERGE, None)
    api[f"repos/{REPO}/commits/{MERGE}/pulls"] = []
    code, summary, _ = apply(repo, tmp_path / "runner", prod.secret, api)
    assert code == 1
    assert "No pull request into main was merged as ccccccc" in summary
    assert names(emulator, prod) == []


def test_a_pull_request_merged_into_another_branch_has_no_plan_for_this_one(
    repo: Path, prod: EmulatorAccount, emulator: EmulatorHarness, tmp_path: Path
) -> None:
    """Its commit can reach main later (a fast-forward), but it was reviewed for its own base."""
    api = routes(MERGE, reviewed_plan(repo, prod, tmp_path))
    api[f"repos/{REPO}/commits/{MERGE}/pulls"][0]["base"] = {"ref": "release"}
    code, summary, _ = apply(repo, tmp_path / "runner", prod.secret, api)
    assert code == 1
    assert "No pull request into main was merged as ccccccc" in summary
    assert names(emulator, prod) == []


def test_files_changed_after_review_are_refused(
    repo: Path, prod: EmulatorAccount, emulator: EmulatorHarness, tmp_path: Path
) -> None:
    artifact = reviewed_plan(repo, prod, tmp_path)
    write_scenarios(repo, scenario("Order updates", default=True), scenario("Other"))
    code, summary, _ = apply(repo, tmp_path / "runner", prod.secret, routes(MERGE, artifact))
    assert code == 1
    assert CHANGED in summary
    assert names(emulator, prod) == []


def test_a_plan_edited_after_review_is_refused_as_changed(
    repo: Path, prod: EmulatorAccount, emulator: EmulatorHarness, tmp_path: Path
) -> None:
    """A kept plan whose changes no longer match the merged files (edited in the artifact)."""
    code, out, log = run_plan(
        repo, plan_env(tmp_path / "plan-runner", "prod", "OMNI_TEST_KEY_PROD", prod.secret)
    )
    assert code == 0, log
    plan = out / "plan.json"
    plan.write_text(plan.read_text().replace('"Alerts"', '"Evil"'))
    artifact = zip_folder(out, tmp_path / "artifact.zip")
    code, summary, log = apply(repo, tmp_path / "runner", prod.secret, routes(MERGE, artifact))
    assert code == 1
    assert CHANGED in summary
    assert "does not match the files" in summary
    assert names(emulator, prod) == []
    assert prod.secret not in summary + log


def test_a_reviewed_plan_past_a_threshold_needs_force(
    repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    account = add_environment(repo, emulator, monkeypatch, "prod", safety={"max_changes": 1})
    write_scenarios(repo, scenario("Order updates", default=True), scenario("Alerts"))
    artifact = reviewed_plan(repo, account, tmp_path)
    code, summary, _ = apply(repo, tmp_path / "one", account.secret, routes(MERGE, artifact))
    assert code == 1
    assert "omni-sync apply stopped" in summary
    assert "run this workflow by hand with force" in summary
    assert names(emulator, account) == []
    code, _, log = apply(repo, tmp_path / "two", account.secret, routes(MERGE, artifact), "--force")
    assert code == 0, log
    assert names(emulator, account) == ["Alerts", "Order updates"]


@pytest.mark.parametrize(
    "rules",
    [
        [{"id": 2, "type": "branch_policy"}],
        [{"id": 3, "type": "wait_timer"}],
        [{"id": 1, "type": "required_reviewers", "prevent_self_review": False}],
        None,
    ],
    ids=["branch policy only", "wait timer only", "self-review allowed", "unreadable"],
)
def test_force_needs_required_reviewers_on_the_github_environment(
    repo: Path,
    emulator: EmulatorHarness,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    rules: list[dict[str, Any]] | None,
) -> None:
    """Anyone who can push can run the workflow by hand with force: someone else approves it."""
    account = add_environment(repo, emulator, monkeypatch, "prod", safety={"max_changes": 1})
    write_scenarios(repo, scenario("Order updates", default=True), scenario("Alerts"))
    api = routes(MERGE, reviewed_plan(repo, account, tmp_path))
    if rules is None:
        del api[f"repos/{REPO}/environments/prod"]
    else:
        api[f"repos/{REPO}/environments/prod"] = {"protection_rules": rules}
    runner = tmp_path / "runner"
    code, summary, _ = apply(repo, runner, account.secret, api, "--force")
    assert code == 1
    assert names(emulator, account) == []
    [why] = [line for line in summary.splitlines() if line.startswith("force needs")]
    assert "required reviewers" in why
    assert "on the GitHub environment prod" in why
    assert not [call for call in gh_calls(runner / "gh.log") if call[1].endswith("/zip")]


def _alerts() -> Any:
    from omni_sync.emulator.scenario_store import ScenarioInput
    from omni_sync.model.scenario import Channel, Step

    return ScenarioInput(flow=(Step(channel=Channel.SMS, sender="Shop"),), name="Alerts")


def test_a_group_applies_its_reviewed_plan_with_the_credentials_secret(
    repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (one, two), group = group_of_two(repo, emulator, monkeypatch)
    code, out, log = run_plan(repo, {**plan_env(tmp_path / "plan-runner", "", "", ""), **group})
    assert code == 0, log
    artifact = zip_folder(out, tmp_path / "artifact.zip")
    api = routes(MERGE, artifact, label="group-1")
    code, summary, log = apply(repo, tmp_path / "runner", "", api, **group)
    assert code == 0, log
    assert names(emulator, one) == names(emulator, two) == ["Order updates"]
    assert "group-1: applied the plan reviewed on #7" in summary
    assert one.secret not in summary + log
