#!/usr/bin/env python3
"""What `pip install` brings: omni-sync's wheel (built from the given commits) against octoDNS,
side by side in one run, each into a fresh venv from a cold cache (--no-cache-dir).

Reports per install: the distributions it added, the size they take in site-packages, the
wheel's own top-level names, and the install's wall time. Needs PyPI. Never asserts.

    python bench/install_size.py [--ref HEAD] [--ref a26efea] [--compare octodns]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def site_packages(venv: Path) -> Path:
    (found,) = (venv / "lib").glob("python3*/site-packages")
    return found


def distributions(venv: Path) -> set[str]:
    return {path.name for path in site_packages(venv).glob("*.dist-info")}


def size_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def build_wheel(ref: str, scratch: Path) -> Path:
    source = scratch / f"src-{ref}"
    source.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    wheels = scratch / f"wheel-{ref}"
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-cache-dir"]
    subprocess.run([*pip_wheel, "-w", str(wheels), str(source)], check=True)
    (wheel,) = wheels.glob("*.whl")
    return wheel


def disk_kb(folder: Path) -> int:
    """What ``du`` counts: whole blocks."""
    du = subprocess.run(["du", "-sk", str(folder)], capture_output=True, text=True, check=True)
    return int(du.stdout.split()[0])


def largest(venv: Path, before: set[str], count: int = 6) -> str:
    sizes = {
        path.name: size_bytes(path)
        for path in site_packages(venv).iterdir()
        if path.is_dir() and path.name not in before and not path.name.endswith(".dist-info")
    }
    top = sorted(sizes.items(), key=lambda item: -item[1])[:count]
    return ", ".join(f"{name} {size / 1e6:.1f}" for name, size in top)


Installed = tuple[int, int, int, float, list[str], str]


def install(requirement: str, scratch: Path, label: str) -> Installed:
    """Distributions added, bytes and du kB added, seconds, the names added, the largest."""
    venv = scratch / f"venv-{label}"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    folders = {path.name for path in site_packages(venv).iterdir()}
    before, before_size = distributions(venv), size_bytes(site_packages(venv))
    before_kb = disk_kb(site_packages(venv))
    started = time.perf_counter()
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "--no-cache-dir", requirement],
        check=True,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    seconds = time.perf_counter() - started
    added = sorted(name.split("-")[0] for name in distributions(venv) - before)
    size = size_bytes(site_packages(venv)) - before_size
    kb = disk_kb(site_packages(venv)) - before_kb
    return len(added), size, kb, seconds, added, largest(venv, folders)


def top_level(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        names = {name.split("/")[0] for name in archive.namelist()}
    return sorted(name for name in names if not name.endswith(".dist-info"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", action="append", help="a commit to build (default HEAD)")
    parser.add_argument("--compare", action="append", default=None, help="default: octodns")
    options = parser.parse_args()
    refs = options.ref or ["HEAD"]
    others = options.compare if options.compare is not None else ["octodns"]
    rows = []
    with tempfile.TemporaryDirectory(prefix="install-size-") as tmp:
        scratch = Path(tmp)
        for ref in refs:
            wheel = build_wheel(ref, scratch)
            rows.append(
                (f"omni-sync at {ref}", install(str(wheel), scratch, ref), top_level(wheel))
            )
        for other in others:
            rows.append((other, install(other, scratch, other), []))
    print("| install | distributions | files | on disk (du) | install time | wheel's top level |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, (count, size, kb, seconds, _, _), tops in rows:
        print(
            f"| {name} | {count} | {size / 1e6:.1f} MB | {kb / 1024:.1f} MB | {seconds:.1f} s "
            f"| {' '.join(tops)} |"
        )
    for name, (_, _, _, _, added, big), _ in rows:
        print(f"{name}: {' '.join(added)}\n  largest (MB): {big}")


if __name__ == "__main__":
    main()
