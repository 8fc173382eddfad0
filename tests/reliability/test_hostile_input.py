"""Property tests: whatever a user (or a pull request) puts in scenario files, omni-sync.yaml or
message templates, validate answers with success or located one-line problems; never a
traceback, a hang or unbounded memory."""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omni_sync.cli import cli
from omni_sync.errors import ProblemsFound
from omni_sync.messages.loading import read_template
from omni_sync.messages.rendering import render_message
from omni_sync.model.scenario import Channel
from tests.conftest import REPO_ROOT
from tests.reliability.hostile import (
    CONFIG_KEYS,
    ONE_PROBLEM,
    SCENARIO_KEYS,
    TEMPLATE_KEYS,
    assert_clean_answer,
    hostile_text,
    time_limit,
)

FIXED = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
CONFIG = "environments:\n  dev:\n    vars: {sms: Shop}\n"
GOOD_SCENARIO = "name: A\ndefault: true\nflow:\n  - {channel: SMS, from: '{{ vars.sms }}'}\n"


def validate(files: dict[str, str | bytes]) -> tuple[int, str, str]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", errors="surrogatepass")
        with time_limit(20):
            result = CliRunner().invoke(cli, ["-C", str(root), "validate"])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@FIXED
@given(st.lists(hostile_text(SCENARIO_KEYS), min_size=1, max_size=3))
def test_any_scenario_files(texts: list[str]) -> None:
    files: dict[str, str | bytes] = {"omni-sync.yaml": CONFIG}
    files.update({f"scenarios.d/s{i}.yaml": text for i, text in enumerate(texts)})
    assert_clean_answer(*validate(files))


@FIXED
@given(hostile_text(CONFIG_KEYS))
def test_any_config(text: str) -> None:
    assert_clean_answer(*validate({"omni-sync.yaml": text, "scenarios.d/a.yaml": GOOD_SCENARIO}))


@settings(FIXED, max_examples=60)
@given(st.binary(max_size=300), st.binary(max_size=300))
def test_any_bytes(config: bytes, scenario: bytes) -> None:
    assert_clean_answer(*validate({"omni-sync.yaml": config, "scenarios.d/b.yaml": scenario}))


@FIXED
@given(hostile_text(TEMPLATE_KEYS))
def test_any_message_template(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        path = root / "templates" / "t.yaml"
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            with time_limit(20):
                tf = read_template(root, path)
                _, problems, _ = render_message(tf, list(Channel), environment="dev", variables={})
        except ProblemsFound as exc:
            problems = list(exc.problems)
    for problem in problems:
        assert ONE_PROBLEM.fullmatch(str(problem)), str(problem)


BOMBS = {
    "scenarios.d/loops.yaml": "{% for i in range(100000) %}{% for j in range(100000) %}"
    "x{% endfor %}{% endfor %}",
    "scenarios.d/double.yaml": "{% set a = 'x' * 5000000 %}{% set b = a ~ a %}"
    "{% set c = b ~ b %}{{ c ~ c }}",
    "scenarios.d/lists.yaml": "{% set a = 'x' * 5000000 %}{% set l = [a,a,a,a,a,a,a,a] %}"
    "{% set m = [l,l,l,l,l,l,l,l] %}{{ [m,m,m,m,m,m,m,m]|join }}",
    "scenarios.d/power.yaml": "{{ ((10 ** 256) ** 256) ** 256 }}",
    "scenarios.d/laughs.yaml": "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n",
    "scenarios.d/deep.yaml": "[" * 5000 + "]" * 5000,
    "scenarios.d/huge.yaml": "name: " + "x" * (6 * 1024 * 1024),
}
MEMORY_LIMIT = 1024 * 1024 * 1024


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def test_memory_bombs_are_refused_within_a_memory_limit(repo: Path) -> None:
    (repo / "omni-sync.yaml").write_text(CONFIG)
    for name, text in BOMBS.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    done = subprocess.run(
        [sys.executable, "-m", "omni_sync", "validate"],
        cwd=repo,
        env={"PYTHONPATH": str(REPO_ROOT), "HOME": str(repo), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=90,
        preexec_fn=_limit_memory,
        check=False,
    )
    assert_clean_answer(done.returncode, done.stdout, done.stderr)
    located = {line.split(":", 1)[0] for line in done.stdout.splitlines()}
    assert located == set(BOMBS), done.stdout


def test_message_template_that_is_not_utf8_is_located(repo: Path) -> None:
    path = repo / "templates" / "t.yaml"
    path.parent.mkdir()
    path.write_bytes(b"scenarios: [A]\nsms: {text: '\xff\xfe'}\n")
    with pytest.raises(ProblemsFound) as caught:
        read_template(repo, path)
    assert [str(p) for p in caught.value.problems] == [
        "templates/t.yaml:2:14: not UTF-8 text; save the file as UTF-8"
    ]
