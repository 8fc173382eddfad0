"""Which kept plan the apply job trusts: only one uploaded by the plan run of the merged pull
request into the branch it merged into, and only as plain files. Another pull request from the
same head branch (into another base, with its own workflow) can upload a later artifact of the
same name; a crafted zip can hold symbolic links that `unzip` restores."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from omni_sync.emulator.harness import EmulatorAccount, EmulatorHarness
from tests.gitops.steps import gh_calls, zip_folder
from tests.gitops.test_apply_job import (
    MERGE,
    REPO,
    apply,
    keep,
    names,
    plan_run,
    prod,
    reviewed_plan,
    routes,
)
from tests.gitops.test_plan_job import plan_env, run_plan

__all__ = ["prod"]  # the fixture, shared with test_apply_job

NEWER = "2026-01-02T00:00:00Z"
REFUSED = {
    "another pull request": (
        plan_run(12, number=8),
        "run 12 is linked to pull request #8 into main, not #7 into main",
    ),
    "another base branch": (
        plan_run(12, base="release"),
        "run 12 is linked to pull request #7 into release, not #7 into main",
    ),
    "two pull requests": (
        plan_run(12, also=((8, "release"),)),
        "run 12 is linked to pull requests #7 into main and #8 into release: "
        "which one it planned is unknown",
    ),
    "not a pull_request run": (
        plan_run(12, event="push"),
        "run 12 was triggered by push, not pull_request",
    ),
    "another workflow": (
        plan_run(12, path=".github/workflows/mine.yml"),
        "run 12 is of .github/workflows/mine.yml, not .github/workflows/omni-sync.yml",
    ),
    "another commit": (
        plan_run(12, head="e" * 40),
        "run 12 planned eeeeeee, not aaaaaaa",
    ),
}


def zips(calls: list[list[str]]) -> list[str]:
    return [call[1] for call in calls if call[1].endswith("/zip")]


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_newer_plan_of_another_run_is_passed_over_for_the_reviewed_one(
    repo: Path, prod: EmulatorAccount, emulator: EmulatorHarness, tmp_path: Path, case: str
) -> None:
    artifact = reviewed_plan(repo, prod, tmp_path)
    api = routes(MERGE, artifact)
    keep(api, artifact, REFUSED[case][0], artifact_id=6, created=NEWER)
    runner = tmp_path / "runner"
    code, summary, log = apply(repo, runner, prod.secret, api)
    assert code == 0, log
    assert names(emulator, prod) == ["Alerts", "Order updates"]
    assert zips(gh_calls(runner / "gh.log")) == [f"repos/{REPO}/actions/artifacts/5/zip"]
    assert "applied the plan reviewed on #7" in summary


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_plan_kept_only_by_another_run_is_refused(
    repo: Path, prod: EmulatorAccount, emulator: EmulatorHarness, tmp_path: Path, case: str
) -> None:
    run, why = REFUSED[case]
    api = routes(MERGE, None)
    keep(api, reviewed_plan(repo, prod, tmp_path), run, artifact_id=6, created=NEWER)
    runner = tmp_path / "runner"
    code, summary, log = apply(repo, runner, prod.secret, api)
    assert code == 1
    assert names(emulator, prod) == []
    assert zips(gh_calls(runner / "gh.log")) == []
    [line] = [line for line in summary.splitlines() if line and not line.startswith("###")]
    assert line.startswith(
        "No plan was kept by a pull_request run of .github/workflows/omni-sync.yml "
        f"for pull request #7 into main (refused: {why})"
    ), line
    assert "re-run the plan" in line
    assert prod.secret not in summary + log


def test_the_plan_workflow_input_names_the_callers_file(
    repo: Path, prod: EmulatorAccount, emulator: EmulatorHarness, tmp_path: Path
) -> None:
    """A team that plans from another file than it applies from names it (`plan-workflow`)."""
    api = routes(MERGE, None)
    keep(api, reviewed_plan(repo, prod, tmp_path), plan_run(path=".github/workflows/pr.yml"))
    code, _, log = apply(
        repo, tmp_path / "runner", prod.secret, api, PLAN_WORKFLOW=".github/workflows/pr.yml"
    )
    assert code == 0, log
    assert names(emulator, prod) == ["Alerts", "Order updates"]


def _plan_folder(repo: Path, account: EmulatorAccount, tmp_path: Path) -> Path:
    code, out, log = run_plan(
        repo, plan_env(tmp_path / "plan-runner", "prod", "OMNI_TEST_KEY_PROD", account.secret)
    )
    assert code == 0, log
    return out


@pytest.mark.parametrize(
    ("entry", "target"),
    [("plan.md", "/proc/self/environ"), ("plan.md", "secret.txt"), ("plan.json", "secret.txt")],
)
def test_a_symbolic_link_in_the_kept_plan_is_refused(
    repo: Path,
    prod: EmulatorAccount,
    emulator: EmulatorHarness,
    tmp_path: Path,
    entry: str,
    target: str,
) -> None:
    """`unzip` restores links: plan.md -> /proc/self/environ would copy the exported key into
    the job summary; plan.json -> a file would have omni-sync read it."""
    fake = "FAKE-SECRET-0123456789"
    (tmp_path / "secret.txt").write_text(f"OMNI_TEST_KEY_PROD={fake}\n")
    to = target if target.startswith("/") else str(tmp_path / target)
    artifact = zip_folder(_plan_folder(repo, prod, tmp_path), tmp_path / "a.zip", {entry: to})
    code, summary, log = apply(repo, tmp_path / "runner", prod.secret, routes(MERGE, artifact))
    assert code == 1
    assert f"The kept plan of prod holds {entry}, which is not a plain file" in summary
    assert names(emulator, prod) == []
    for secret in (prod.secret, fake):
        assert secret not in summary + log


def test_a_file_written_through_a_linked_folder_is_refused(
    repo: Path, prod: EmulatorAccount, emulator: EmulatorHarness, tmp_path: Path
) -> None:
    """A link to a folder, then a file under it: unzip will not write through the link, and
    the job says so in one line instead of stopping with unzip's exit code."""
    outside = tmp_path / "outside"
    outside.mkdir()
    artifact = zip_folder(
        _plan_folder(repo, prod, tmp_path), tmp_path / "a.zip", {"d": str(outside)}
    )
    with zipfile.ZipFile(artifact, "a") as archive:
        archive.writestr("d/plan.json", "{}")
    code, summary, log = apply(repo, tmp_path / "runner", prod.secret, routes(MERGE, artifact))
    assert code == 1, log
    assert "The kept plan of prod (artifact 5) is not a zip of plain files" in summary
    assert list(outside.iterdir()) == []
    assert names(emulator, prod) == []


