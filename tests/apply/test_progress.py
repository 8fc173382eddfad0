"""The apply progress line: drawn in place on a terminal, erased at the end, log lines above it."""

from __future__ import annotations

import io

from omni_sync.apply.progress import ApplyProgress, clock
from omni_sync.apply.report import Fate, Outcome
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
