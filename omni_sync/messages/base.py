"""The message templates as they are at a Git ref (the base of a pull request), so a plan can
show what a template change does to each message. Read with ``git archive``; nothing written
outside a temporary folder."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from omni_sync.errors import ConfigError
from omni_sync.messages.loading import TemplateFile, load_templates
from omni_sync.model.layout import TEMPLATES_DIR

_COMMIT = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")


def _git(root: Path, ref: str, *args: str) -> bytes:
    git = shutil.which("git")
    if git is None:
        raise ConfigError(f"--compare-ref {ref}: git is not installed")
    try:
        # A list, no shell; the ref reaches git only as a checked commit id or after --verify.
        done = subprocess.run([git, "-C", str(root), *args], capture_output=True, check=True)  # noqa: S603
    except (OSError, subprocess.CalledProcessError) as exc:
        raise ConfigError(
            f"--compare-ref {ref}: not a commit of this repository (fetch it first, for "
            "example with actions/checkout's fetch-depth: 0)"
        ) from exc
    return done.stdout


def _commit(root: Path, ref: str) -> str:
    if ref.startswith("-") or not ref.strip():
        raise ConfigError(f"--compare-ref {ref}: give a commit, branch or tag")
    commit = _git(root, ref, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    found = commit.decode().strip()
    if not _COMMIT.fullmatch(found):
        raise ConfigError(f"--compare-ref {ref}: git named no commit for it")
    return found


def templates_at(root: Path, ref: str) -> dict[str, TemplateFile]:
    """Every template that reads cleanly at ``ref``, by its path (``templates/x.yaml``)."""
    commit = _commit(root, ref)
    if not _git(root, ref, "ls-tree", "--name-only", commit, f"{TEMPLATES_DIR}/").strip():
        return {}
    data = _git(root, ref, "archive", "--format=tar", commit, TEMPLATES_DIR)
    with tempfile.TemporaryDirectory() as folder:
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(folder, filter="data")
        files, _ = load_templates(Path(folder))
    return {tf.path: tf for tf in files}
