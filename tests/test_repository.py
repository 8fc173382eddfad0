"""The repository speaks of the product alone: its documents name files of the repository,
never an absolute path of the machine they were written on."""

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


def test_no_document_names_a_file_by_an_absolute_path() -> None:
    found = {
        name: ABSOLUTE_FILE.findall((REPO_ROOT / name).read_text(encoding="utf-8"))
        for name in tracked(".md")
    }
    assert {name: paths for name, paths in found.items() if paths} == {}
    assert "README.md" in found


def test_the_wheel_installs_omni_sync_alone() -> None:
    """bench/ is run from the repository (bench/run); installed, it would be a top-level
    ``bench`` package in every user's site-packages."""
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["omni_sync"]
