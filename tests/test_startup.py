"""Start-up stays light: ``--version`` and every ``--help`` run without importing the heavy
parts (models, HTTP, diffing, templating, rich, the emulator). bench/run reports the times."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from omni_sync import __version__
from omni_sync.cli import COMMANDS
from tests.conftest import REPO_ROOT

HEAVY = ("pydantic", "httpx", "deepdiff", "jinja2", "rich", "omni_sync.emulator")

PROBE = """
import json, sys
from omni_sync.__main__ import main
sys.argv = ["omni-sync", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
print("LOADED", json.dumps(sorted(k for k, v in sys.modules.items() if v is not None)))
"""


def loaded_modules(args: list[str], cwd: Path = REPO_ROOT) -> tuple[str, set[str]]:
    """Run the entry point in a fresh interpreter; return its output and sys.modules."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        check=True,
        cwd=cwd,
    )
    output, _, loaded = result.stdout.rpartition("LOADED ")
    return output, set(json.loads(loaded))


def heavy_in(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


def test_version_imports_neither_click_nor_anything_heavy() -> None:
    for flag in ("--version", "-V"):
        output, modules = loaded_modules([flag])
        assert output.strip() == f"omni-sync, version {__version__}"
        assert heavy_in(modules) == []
        assert "click" not in modules
        assert "omni_sync.cli" not in modules


def test_version_after_an_option_still_answers_through_click() -> None:
    output, modules = loaded_modules(["--no-color", "--version"])
    assert output.strip() == f"omni-sync, version {__version__}"
    assert heavy_in(modules) == []


def built_commands() -> list[str]:
    return sorted(
        name for name, (module, _) in COMMANDS.items() if importlib.util.find_spec(module)
    )


def test_help_of_the_group_and_of_every_built_command_imports_nothing_heavy() -> None:
    output, modules = loaded_modules(["--help"])
    for name in COMMANDS:
        assert name in output
    assert heavy_in(modules) == []
    assert not [m for m in modules if m.startswith("omni_sync.commands.")]
    for command in built_commands():
        output, modules = loaded_modules([command, "--help"])
        assert f"Usage: omni-sync {command}" in output
        assert heavy_in(modules) == [], (
            f"`omni-sync {command} --help` imported {heavy_in(modules)}; import them inside "
            "the command's function, not at the top of its module"
        )


def test_entry_point_in_process(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from omni_sync.__main__ import main

    monkeypatch.setattr(sys, "argv", ["omni-sync", "-V"])
    main()
    assert capsys.readouterr().out == f"omni-sync, version {__version__}\n"
    monkeypatch.setattr(sys, "argv", ["omni-sync", "--help"])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 0
    assert "Usage: omni-sync" in capsys.readouterr().out


def _probe(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -c CODE ARGS`` in the repository, its output captured."""
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )


def test_importing_omni_sync_changes_no_other_module() -> None:
    """The package is imported without side effects: nothing switched off in sys.modules."""
    probe = (
        "import json, sys\n"
        "before = dict(sys.modules)\n"
        "import omni_sync\n"
        "print(json.dumps([k for k, v in sys.modules.items() if before.get(k, 0) is not v]))"
    )
    result = _probe(probe)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["omni_sync"]


def runtime_distributions(name: str = "omni-sync") -> set[str]:
    """The distributions ``pip install NAME`` brings (NAME included), read from installed metadata."""
    from packaging.requirements import Requirement

    seen: set[str] = set()
    todo = [name]
    while todo:
        current = re.sub(r"[-_.]+", "-", todo.pop()).lower()
        if current in seen:
            continue
        seen.add(current)
        for line in importlib.metadata.requires(current) or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return seen


def test_an_install_lacks_what_httpx_needs_for_its_command_line() -> None:
    """httpx imports its own CLI whenever click, pygments and rich are all importable; an
    install of omni-sync brings neither pygments nor rich, so it never does."""
    installed = runtime_distributions()
    assert {"omni-sync", "httpx", "click"} <= installed
    assert not {"rich", "pygments"} & installed


def test_the_console_script_runs_exit_handlers_and_flushes() -> None:
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('handler ran'))\n"
        "sys.argv = ['omni-sync', *sys.argv[1:]]\n"
        "from omni_sync.__main__ import run\n"
        "run()\n"
        "print('never reached')\n"
    )
    for args, code, shown in (
        (["--version"], 0, "omni-sync, version"),
        (["--help"], 0, "Usage: omni-sync"),
        (["no-such-command"], 1, ""),
    ):
        result = _probe(probe, *args)
        assert result.returncode == code
        assert shown in result.stdout
        assert result.stdout.endswith("handler ran\n")
        assert "never reached" not in result.stdout


def test_a_stop_after_the_command_ended_is_no_traceback() -> None:
    """SIGTERM while the exit handlers run (the command has printed all it had): the process
    ends as the signal ends it, without a KeyboardInterrupt traceback."""
    probe = (
        "import atexit, os, signal, sys, time\n"
        "atexit.register(lambda: (os.kill(os.getpid(), signal.SIGTERM), time.sleep(5)))\n"
        "sys.argv = ['omni-sync', '--help']\n"
        "from omni_sync.__main__ import run\n"
        "run()\n"
    )
    result = _probe(probe)
    assert "Usage: omni-sync" in result.stdout
    assert (result.returncode, result.stderr) == (-signal.SIGTERM, "")


def test_a_reader_that_went_away_ends_the_console_script_quietly_with_1() -> None:
    """``omni-sync ... | head``: the pipe is closed before the output is flushed."""
    probe = (
        "import sys\n"
        "sys.argv = ['omni-sync', '--version']\n"
        "sys.stdout.write('x' * 1000)\n"
        "from omni_sync.__main__ import run\n"
        "run()\n"
    )
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [sys.executable, "-c", probe],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO_ROOT,
            env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
            check=False,
        )
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (1, "")


def test_plan_without_message_templates_imports_no_template_engine(tmp_path: Path) -> None:
    """Previews need Jinja only when templates/ holds a template: a plan of plain scenarios
    (a ``{{ vars.x }}`` placeholder is substituted without Jinja) leaves it unimported."""
    (tmp_path / "omni-sync.yaml").write_text("environments:\n  dev:\n    vars: {sender: Shop}\n")
    (tmp_path / "scenarios.d").mkdir()
    (tmp_path / "scenarios.d" / "a.yaml").write_text(
        'name: A\ndefault: true\nflow:\n  - channel: SMS\n    from: "{{ vars.sender }}"\n'
    )
    output, modules = loaded_modules(["plan", "-e", "dev"], cwd=tmp_path)
    assert "Plan: 1 to add, 0 to change, 0 to destroy." in output, output
    assert "omni_sync.apply.previews" in modules
    assert not [m for m in modules if m == "jinja2" or m.startswith("jinja2.")]
