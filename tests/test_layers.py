"""The import contracts of pyproject.toml hold, and they do catch a forbidden import or a cycle."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        check=False,
    )


@pytest.fixture
def copy_of_the_package(tmp_path: Path) -> Path:
    shutil.copytree(
        REPO_ROOT / "omni_sync", tmp_path / "omni_sync", ignore=shutil.ignore_patterns("*.pyc")
    )
    shutil.copy(REPO_ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def add_import(root: Path, module: str, statement: str) -> None:
    path = root / (module.replace(".", "/") + ".py")
    path.write_text(path.read_text(encoding="utf-8") + f"\n\ndef _f() -> None:\n    {statement}\n")


def test_the_package_keeps_its_import_contracts() -> None:
    result = lint_imports(REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "statement", "said"),
    [
        (
            "omni_sync.plan.diff",
            "import omni_sync.client.omni",
            "omni_sync.plan is not allowed to import omni_sync.client",
        ),
        (
            "omni_sync.model.scenario",
            "import omni_sync.load.project",
            "omni_sync.model is not allowed to import omni_sync.load",
        ),
        (
            "omni_sync.messages.checks",
            "import omni_sync.load.project",
            "omni_sync.messages is not allowed to import omni_sync.load",
        ),
        (
            "omni_sync.load.scenarios",
            "import omni_sync.messages.loading",
            "omni_sync.load is not allowed to import omni_sync.messages",
        ),
        (
            "omni_sync.source.safe_yaml",
            "import omni_sync.load.project",
            "omni_sync.source is not allowed to import omni_sync.load",
        ),
        (
            "omni_sync.apply.engine",
            "import omni_sync.output",
            "omni_sync.apply is not allowed to import omni_sync.output",
        ),
        (
            "omni_sync.plan.diff",
            "import omni_sync.emulator.app",
            "Illegal imports of protected package omni_sync.emulator: - omni_sync.plan.diff",
        ),
        (
            "omni_sync.plan.changes",
            "import omni_sync.plan.render_text",
            "No cycles are allowed in omni_sync.plan",
        ),
    ],
)
def test_a_forbidden_import_inside_a_function_breaks_a_contract(
    copy_of_the_package: Path, module: str, statement: str, said: str
) -> None:
    add_import(copy_of_the_package, module, statement)
    result = lint_imports(copy_of_the_package)
    assert result.returncode == 1
    assert said in " ".join(result.stdout.split())
