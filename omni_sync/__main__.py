"""The ``omni-sync`` entry point. ``--version`` is answered here, before click and the rest of
the CLI are imported: importing click alone costs about three times a bare interpreter start."""

import contextlib
import gc
import os
import sys

from omni_sync import __version__

VERSION_FLAGS = (["--version"], ["-V"])


def main() -> None:
    if sys.argv[1:] in VERSION_FLAGS:
        sys.stdout.write(f"omni-sync, version {__version__}\n")
        return
    from omni_sync.cli import main as cli_main

    cli_main()


def run() -> None:
    """The console script and ``python -m omni_sync``: ``main``, then the interpreter's own
    exit (exit handlers, flushing, teardown). ``main`` alone, for callers in the same process,
    raises SystemExit as click does.

    Most of the teardown is the collector walking every object still alive, more than once,
    to free cycles a moment before the process ends (about 0.05 s of every command). Everything
    alive is frozen first (``gc.freeze``), so those walks find nothing to do; the exit handlers
    run as ever, and objects still alive are freed as the interpreter clears its modules, except
    those held only in a cycle, whose finalizers Python never promises to run at exit anyway
    (bench/exit_teardown.py, docs/benchmarks.md). Ending with ``os._exit`` would also skip the
    exit handlers, and no public function runs them first.
    """
    code: str | int | None = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    if sys.argv[1:] not in VERSION_FLAGS:  # --version set no handler, and imports no signal
        _default_stops()
    if not _flushed():
        code = code or 1
    gc.freeze()
    sys.exit(code)


def _default_stops() -> None:
    """The command is over (cli.main made SIGTERM raise KeyboardInterrupt): a stop from here on
    ends the process as the signal does, not with a traceback out of the exit handlers or the
    teardown."""
    import signal

    for stop in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop, signal.SIG_DFL)


def _flushed() -> bool:
    """Flush stdout and stderr; False when the reader went away (``| head``). Then, as the
    signal module's documentation advises, /dev/null takes the stream's place, so that the
    interpreter's own flush at exit does not fail again with a traceback."""
    flushed = True
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            flushed = False
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
    return flushed


if __name__ == "__main__":
    run()
