"""The apply progress line: drawn in place on a terminal, erased at the end, log lines above it."""

from __future__ import annotations

import io

from omni_sync.apply.progress import ApplyProgress, WaitLog, clock
from omni_sync.apply.report import Fate, Outcome, Waiting
from omni_sync.plan.changes import Action, Change
from tests.plan.factories import spec

ERASE = "\r\x1b[2K"
DONE = Outcome(Change(Action.CREATE, spec("Orders"), None, (), ()), Fate.APPLIED)


def test_the_line_counts_changes_and_is_erased_when_the_apply_ends() -> None:
    stream = io.StringIO()
    with ApplyProgress(4, enabled=True, color=False, stream=stream) as progress:
        for _ in range(3):
            progress.advance(DONE)
        assert progress.completed == 3
        shown = stream.getvalue()
    frames = shown.split(ERASE)[1:]
    assert frames[0] == "Applying [" + "-" * 40 + "] 0/4 ETA -:--:--"
    assert frames[-1].startswith("Applying [" + "#" * 30 + "-" * 10 + "] 3/4 ETA 0:00:0")
    assert stream.getvalue() == shown + ERASE  # nothing left on the terminal
    assert "\n" not in stream.getvalue()


def test_a_log_line_is_printed_above_the_bar_not_through_it() -> None:
    stream = io.StringIO()
    with ApplyProgress(2, enabled=True, color=False, stream=stream) as progress:
        log = progress.above(lambda text: stream.write(text + "\n"))
        log("PUT /scenarios/k1")
    before_log, after_log = stream.getvalue().split("PUT /scenarios/k1\n")
    assert before_log.endswith("0/2 ETA -:--:--" + ERASE)
    assert after_log.startswith(ERASE + "Applying [")


def test_the_bar_fits_a_narrow_terminal_and_colours_only_when_asked() -> None:
    progress = ApplyProgress(10, enabled=True, color=False, stream=io.StringIO())
    assert len(progress.line(30)) == 30
    assert "\x1b" not in progress.line(80)
    progress = ApplyProgress(10, enabled=True, color=True, stream=io.StringIO())
    progress.advance(DONE)
    assert "\x1b[32m####\x1b[0m" in progress.line(80)


def test_disabled_it_counts_but_draws_nothing() -> None:
    stream = io.StringIO()
    with ApplyProgress(2, enabled=False, color=True, stream=stream) as progress:
        progress.advance(DONE)
        progress.above(lambda _text: None)("x")
    assert progress.completed == 1
    assert stream.getvalue() == ""


def test_clock_reads_like_a_countdown() -> None:
    assert [clock(s) for s in (0, 59.6, 61, 3725)] == ["0:00:00", "0:01:00", "0:01:01", "1:02:05"]


def _waiting(seconds: float, done: int = 20) -> Waiting:
    return Waiting("prod", "creates", seconds, (20, 600.0), done, 30)


def test_a_wait_for_the_write_limit_reads_as_the_issue_asks() -> None:
    assert _waiting(250).message() == (
        "prod: waiting 4m10s for the write limit, 20 creates per 10 minutes: 20 of 30 created"
    )
    updates = Waiting("dev", "updates", 42.4, (40, 90.0), 3, 50)
    assert updates.message() == (
        "dev: waiting 42s for the write limit, 40 updates per 90 seconds: 3 of 50 updated"
    )


def test_without_a_terminal_a_wait_is_logged_when_it_begins_and_every_30_seconds() -> None:
    lines: list[str] = []
    now = [0.0]
    log = WaitLog(lines.append, now=lambda: now[0])
    for second in range(0, 65):
        now[0] = float(second)
        log(_waiting(600 - second))
    log(_waiting(0))
    assert [line.split(" for")[0] for line in lines] == [
        "prod: waiting 10m00s",
        "prod: waiting 9m30s",
        "prod: waiting 9m00s",
    ]


def test_on_a_terminal_the_wait_shows_in_the_line_and_goes_when_it_ends() -> None:
    stream = io.StringIO()
    with ApplyProgress(30, enabled=True, color=False, stream=stream) as progress:
        progress.waiting(_waiting(250).message())
        assert "20 creates per 10 minutes: 20 of 30 created" in progress.line(200)
        assert len(progress.line(60)) == 60
        progress.waiting(None)
        assert "ETA" in progress.line(200)
    frames = stream.getvalue().split(ERASE)
    assert any("waiting 4m10s for the write limit" in frame for frame in frames)
