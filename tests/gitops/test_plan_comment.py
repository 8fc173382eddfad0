"""The plan workflow's comment, from the plan jobs' real artifacts to the API calls its script
makes under node: one comment of our own bot, updated, never re-posted; every environment's
heading, verdict and failure reason in it, whatever the size of the others' plans."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from omni_sync.emulator.harness import EmulatorHarness
from omni_sync.plan.environment_plan import EnvironmentPlan
from omni_sync.plan.render_markdown import render_markdown
from tests.accounts import add_environment, scenario, write_scenarios
from tests.gitops.steps import github_script, run_github_script
from tests.gitops.test_plan_job import HEAD, copy_artifact, plan_env, run_plan

BOT = {"type": "Bot", "login": "github-actions[bot]"}
MARKER = "<!-- omni-sync-plan -->"


def comment(
    tmp_path: Path, comments: list[dict[str, Any]], expected: int, listed: str = "success"
) -> list[Any]:
    script = github_script("omni-sync-plan.yml", "comment", "Create or update the plan comment")
    env = {"EXPECTED": str(expected), "LISTED": listed}
    return run_github_script(script, tmp_path, {"listComments": comments}, env)


def artifact(tmp_path: Path, label: str, code: int, markdown: str, error: str = "") -> None:
    folder = tmp_path / "plans" / f"omni-sync-plan-{label}-{HEAD}"
    folder.mkdir(parents=True)
    for name, text in {
        "environment": label, "exitcode": str(code), "plan.md": markdown, "error": error,
        "head_sha": HEAD,
    }.items():  # fmt: skip
        (folder / name).write_text(text + "\n")


@pytest.fixture
def four(
    repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Path:
    """Four plan jobs run for real: a-huge (600 new scenarios), b-small (one), c-failed (a
    wrong key), d-same (nothing to do); their artifacts as the comment job downloads them."""
    scenarios = [scenario("Order updates", default=True)]
    scenarios += [
        scenario(f"Bulk {i:04d} {'x' * 30}", ("SMS", "Shop"), ("EMAIL", "a@example.com"),
                 environments=["a-huge"])
        for i in range(600)
    ]  # fmt: skip
    write_scenarios(repo, *scenarios)
    for label in ("a-huge", "b-small", "c-failed", "d-same"):
        account = add_environment(repo, emulator, monkeypatch, label)
        if label == "d-same":
            emulator.state.scenarios.create(account.account_id, _order_updates())
        secret = "wrong" if label == "c-failed" else account.secret
        variable = f"OMNI_TEST_KEY_{label.upper().replace('-', '_')}"
        code, out, log = run_plan(
            repo, plan_env(tmp_path / label, label, variable, secret, JOBS="4")
        )
        assert code == (1 if label == "c-failed" else 0), log
        copy_artifact(out, tmp_path / "plans", label)
    return tmp_path


def _order_updates() -> Any:
    from omni_sync.emulator.scenario_store import ScenarioInput
    from omni_sync.model.scenario import Channel, Step

    flow = (Step(channel=Channel.SMS, sender="Shop"),)
    return ScenarioInput(flow=flow, name="Order updates", default=True)


def test_one_huge_plan_never_hides_the_others(four: Path) -> None:
    calls = comment(four, [], expected=4)
    assert [call[0] for call in calls] == ["list", "createComment"]
    body = calls[1][1]["body"]
    assert len(body) <= 65536
    assert body.splitlines()[1] == (
        "## ❌ omni-sync plan: 4 environments: 2 with changes, 1 without, 1 failed"
    )
    for heading in ("### 📝 a-huge", "### 📝 b-small", "### ❌ c-failed", "### ✅ d-same"):
        assert heading in body
    assert "UNAUTHORIZED" in body  # the failure's reason
    small = body[body.index("### 📝 b-small") : body.index("### ❌ c-failed")]
    assert "```diff" in small  # the small plan in full
    assert "```mermaid\nflowchart LR\n" in small  # with its flow drawn
    assert "Bulk 0000" in body  # and the huge one as far as its share goes


def test_a_job_without_markdown_shows_its_one_line_error(tmp_path: Path) -> None:
    artifact(tmp_path, "prod", 1, "", error='Error: environment "prod": base_url is refused')
    artifact(tmp_path, "staging", 0, render_markdown([EnvironmentPlan("staging")]))
    body = comment(tmp_path, [], expected=3)[1][1]["body"]
    assert "3 environments: 0 with changes, 1 without, 2 failed" in body
    assert (
        '### ❌ prod\n\nNo plan was made.\n\n```\nError: environment "prod": base_url is refused\n```'
        in body
    )
    assert "1 job(s) produced no plan at all" in body


def test_later_runs_update_only_our_bots_comment(tmp_path: Path) -> None:
    artifact(tmp_path, "staging", 0, render_markdown([EnvironmentPlan("staging")]))
    comments = [
        {"id": 1, "user": {"type": "User", "login": "mallory"}, "body": f"quoting {MARKER}"},
        {
            "id": 2,
            "user": {"type": "Bot", "login": "other-app[bot]"},
            "body": f"{MARKER}\nfake plan",
        },
        {"id": 3, "user": BOT, "body": f"{MARKER}\nold plan"},
    ]
    calls = comment(tmp_path, comments, expected=1)
    assert [call[0] for call in calls] == ["list", "updateComment"]
    assert calls[1][1]["comment_id"] == 3


def test_a_marker_on_someone_elses_comment_is_not_ours(tmp_path: Path) -> None:
    artifact(tmp_path, "staging", 0, render_markdown([EnvironmentPlan("staging")]))
    comments = [
        {"id": 1, "user": {"type": "User", "login": "mallory"}, "body": MARKER},
        {"id": 2, "user": {"type": "Bot", "login": "other-app[bot]"}, "body": MARKER},
    ]
    calls = comment(tmp_path, comments, expected=1)
    assert [call[0] for call in calls] == ["list", "createComment"]


def test_a_failed_validate_replaces_the_old_plan(tmp_path: Path) -> None:
    comments = [{"id": 3, "user": BOT, "body": f"{MARKER}\n## 📝 omni-sync plan: 1 to add"}]
    calls = comment(tmp_path, comments, expected=0, listed="failure")
    assert [call[0] for call in calls] == ["list", "updateComment"]
    body = calls[1][1]["body"]
    assert body.startswith(f"{MARKER}\n## ❌ omni-sync plan: validation failed")
    assert "1 to add" not in body
    assert "**environments** job" in body
    assert "https://github.example/team/scenarios/actions/runs/77" in body


def test_hundreds_of_jobs_keep_every_heading_and_failure_reason(tmp_path: Path) -> None:
    from tests.plan.test_render_markdown import _create as create

    labels = [f"acct-{i:03d}" for i in range(250)]
    for label in labels:  # each rendered as a plan job would, at the smallest share
        if label == "acct-123":
            outcome = EnvironmentPlan(label, error=f'environment "{label}": 401 UNAUTHORIZED')
        else:
            outcome = EnvironmentPlan(label, tuple(create(f"S{i} {label}") for i in range(30)))
        artifact(tmp_path, label, 2, render_markdown([outcome], limit=1000))
    body = comment(tmp_path, [], expected=250)[1][1]["body"]
    assert len(body) <= 65536
    assert "250 environments: 249 with changes, 0 without, 1 failed" in body
    for label in labels:
        icon = "❌" if label == "acct-123" else "📝"
        assert re.search(f"^### {icon} {label}$", body, re.M), label
    assert '```\nenvironment "acct-123": 401 UNAUTHORIZED\n```' in body
    assert "Cut to fit one comment" in body
