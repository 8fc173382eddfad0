"""Argument parsing and dispatch only. Each command lives in ``omni_sync/commands/<name>.py``
as a click command named ``cli``, imported only when it runs so ``--help`` and
``--version`` stay fast."""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import click

from omni_sync import __version__
from omni_sync.errors import Cancelled, OmniSyncError, ProblemsFound, one_line
from omni_sync.output import Writer, color_wanted

# name -> (module, one-line help). The help is here so listing commands imports nothing.
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("omni_sync.commands.validate", "Check every file for every environment, offline."),
    "plan": ("omni_sync.commands.plan", "Show what apply would change in each account."),
    "apply": ("omni_sync.commands.apply", "Make each account match the files."),
    "import": ("omni_sync.commands.import_", "Write scenario files from what an account has."),
    "show": ("omni_sync.commands.show", "Print a saved plan without applying it (offline)."),
    "print": ("omni_sync.commands.print_", "Print what each environment's files render to."),
    "keys": ("omni_sync.commands.keys", "Print the scenario keys of an environment by name."),
    "render": ("omni_sync.commands.render", "Render a message template for a scenario."),
    "send": ("omni_sync.commands.send", "Send a template through a scenario (smoke test)."),
    "environments": ("omni_sync.commands.environments", "List the configured environments."),
    "fmt": ("omni_sync.commands.fmt", "Rewrite scenario files in the canonical layout."),
    "schema": ("omni_sync.commands.schema", "Print the JSON Schema of scenario files."),
    "emulator": ("omni_sync.commands.emulator", "Serve the local Infobip OMNI emulator."),
}

# Exit codes. 2 means "changes" (plan --detailed-exitcode) and nothing else, so a pipeline can
# rely on it: a usage error (click's own exit code is 2) and an internal error both exit 1, as
# Terraform's do; each keeps its own message.
USAGE_ERROR_EXIT = 1
INTERNAL_ERROR_EXIT = 1
GC_OLDER_THRESHOLDS = (1000, 100)
"""Young collections between two of the middle generation, and middle between two of the oldest
(Python's defaults are 10 and 10)."""


@dataclass(frozen=True)
class Stage:
    """What a command is doing, and what holds if a stop (Ctrl-C, SIGTERM) ends it there."""

    doing: str
    outcome: str = ""

    def interrupted(self) -> str:
        said = f"interrupted while {self.doing}"
        return f"{said}: {self.outcome}" if self.outcome else said


@dataclass
class Runtime:
    """What every command gets: the project root, the config path and the writer; and the
    stage it is at, which a stop reports."""

    root: Path
    config: Path | None
    writer: Writer = field(default_factory=Writer)
    stage: Stage | None = None

    @property
    def config_path(self) -> Path:
        return self.config if self.config is not None else self.root / "omni-sync.yaml"

    @contextlib.contextmanager
    def during(self, doing: str, outcome: str = "") -> Iterator[None]:
        """While the block runs, a stop ends the command with "interrupted while DOING:
        OUTCOME" (``LazyGroup.invoke`` says it). The stage is left set when the block raises:
        an event loop raises the KeyboardInterrupt outside the coroutine whose stage it was,
        then cancels that coroutine."""
        outer, self.stage = self.stage, Stage(doing, outcome)
        yield
        self.stage = outer


