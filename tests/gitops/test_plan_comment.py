"""The plan workflow's comment script, run under node with GitHub's API stubbed: one comment,
found by its marker and updated, never re-posted; the summary of all environments first."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import yaml

from omni_sync.model.scenario import Channel, Step
from omni_sync.plan.fields import created_steps
from omni_sync.plan.outcome import EnvironmentOutcome, ScenarioChange, field_lines
from omni_sync.plan.render_markdown import render_markdown
from tests.conftest import REPO_ROOT

HARNESS = """
const fs = require("fs");
const [script, comments] = [fs.readFileSync(process.argv[2], "utf8"),
                            JSON.parse(fs.readFileSync(process.argv[3], "utf8"))];
const calls = [];
const github = {
  paginate: async (method, args) => { calls.push(["list", args]); return comments; },
  rest: { issues: {
    listComments: "listComments",
    updateComment: async (args) => { calls.push(["update", args]); },
    createComment: async (args) => { calls.push(["create", args]); },
  } },
};
const context = {
  serverUrl: "https://github.example", repo: { owner: "team", repo: "scenarios" }, runId: 77,
  issue: { number: 12 }, payload: { pull_request: { head: { sha: "0123456789abcdef" } } },
};
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
new AsyncFunction("github", "context", "require", "process", script)(
  github, context, require, process,
).then(() => console.log(JSON.stringify(calls)));
"""


def _script() -> str:
    workflow: dict[Any, Any] = yaml.safe_load(
        (REPO_ROOT / ".github/workflows/omni-sync-plan.yml").read_text()
    )
    steps = workflow["jobs"]["comment"]["steps"]
    script: str = next(s for s in steps if "github-script" in s.get("uses", ""))["with"]["script"]
    return script


def _artifact(root: Path, name: str, code: int, outcome: EnvironmentOutcome | None) -> None:
    folder = root / "plans" / f"omni-sync-plan-{name}"
    folder.mkdir(parents=True)
    (folder / "environment").write_text(f"{name}\n")
    (folder / "exitcode").write_text(f"{code}\n")
    if outcome is not None:
        (folder / "plan.md").write_text(render_markdown([outcome]))
    (folder / "stderr.txt").write_text("Error: 401 UNAUTHORIZED\n" if code == 1 else "")


def _create(name: str) -> ScenarioChange:
    flow = (Step(channel=Channel.SMS, sender="Shop"),)
    return ScenarioChange("create", name, None, (), field_lines(name, False), created_steps(flow))


def _run(tmp_path: Path, comments: list[dict[str, Any]], expected: int = 3) -> list[Any]:
    (tmp_path / "script.js").write_text(_script())
    (tmp_path / "harness.js").write_text(HARNESS)
    (tmp_path / "comments.json").write_text(json.dumps(comments))
    result = subprocess.run(
        ["node", "harness.js", "script.js", "comments.json"],
        cwd=tmp_path,
        env={"EXPECTED": str(expected), "PATH": "/usr/bin:/bin:/usr/local/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    calls: list[Any] = json.loads(result.stdout)
    return calls


def _three(tmp_path: Path) -> None:
    _artifact(tmp_path, "dev", 2, EnvironmentOutcome("dev", (_create("Promo"),)))
    _artifact(tmp_path, "prod", 1, None)
    _artifact(tmp_path, "staging", 0, EnvironmentOutcome("staging"))


def test_first_run_creates_one_comment_with_the_summary_first(tmp_path: Path) -> None:
    _three(tmp_path)
    calls = _run(tmp_path, [])
    assert [call[0] for call in calls] == ["list", "create"]
    body = calls[1][1]["body"]
    assert calls[1][1]["issue_number"] == 12
    lines = body.splitlines()
    assert lines[0] == "<!-- omni-sync-plan -->"
    assert lines[1] == "## ❌ omni-sync plan: 3 environments: 1 with changes, 1 without, 1 failed"
    assert body.count("**1 environment:") == 0  # each plan's own summary is left out
    assert "### 📝 dev" in body
    assert "### prod\n\nNo plan was made." in body
    assert "401 UNAUTHORIZED" in body
    assert "### ✅ staging" in body


def test_later_runs_update_the_bots_comment_and_ignore_lookalikes(tmp_path: Path) -> None:
    _three(tmp_path)
    comments = [
        {"id": 1, "user": {"type": "User"}, "body": "quoting <!-- omni-sync-plan -->"},
        {"id": 2, "user": {"type": "Bot"}, "body": "<!-- omni-sync-plan -->\nold plan"},
    ]
    calls = _run(tmp_path, comments)
    assert [call[0] for call in calls] == ["list", "update"]
    assert calls[1][1]["comment_id"] == 2


def test_an_environment_with_no_artifact_counts_as_failed(tmp_path: Path) -> None:
    _artifact(tmp_path, "dev", 0, EnvironmentOutcome("dev"))
    body = _run(tmp_path, [], expected=2)[1][1]["body"]
    assert "2 environments: 0 with changes, 1 without, 1 failed" in body
    assert "1 environment(s) produced no plan at all" in body


def test_too_long_plans_are_cut_at_a_section_and_the_summary_kept(tmp_path: Path) -> None:
    for env in ("a", "b", "c"):
        changes = tuple(_create(f"{env}-{i:04d} {'x' * 40}") for i in range(600))
        _artifact(tmp_path, env, 2, EnvironmentOutcome(env, changes))
    body = _run(tmp_path, [])[1][1]["body"]
    assert len(body) <= 65536
    assert "3 environments: 3 with changes, 0 without, 0 failed" in body
    assert "Truncated to fit 65,536 characters" in body  # each plan's own note is kept
    assert body.endswith(
        "the rest is in the [run's summary](https://github.example/team/scenarios/actions/runs/77)."
    )
