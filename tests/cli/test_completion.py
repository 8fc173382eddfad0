"""Environment names complete after every -e, not only validate's."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.load.test_commands import complete

CONFIG = "environments:\n  dev: {}\n  prod: {}\n"


@pytest.mark.parametrize(
    "command", ["validate", "plan", "apply", "print", "keys", "import", "render x", "send x"]
)
def test_every_environment_option_completes_names(repo: Path, command: str) -> None:
    (repo / "omni-sync.yaml").write_text(CONFIG)
    assert complete(repo, f"omni-sync -C {repo} {command} -e ") == ["dev", "prod"]
    assert complete(repo, f"omni-sync -C {repo} {command} --env d") == ["dev"]
