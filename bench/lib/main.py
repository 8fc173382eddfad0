"""``bench/run``: run every case, print one table, optionally save it (Markdown or JSON)."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import traceback
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.lib.cases import CASES
from bench.lib.context import Context
from bench.lib.measure import compile_package
from bench.lib.plot import plot_scaling, series_to_json
from bench.lib.results import Row
from bench.lib.table import render_markdown, render_text


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="small sizes; the whole run in under a minute"
    )
    parser.add_argument(
        "--out", type=Path, help="also write the table here (.json: JSON, else Markdown)"
    )
    parser.add_argument(
        "--plots", type=Path, metavar="DIR", help="write scaling.png here (needs matplotlib)"
    )
    parser.add_argument(
        "--only", action="append", choices=sorted(CASES), help="run only these cases"
    )
    return parser.parse_args(argv)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    system = f"{platform.system()} {platform.release()}"
    return f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, {system}"


def run_cases(ctx: Context, names: list[str]) -> list[Row]:
    rows: list[Row] = []
    for name in names:
        case = CASES[name]
        missing = case.missing()
        if missing:
            rows.append(Row(name, "-", note=f"not built yet: {', '.join(missing)}"))
            continue
        ctx.log(f"case {name}")
        try:
            rows.extend(case.run(ctx))
        except Exception as exc:
            traceback.print_exc(file=sys.stderr)
            rows.append(Row(name, "-", crashed=f"{type(exc).__name__}: {exc}"))
    return rows


def row_json(row: Row) -> dict[str, Any]:
    data = asdict(row) | {"verdict": row.verdict}
    if data["measurement"] is not None:
        del data["measurement"]["output"]
    return data


def write_out(path: Path, rows: list[Row], header: str, ctx: Context) -> None:
    if path.suffix == ".json":
        data = {
            "machine": header,
            "rows": [row_json(row) for row in rows],
            "series": series_to_json(ctx.series),
        }
        path.write_text(json.dumps(data, indent=2, default=str) + "\n")
    else:
        path.write_text(f"{header}\n\n{render_markdown(rows)}\n")


def report(
    args: argparse.Namespace, ctx: Context, rows: list[Row], took: float, load_before: float
) -> None:
    """Print the table (and save it) before the generated repositories are removed: removing
    tens of thousands of files takes minutes on a busy disk."""
    mode = "quick" if args.quick else "full"
    header = (
        f"Machine: {machine()}. Mode: {mode}; the run took {took:.0f} s; load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after (the CPUs are shared)."
    )
    print(header)
    print(render_text(rows), flush=True)
    if args.out is not None:
        write_out(args.out, rows, header, ctx)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    names = args.only or list(CASES)
    compile_package()
    started, load_before = time.perf_counter(), os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="omni-sync-bench-") as tmp:
        ctx = Context(quick=args.quick, workdir=Path(tmp))
        rows = run_cases(ctx, names)
        if args.plots is not None and ctx.series:
            written = plot_scaling(ctx.series, args.plots / "scaling.png")
            ctx.log(f"plot: {written or 'skipped: no matplotlib here; see bench/lib/plot.py'}")
        report(args, ctx, rows, time.perf_counter() - started, load_before)
        ctx.log("removing the generated repositories")
    return 1 if any(row.crashed is not None for row in rows) else 0
