"""Exit codes a pipeline can rely on: 2 means "changes" (plan --detailed-exitcode) and nothing
else. A usage error exits 1, as Terraform's do, still with click's usage message; an internal
error exits 1 too, with its own message."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, run_cli_subprocess

USAGE_ERRORS = {
    "unknown flag": (["plan", "--detailed-exit-code"], "No such option '--detailed-exit-code'"),
    "unknown global flag": (["--colour", "plan"], "No such option '--colour'"),
    "unknown command": (["frobnicate"], "No such command 'frobnicate'"),
    "bad option value": (["plan", "--format", "yml"], "Invalid value for '--format'"),
    "missing argument": (["render"], "Missing argument"),
    "option without its value": (["plan", "-e"], "Option '-e' requires an argument"),
    "folder that does not exist": (["-C", "no-such-folder", "plan"], "Invalid value for '-C'"),
}


@pytest.mark.parametrize("case", sorted(USAGE_ERRORS))
def test_a_usage_error_exits_1_with_the_usage_message(case: str, repo: Path) -> None:
    args, message = USAGE_ERRORS[case]
    done = run_cli_subprocess(args, cwd=repo)
    assert done.returncode == 1, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_changes_are_still_2(repo: Path) -> None:
    (repo / "scenarios.d").mkdir()
    (repo / "scenarios.d" / "a.yaml").write_text(
        "name: A\ndefault: true\nflow:\n  - {channel: SMS, from: Shop}\n"
    )
    done = run_cli_subprocess(["plan", "--detailed-exitcode"], cwd=repo)
    assert done.returncode == 2, done.stderr
    assert "1 to add" in done.stdout


def test_an_internal_error_exits_1_with_its_own_message(repo: Path) -> None:
    """A bug (here: the loader made to fail unexpectedly before the process starts its work)."""
    hooks = repo.parent / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(
        "import omni_sync.load.project as project\n"
        "def broken(*args, **kwargs):\n"
        "    raise ZeroDivisionError('division by zero')\n"
        "project.load_project = broken\n"
    )
    done = run_cli_subprocess(["validate"], cwd=repo, env={"PYTHONPATH": f"{hooks}:{REPO_ROOT}"})
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == [
        "Error: internal error: ZeroDivisionError: division by zero. This is a bug in "
        "omni-sync; rerun with --debug and report it."
    ]