class UsageErrorExit1(click.UsageError):
    """click's usage error, shown exactly as click shows it, exiting ``USAGE_ERROR_EXIT``."""

    exit_code = USAGE_ERROR_EXIT

    def __init__(self, cause: click.UsageError) -> None:
        super().__init__(cause.message, cause.ctx)
        self.cause = cause

    def format_message(self) -> str:
        return self.cause.format_message()

    def show(self, file: IO[Any] | None = None) -> None:
        self.cause.show(file)


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module = importlib.import_module(entry[0])
        command: click.Command = module.cli
        _accept_global_options(command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        """Parsing the global options: a usage error here exits 1 (see ``USAGE_ERROR_EXIT``)."""
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise UsageErrorExit1(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OmniSyncError as exc:
            _report(ctx, exc)
            ctx.exit(exc.exit_code)
        except click.UsageError as exc:  # the command's name, its options and arguments
            raise UsageErrorExit1(exc) from None
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:  # Ctrl-C, or SIGTERM (see main)
            _report(ctx, Cancelled(_interrupted(ctx)))
            ctx.exit(Cancelled.exit_code)
        except Exception as exc:
            writer = _writer(ctx)
            writer.error(
                f"internal error: {type(exc).__name__}: {exc}. "
                "This is a bug in omni-sync; rerun with --debug and report it."
            )
            if writer.debug:
                import traceback  # only here: it costs every start about 15 ms

                writer.err("".join(traceback.format_exception(exc)))
            ctx.exit(INTERNAL_ERROR_EXIT)


_GIVEN_CONFIG = "omni_sync.config"
"""ctx.meta key: -c/--config as given, so a later -C/--chdir resolves it again."""


def _late_chdir(ctx: click.Context, _: click.Parameter, value: Path | None) -> None:
    runtime = ctx.find_object(Runtime)
    if runtime is not None and value is not None:
        runtime.root = value.resolve()
        _resolve_config(ctx, runtime)


def _late_config(ctx: click.Context, _: click.Parameter, value: Path | None) -> None:
    runtime = ctx.find_object(Runtime)
    if runtime is not None and value is not None:
        ctx.meta[_GIVEN_CONFIG] = value
        _resolve_config(ctx, runtime)


def _resolve_config(ctx: click.Context, runtime: Runtime) -> None:
    given = ctx.meta.get(_GIVEN_CONFIG)
    if given is not None:
        runtime.config = given if given.is_absolute() else runtime.root / given


def _late_flag(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    runtime = ctx.find_object(Runtime)
    if runtime is None or not value:
        return
    if param.name == "no_color":
        runtime.writer.color = False
    else:
        runtime.writer.debug = True


_LATE: dict[str, Any] = {"expose_value": False, "allow_from_autoenv": False}
_GLOBAL_OPTIONS: list[click.Parameter] = [
    click.Option(
        ["-C", "--chdir"],
        type=click.Path(file_okay=False, exists=True, path_type=Path),
        **_LATE,
        callback=_late_chdir,
        help="Run as if started in this folder (as before the command).",
    ),
    click.Option(
        ["-c", "--config"],
        type=click.Path(dir_okay=False, path_type=Path),
        **_LATE,
        callback=_late_config,
        help="The environments file (as before the command).",
    ),
    click.Option(
        ["--no-color"],
        is_flag=True,
        **_LATE,
        callback=_late_flag,
        help="No colour (as before the command).",
    ),
    click.Option(
        ["--debug"],
        is_flag=True,
        **_LATE,
        callback=_late_flag,
        help="Log HTTP requests to stderr (as before the command).",
    ),
]


def _accept_global_options(command: click.Command) -> None:
    """The group's options are accepted after the command too (``plan --no-color``), as
    Terraform users type them; a command's own option of the same name wins (schema --config)."""
    taken = {opt for param in command.params for opt in param.opts}
    for option in _GLOBAL_OPTIONS:
        if option not in command.params and not taken & set(option.opts):
            command.params.append(option)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _accept_global_options(sub)


def _writer(ctx: click.Context) -> Writer:
    runtime = ctx.find_object(Runtime)
    return runtime.writer if runtime is not None else Writer()


def _interrupted(ctx: click.Context) -> str:
    runtime = ctx.find_object(Runtime)
    if runtime is not None and runtime.stage is not None:
        return runtime.stage.interrupted()
    return f"interrupted: omni-sync {ctx.invoked_subcommand} did not finish"


def _report(ctx: click.Context, exc: OmniSyncError) -> None:
    writer = _writer(ctx)
    if isinstance(exc, ProblemsFound):
        for problem in exc.problems:
            writer.err(str(problem))
    writer.error(one_line(str(exc)))


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="omni-sync")
@click.option(
    "-C",
    "--chdir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Run as if started in this folder (the repository root).",
)
@click.option(
    "-c",
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The environments file. [default: omni-sync.yaml in the root]",
)
@click.option("--no-color", is_flag=True, help="No colour, even on a terminal (or set NO_COLOR).")
@click.option("--debug", is_flag=True, help="Log HTTP requests (credentials redacted) to stderr.")
@click.pass_context
def cli(ctx: click.Context, chdir: Path, config: Path | None, no_color: bool, debug: bool) -> None:
    """omni-sync: Infobip OMNI failover scenarios as code.

    Keep scenarios in scenarios.d/, see what would change with `omni-sync plan`,
    and make each account match with `omni-sync apply`.
    """
    import sys

    root = chdir.resolve()
    ctx.meta[_GIVEN_CONFIG] = config
    if config is not None and not config.is_absolute():
        config = root / config
    writer = Writer(color=color_wanted(no_color, sys.stdout), debug=debug)
    ctx.obj = Runtime(root=root, config=config, writer=writer)


def main() -> None:
    import gc
    import signal

    # SIGTERM (what CI runners send on cancel, and `timeout`) stops a command as Ctrl-C does:
    # the same KeyboardInterrupt, so clean-up runs (a forked reader is ended) and the command
    # ends with one line saying what it interrupted, exit 1 (LazyGroup.invoke), never silently.
    signal.signal(signal.SIGTERM, signal.default_int_handler)

    # A run builds a few large trees (files, models, listings) that live until it ends. With
    # the default thresholds the older generations walk every one of those objects again and
    # again while they grow: a third of a 10,000-scenario plan. Young objects are still
    # collected as often as usual, so short-lived cycles are freed.
    gc.set_threshold(gc.get_threshold()[0], *GC_OLDER_THRESHOLDS)
    cli(prog_name="omni-sync", auto_envvar_prefix="OMNI_SYNC")
