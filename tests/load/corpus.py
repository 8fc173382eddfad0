"""Runs one folder of tests/corpus/ through the CLI, the way the corpus test and its
expectation files use it. A folder is a small repository; beside it:

- ``args.txt``: the command line (default ``validate``);
- ``generate-50mb.txt``: a file to fill with 50 MB of YAML before running (never committed);
- ``expected.txt``: everything the command prints (stdout, then stderr), exactly.
"""

from __future__ import annotations

import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from omni_sync.cli import cli

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    output: str
    exception: BaseException | None


def cases() -> list[str]:
    return sorted(path.name for path in CORPUS.iterdir() if path.is_dir())


def prepare(name: str, workdir: Path) -> tuple[Path, list[str]]:
    root = workdir / name
    shutil.copytree(CORPUS / name, root, ignore=shutil.ignore_patterns("expected.txt"))
    generate = root / "generate-50mb.txt"
    if generate.exists():
        target = root / generate.read_text().strip()
        target.parent.mkdir(parents=True, exist_ok=True)
        line = b"# " + b"x" * 1021 + b"\n"
        with target.open("wb") as handle:
            for _ in range(50 * 1024):
                handle.write(line)
        generate.unlink()
    args_file = root / "args.txt"
    args = shlex.split(args_file.read_text()) if args_file.exists() else ["validate"]
    args_file.unlink(missing_ok=True)
    return root, args


def run(name: str, workdir: Path) -> Outcome:
    root, args = prepare(name, workdir)
    result = CliRunner().invoke(cli, ["-C", str(root), *args], catch_exceptions=True)
    exception = None if isinstance(result.exception, SystemExit) else result.exception
    return Outcome(result.exit_code, result.stdout + result.stderr, exception)


def expected(name: str) -> str:
    return (CORPUS / name / "expected.txt").read_text()
