"""The benchmark harness measures what it claims: per-child memory, request counts, verdicts."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import httpx
import pytest

from bench.lib import main as bench_main
from bench.lib import probe
from bench.lib.cases import Case
from bench.lib.linearity import linearity_checks
from bench.lib.measure import ChildFailed, Measurement, run_measured
from bench.lib.plot import fit_line
from bench.lib.results import Check, Row
from bench.lib.table import render_markdown, render_text


def test_peak_memory_is_the_childs_own(tmp_path: Path) -> None:
    big = run_measured(
        [sys.executable, "-c", "b = bytearray(80 * 2**20); b[::4096] = b'x' * len(b[::4096])"],
        cwd=tmp_path,
    )
    small = run_measured([sys.executable, "-c", "pass"], cwd=tmp_path)
    assert big.peak_mb > 80
    assert small.peak_mb < 40
    assert small.cpu_s <= small.wall_s * 2


def test_a_failing_child_is_reported_with_its_output(tmp_path: Path) -> None:
    with pytest.raises(ChildFailed, match="exited 3: boom"):
        run_measured([sys.executable, "-c", "print('boom'); raise SystemExit(3)"], cwd=tmp_path)


def test_probe_counts_requests_by_method_and_throttled_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(httpx.AsyncClient, "send", httpx.AsyncClient.send)
    monkeypatch.setattr(probe, "counts", probe.Counter())
    probe.install()

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429 if request.method == "POST" else 200)

    async def talk() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
            await client.get("http://emulator/omni/1/scenarios")
            await client.get("http://emulator/omni/1/scenarios")
            await client.post("http://emulator/omni/1/scenarios")

    monkeypatch.setattr(probe, "writes", [])
    asyncio.run(talk())
    assert dict(probe.counts) == {"GET": 2, "POST": 1, "429": 1}
    assert len(probe.writes) == 2
    assert probe.writes[0] <= probe.writes[1]


def test_verdicts_and_table() -> None:
    met = Check("limit", 0.5, 1.0, 1.0)
    missed = Check("floor", 3.0, 1.0, 2.0)
    rows = [
        Row("fast", "10", checks=[met]),
        Row("slow", "10", checks=[met, missed]),
        Row("boom", "-", crashed="ValueError: x"),
    ]
    assert [row.verdict for row in rows] == ["ok", "MISSED", "CRASHED"]
    text = render_text(rows)
    assert "3.00" in text
    assert "MISSED" in text
    assert render_markdown(rows).count("\n") == len(rows) + 2


def test_run_exits_1_only_when_a_case_crashes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def crash(ctx: object) -> list[Row]:
        raise RuntimeError("the emulator did not start")

    def slow(ctx: object) -> list[Row]:
        return [Row("slow", "1", checks=[Check("limit", 2.0, 1.0, 1.0)])]

    monkeypatch.setattr(bench_main, "CASES", {"slow": Case(slow)})
    assert bench_main.main(["--quick"]) == 0
    monkeypatch.setattr(
        bench_main,
        "CASES",
        {"slow": Case(slow), "crash": Case(crash), "later": Case(slow, needs=("omni_sync.nope",))},
    )
    assert bench_main.main(["--quick"]) == 1
    out = capsys.readouterr().out
    assert "CRASHED" in out
    assert "MISSED" in out
    assert "not built yet: omni_sync.nope" in out


def _measured(wall: float, peak: float) -> Measurement:
    return Measurement(wall_s=wall * 3, cpu_s=wall, peak_mb=peak, exit_code=0)


def test_linearity_flags_quadratic_growth_and_passes_linear() -> None:
    sizes = (100, 1_000, 10_000)
    linear = [(n, _measured(0.5 + n / 1000, 30 + n / 100)) for n in sizes]
    quadratic = [(n, _measured(0.5 + (n / 1000) ** 2, 30 + n / 100)) for n in sizes]
    assert [c.verdict for c in linearity_checks(linear)] == ["ok", "ok"]
    time_check, memory_check = linearity_checks(quadratic)
    assert time_check.verdict == "MISSED"
    assert time_check.ratio > 5
    assert memory_check.verdict == "ok"
    assert linearity_checks(linear[:2]) == []


def test_fit_line_recovers_intercept_and_slope() -> None:
    intercept, slope = fit_line([1.0, 2.0, 3.0], [5.0, 7.0, 9.0])
    assert (round(intercept, 9), round(slope, 9)) == (3.0, 2.0)
