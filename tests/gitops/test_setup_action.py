"""setup-omni-sync installs the pinned release by name and version, never the checkout: a pull
request that adds its own pyproject.toml named omni-sync (and a pip/ to hijack `python -m pip`)
changes nothing. Real pip in a fresh virtual environment, offline, from a wheel built here."""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.gitops.steps import GITHUB, load

VERSION = "9.9.9"


def _install_script() -> str:
    action = load(GITHUB / "actions/setup-omni-sync/action.yml")
    step = next(s for s in action["runs"]["steps"] if s.get("name") == "Install omni-sync")
    script: str = step["run"]
    return script


def _wheel(folder: Path) -> Path:
    """A real wheel of a stand-in omni-sync VERSION whose command prints its version."""
    files = {
        "omni_sync/__init__.py": f'def main():\n    print("omni-sync {VERSION} (from the index)")\n',
        f"omni_sync-{VERSION}.dist-info/METADATA": (
            f"Metadata-Version: 2.1\nName: omni-sync\nVersion: {VERSION}\n"
        ),
        f"omni_sync-{VERSION}.dist-info/WHEEL": (
            "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        ),
        f"omni_sync-{VERSION}.dist-info/entry_points.txt": (
            "[console_scripts]\nomni-sync = omni_sync:main\n"
        ),
    }
    record = []
    for name, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=")
        record.append(f"{name},sha256={digest.decode()},{len(text.encode())}")
    record.append(f"omni_sync-{VERSION}.dist-info/RECORD,,")
    files[f"omni_sync-{VERSION}.dist-info/RECORD"] = "\n".join(record) + "\n"
    folder.mkdir()
    wheel = folder / f"omni_sync-{VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return folder


def _hostile_checkout(workspace: Path, pwned: Path) -> None:
    """What a pull request can add: its own omni-sync project, and a pip that runs its code."""
    workspace.mkdir()
    (workspace / "pyproject.toml").write_text('[project]\nname = "omni-sync"\nversion = "6.6.6"\n')
    (workspace / "omni_sync").mkdir()
    (workspace / "omni_sync" / "__init__.py").write_text('print("the pull request\'s code")\n')
    for module in ("pip", "importlib"):
        (workspace / module).mkdir()
        (workspace / module / "__init__.py").write_text(
            f"open({str(pwned)!r}, 'a').write('{module}\\n')\n"
        )
        (workspace / module / "__main__.py").write_text("")


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh Python with pip, as setup-python gives the job."""
    folder = tmp_path_factory.mktemp("python") / "venv"
    _python(folder)
    return folder


def _python(folder: Path) -> None:
    """A virtual environment with pip: the base interpreter's when it has one (quicker)."""
    command = [sys.executable, "-m", "venv", "--without-pip", "--system-site-packages"]
    subprocess.run([*command, str(folder)], check=True, timeout=120)
    python = str(folder / "bin" / "python")
    if subprocess.run([python, "-I", "-c", "import pip"], check=False).returncode != 0:
        subprocess.run([python, "-m", "ensurepip", "--default-pip"], check=True, timeout=120)


def _run(
    venv: Path, workspace: Path, tmp_path: Path, version: str
) -> subprocess.CompletedProcess[str]:
    runner = tmp_path / "runner"
    runner.mkdir(exist_ok=True)
    env = {
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "GITHUB_WORKSPACE": str(workspace),
        "RUNNER_TEMP": str(runner),
        "OMNI_SYNC_VERSION": version,
        "PIP_NO_INDEX": "1",  # offline: the "index" is the wheel built above
        "PIP_FIND_LINKS": str(tmp_path / "index"),
    }
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", _install_script()],
        cwd=workspace,  # where a runner starts each step
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_pull_requests_own_pyproject_is_never_installed(venv: Path, tmp_path: Path) -> None:
    _wheel(tmp_path / "index")
    pwned = tmp_path / "pwned"
    _hostile_checkout(tmp_path / "workspace", pwned)
    result = _run(venv, tmp_path / "workspace", tmp_path, VERSION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(f"omni-sync {VERSION} (from the index)")
    assert not pwned.exists(), pwned.read_text()
    version = subprocess.run(
        [str(venv / "bin" / "omni-sync")], capture_output=True, text=True, check=True
    )
    assert version.stdout == f"omni-sync {VERSION} (from the index)\n"


def test_a_missing_release_fails_instead_of_falling_back_to_the_checkout(
    venv: Path, tmp_path: Path
) -> None:
    _wheel(tmp_path / "index")
    pwned = tmp_path / "pwned"
    _hostile_checkout(tmp_path / "workspace", pwned)
    result = _run(venv, tmp_path / "workspace", tmp_path, "1.2.3")
    assert result.returncode != 0
    assert "omni-sync==1.2.3" in result.stderr
    assert not pwned.exists()


def test_a_version_that_is_not_one_is_refused(venv: Path, tmp_path: Path) -> None:
    _wheel(tmp_path / "index")
    _hostile_checkout(tmp_path / "workspace", tmp_path / "pwned")
    result = _run(venv, tmp_path / "workspace", tmp_path, "1.0 ./")
    assert result.returncode == 1
    assert "is not a version" in result.stdout


def test_an_install_inside_the_checkout_is_refused(tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    _hostile_checkout(workspace, tmp_path / "pwned")
    inside = workspace / ".venv"
    _python(inside)
    _wheel(tmp_path / "index")
    result = _run(inside, workspace, tmp_path, VERSION)
    assert result.returncode == 1
    assert "installed from the checkout" in result.stdout
