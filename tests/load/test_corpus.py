"""Every broken input in tests/corpus/ gives its exact located error, exit 1, no traceback."""

from pathlib import Path

import pytest

from tests.conftest import run_cli_subprocess
from tests.load.corpus import cases, expected, prepare, run


def test_the_corpus_is_large_enough() -> None:
    assert len(cases()) >= 40


@pytest.mark.parametrize("name", cases())
def test_broken_input_is_refused_with_its_place(name: str, tmp_path: Path) -> None:
    outcome = run(name, tmp_path)
    assert outcome.exception is None
    assert outcome.exit_code == 1
    assert outcome.output == expected(name)
    assert "Traceback" not in outcome.output


@pytest.mark.parametrize(
    "name",
    ["yaml-billion-laughs", "jinja-reads-os-environ", "yaml-file-too-large", "config-missing"],
)
def test_through_the_real_entry_point(name: str, tmp_path: Path) -> None:
    root, args = prepare(name, tmp_path)
    result = run_cli_subprocess(
        ["-C", str(root), *args], cwd=tmp_path, env={"INFOBIP_PROD_API_KEY": "s3cret-key-value"}
    )
    assert result.returncode == 1
    assert result.stdout + result.stderr == expected(name)
    assert "s3cret-key-value" not in result.stdout + result.stderr