def test_the_summary_shows_the_applied_plan_not_the_artifacts_text(
    repo: Path, prod: EmulatorAccount, emulator: EmulatorHarness, tmp_path: Path
) -> None:
    """The summary is omni-sync's own rendering of the plan it applied (`omni-sync show`),
    never Markdown from the artifact, which its uploader chose."""
    out = _plan_folder(repo, prod, tmp_path)
    (out / "plan.md").write_text("Nothing to see: [log in again](https://evil.example)\n")
    artifact = zip_folder(out, tmp_path / "a.zip")
    code, summary, log = apply(repo, tmp_path / "runner", prod.secret, routes(MERGE, artifact))
    assert code == 0, log
    assert "evil.example" not in summary
    assert "Plan: 2 to add" in summary
    assert "<code>Order updates</code>" in summary
    assert "<code>Alerts</code>" in summary


def test_a_run_no_longer_linked_to_its_merged_pull_request_is_taken(
    repo: Path, prod: EmulatorAccount, emulator: EmulatorHarness, tmp_path: Path
) -> None:
    """GitHub stops listing a run's pull request once that is merged or closed: the plan runs
    of the merged pull request are linked to none when its apply runs."""
    api = routes(MERGE, None)
    keep(api, reviewed_plan(repo, prod, tmp_path), {**plan_run(), "pull_requests": []})
    code, _, log = apply(repo, tmp_path / "runner", prod.secret, api)
    assert code == 0, log
    assert names(emulator, prod) == ["Alerts", "Order updates"]


def test_a_plan_workflow_outside_the_workflows_folder_is_refused(
    repo: Path, prod: EmulatorAccount, emulator: EmulatorHarness, tmp_path: Path
) -> None:
    api = routes(MERGE, reviewed_plan(repo, prod, tmp_path))
    runner = tmp_path / "runner"
    code, summary, _ = apply(repo, runner, prod.secret, api, PLAN_WORKFLOW="../omni-sync.yml")
    assert code == 1
    assert (
        "The plan workflow's caller '../omni-sync.yml' is not a file of .github/workflows"
        in summary
    )
    assert zips(gh_calls(runner / "gh.log")) == []
    assert names(emulator, prod) == []
