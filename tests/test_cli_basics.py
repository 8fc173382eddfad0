import subprocess
import sys

from click.testing import CliRunner

from omni_sync import __version__
from omni_sync.cli import cli


def test_version_through_real_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "omni_sync", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"omni-sync, version {__version__}"


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["frobnicate"])
    assert result.exit_code == 1
    assert "No such command 'frobnicate'" in result.output
