"""The repository speaks of the product alone: its documents name files of the repository,
never an absolute path of the machine they were written on (a path anchored at the
repository's root, as CODEOWNERS writes ``/omni-sync.yaml``, is one of its own files)."""

from __future__ import annotations

import re
import subprocess
import tomllib

from tests.conftest import REPO_ROOT

# A file named by an absolute path in a Markdown code span: `/somewhere/file.md`.
ABSOLUTE_FILE = re.compile(r"`(/[^`\s]+\.(?:md|json|py|ya?ml|toml|txt|cfg))`")


def tracked(suffix: str) -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", f"*{suffix}"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    return listed.stdout.split()


def outside_the_repository(path: str) -> bool:
    return not (REPO_ROOT / path.lstrip("/").split("/")[0]).exists()


def test_no_document_names_a_file_outside_the_repository() -> None:
    found = {
        name: ABSOLUTE_FILE.findall((REPO_ROOT / name).read_text(encoding="utf-8"))
        for name in tracked(".md")
    }
    assert "README.md" in found
    outside = {
        name: [path for path in paths if outside_the_repository(path)]
        for name, paths in found.items()
    }
    assert {name: paths for name, paths in outside.items() if paths} == {}
    assert outside_the_repository("/srv/docs/omni-api.md")
    assert not outside_the_repository("/omni-sync.yaml")


def test_the_wheel_installs_omni_sync_alone() -> None:
    """bench/ is run from the repository (bench/run); installed, it would be a top-level
    ``bench`` package in every user's site-packages."""
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["omni_sync"]


def _readme_command(heading: str) -> str:
    """The one-line shell command in the README's code block right after ``heading``."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    after = readme[readme.index(heading) :]
    return after.split("```sh\n", 1)[1].split("\n", 1)[0]


def test_ci_runs_the_readmes_test_command() -> None:
    """Every step of the README's test command stands, in order, in .ci/run."""
    steps = [step.strip() for step in _readme_command("**Run the tests**").split("&&")]
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    lines = [line.strip() for line in ci if line.strip() and not line.lstrip().startswith("#")]
    positions = []
    for step in steps:
        # `pip install X` is run as `python -m pip install -q X` there
        words = step.split()
        found = [i for i, line in enumerate(lines) if all(w in line.split() for w in words)]
        assert found, f"{step!r} of the README's test command is not in .ci/run"
        positions.append(found[0])
    assert positions == sorted(positions), (steps, positions)
