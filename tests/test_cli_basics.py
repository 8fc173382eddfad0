import subprocess
import sys

from click.testing import CliRunner

from omni_sync import __version__
from omni_sync.cli import COMMANDS, cli


def test_version_through_real_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "omni_sync", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"omni-sync, version {__version__}"


def test_help_lists_every_command_without_importing_them() -> None:
    code = (
        "import sys\n"
        "from omni_sync.cli import main\n"
        "sys.argv=['omni-sync','--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy=[m for m in ('pydantic','httpx','deepdiff','jinja2','omni_sync.emulator') "
        "if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    for name in COMMANDS:
        assert name in result.stdout
    assert "HEAVY []" in result.stdout


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["frobnicate"])
    assert result.exit_code == 2
    assert "No such command 'frobnicate'" in result.output
