"""The pull-request comment the shipped plan workflow posts, made from a real plan job over a Git
checkout whose pull request changes a template and a flow of an applied scenario: the comment draws the flow (Mermaid)
and previews each message against the template on the pull request's base."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from omni_sync.cli import cli
from omni_sync.emulator.harness import EmulatorHarness
from tests.accounts import add_environment, scenario, write_scenarios
from tests.gitops.test_plan_comment import comment
from tests.gitops.test_plan_job import copy_artifact, plan_env, run_plan

TEMPLATE = 'scenarios: [Order updates]\nfallback: "Your order has shipped."\n'


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_the_comment_shows_the_flow_and_the_message_preview(
    repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    account = add_environment(repo, emulator, monkeypatch, "prod")
    write_scenarios(repo, scenario("Order updates", ("SMS", "Shop"), default=True))
    (repo / "templates").mkdir()
    (repo / "templates" / "order-shipped.yaml").write_text(TEMPLATE)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "base")
    base = _git(repo, "rev-parse", "HEAD")
    applied = CliRunner().invoke(cli, ["-C", str(repo), "apply", "--auto-approve"])
    assert applied.exit_code == 0, applied.output
    write_scenarios(repo, scenario("Order updates", ("SMS", "Shop"), ("EMAIL", "o@example.com"),
                                   default=True))  # fmt: skip
    (repo / "templates" / "order-shipped.yaml").write_text(
        TEMPLATE.replace("shipped.", "shipped 🚚.")
    )
    env = plan_env(tmp_path / "runner", "prod", "OMNI_TEST_KEY_PROD", account.secret, BASE_SHA=base)
    code, out, log = run_plan(repo, env)
    assert code == 0, log
    copy_artifact(out, tmp_path / "plans", "prod")
    calls = comment(tmp_path, [], expected=1)
    body = calls[1][1]["body"]
    assert "```mermaid\nflowchart LR\n" in body
    assert "Message preview: templates/order-shipped.yaml through" in body
    assert "SMS: 1 part GSM-7 -&gt; 1 part UCS-2 (because of 🚚)" in body
