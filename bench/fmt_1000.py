#!/usr/bin/env python3
"""How long `omni-sync fmt` takes per scenario file, and what remembering which texts may be
written plain saves.

Generates a repository in a temporary folder (bench/lib/repo.py, the files the scaling case
uses, with their keys reordered and values quoted so every file has work to do), then formats
every file in-process twice on the same data, side by side: once forgetting between files
whether a text's plain form reads back (as before that was remembered), once remembering it.
CPU time, as this machine is shared. Reports, never asserts.

    python bench/fmt_1000.py [--files 1000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lib.repo import Environment, write_repo  # noqa: E402


def _messy(text: str) -> str:
    """The same scenario with ``flow`` first and its name quoted: fmt has to rewrite it."""
    lines = text.splitlines()
    name = next(line for line in lines if line.startswith("name: "))
    rest = [line for line in lines if line is not name]
    return "\n".join([*rest, "name: '" + name.removeprefix("name: ").strip("'\"") + "'"]) + "\n"


def _format_all(texts: list[str], *, remember: bool) -> float:
    from omni_sync.formatting import layout

    layout._plain_reads_back.cache_clear()
    started = time.process_time()
    for text in texts:
        if not remember:
            layout._plain_reads_back.cache_clear()
        layout.format_text(text)
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        repo = write_repo(Path(scratch), options.files, [Environment("bench")])
        files = sorted((repo / "scenarios.d").rglob("*.yaml"))
        texts = [_messy(path.read_text(encoding="utf-8")) for path in files]
    results: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(options.runs):
        for remember in (False, True):
            results[remember].append(_format_all(texts, remember=remember))
    print(f"omni-sync fmt, {len(texts):,} scenario files, in-process CPU, median of {options.runs}")
    print(f"  machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    for remember, label in ((False, "forgetting between files"), (True, "remembering")):
        total = statistics.median(results[remember])
        print(f"  {label:<25} {total:6.2f} s  ({total / len(texts) * 1000:5.1f} ms a file)")


if __name__ == "__main__":
    main()
