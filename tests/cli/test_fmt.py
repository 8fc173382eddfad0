"""omni-sync fmt through the real entry point: rewrites to the canonical layout, keeps comments
and Jinja, names what it leaves alone, --check for CI and pre-commit."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.conftest import REPO_ROOT, run_cli_subprocess

MESSY = """# yaml-language-server: $schema=../schema/scenario-file.schema.json
# Order updates: the default.
flow:   # SMS first
  - from: "{{ vars.sms_sender }}"
    channel: SMS
  - {from: 'orders@{{ vars.mail_domain }}', channel: EMAIL}
default: True
name: 'Order updates'
renamed_from:
  - Orders
"""
CANONICAL = """# yaml-language-server: $schema=../schema/scenario-file.schema.json
# Order updates: the default.
name: Order updates
default: true
renamed_from: [Orders]
flow:   # SMS first
  - channel: SMS
    from: "{{ vars.sms_sender }}"
  - channel: EMAIL
    from: 'orders@{{ vars.mail_domain }}'
"""
BLOCKS = """name: Newsletter
flow:
  - channel: VIBER
    from: "3045"
{% if vars.marketing %}
  - channel: EMAIL
    from: news@example.com
{% endif %}
"""


def _repo(repo: Path) -> Path:
    folder = repo / "scenarios.d"
    folder.mkdir()
    (folder / "orders.yaml").write_text(MESSY)
    (folder / "news.yaml").write_text(BLOCKS)
    (folder / "alerts.yaml").write_text("name: Alerts\nflow:\n  - channel: SMS\n    from: Shop\n")
    return folder


def test_fmt_rewrites_to_the_canonical_layout_keeping_comments_and_jinja(repo: Path) -> None:
    folder = _repo(repo)
    result = run_cli_subprocess(["fmt"], cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "scenarios.d/orders.yaml\n"
    assert (folder / "orders.yaml").read_text() == CANONICAL
    assert (folder / "news.yaml").read_text() == BLOCKS
    assert (
        "Warning: scenarios.d/news.yaml: left as it is: Jinja statements or comments "
        "({% ... %}, {# ... #}) shape its YAML" in result.stderr
    )
    assert "1 file reformatted, 1 file already formatted, 1 file left as it is." in result.stderr
    again = run_cli_subprocess(["fmt"], cwd=repo)
    assert again.returncode == 0
    assert again.stdout == ""


def test_check_lists_the_files_that_would_change_and_changes_nothing(repo: Path) -> None:
    folder = _repo(repo)
    result = run_cli_subprocess(["fmt", "--check"], cwd=repo)
    assert result.returncode == 1
    assert result.stdout == "scenarios.d/orders.yaml\n"
    assert "Error: 1 file not in the canonical layout, 1 file left as it is; run omni-sync fmt" in (
        result.stderr
    )
    assert (folder / "orders.yaml").read_text() == MESSY
    run_cli_subprocess(["fmt"], cwd=repo)
    assert run_cli_subprocess(["fmt", "--check"], cwd=repo).returncode == 0


def test_only_the_paths_named_are_formatted(repo: Path) -> None:
    folder = _repo(repo)
    (folder / "other.yaml").write_text("flow: [{channel: SMS, from: Shop}]\nname: Other\n")
    result = run_cli_subprocess(["fmt", "scenarios.d/other.yaml"], cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "scenarios.d/other.yaml\n"
    assert (folder / "other.yaml").read_text() == (
        "name: Other\nflow:\n  - channel: SMS\n    from: Shop\n"
    )
    assert (folder / "orders.yaml").read_text() == MESSY


def test_a_path_that_does_not_exist_is_one_line_error(repo: Path) -> None:
    _repo(repo)
    result = run_cli_subprocess(["fmt", "nope.yaml"], cwd=repo)
    assert result.returncode == 1
    assert result.stderr == "Error: nope.yaml: no such file or folder\n"


def test_a_file_that_is_not_yaml_before_jinja_is_named_and_kept(repo: Path) -> None:
    folder = repo / "scenarios.d"
    folder.mkdir()
    text = "name: A\nflow:\n  - channel: SMS\n    from: {{ vars.sender }}\n"
    (folder / "a.yaml").write_text(text)
    result = run_cli_subprocess(["fmt", "--check"], cwd=repo)
    assert result.returncode == 0
    assert (
        "scenarios.d/a.yaml: left as it is: a Jinja placeholder sits outside any text value"
        in result.stderr
    )
    assert (folder / "a.yaml").read_text() == text


def test_the_example_repository_is_formatted() -> None:
    result = run_cli_subprocess(["fmt", "--check"], cwd=REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_hook_runs_fmt_check_on_scenario_files() -> None:
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())
    (hook,) = [h for h in hooks if h["id"] == "omni-sync-fmt"]
    assert hook["entry"] == "omni-sync fmt --check"
    assert hook["pass_filenames"] is True
    assert "omni-sync-validate" in [h["id"] for h in hooks]
