"""``omni-sync emulator serve``: the local Infobip OMNI emulator on a loopback port.

The work is in ``omni_sync.emulator`` (imported when the command runs)."""

from __future__ import annotations

import ipaddress
import logging
from pathlib import Path
from typing import TYPE_CHECKING

import click

from omni_sync.cli import Runtime
from omni_sync.errors import ConfigError
from omni_sync.output import Writer

if TYPE_CHECKING:
    from omni_sync.emulator.accounts import Credential
    from omni_sync.emulator.faults import FaultSettings
    from omni_sync.emulator.state import EmulatorState
    from omni_sync.emulator.throttle import ThrottleSettings


@click.group()
def cli() -> None:
    """The local Infobip OMNI emulator."""


class _WriterHandler(logging.Handler):
    """Emulator and server log records, one line each, through the CLI's writer."""

    def __init__(self, writer: Writer) -> None:
        super().__init__()
        self.writer = writer

    def emit(self, record: logging.LogRecord) -> None:
        self.writer.err(self.format(record))


def _route_logs(writer: Writer, quiet: bool) -> None:
    handler = _WriterHandler(writer)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    for name, level in (("omni_sync.emulator", logging.INFO), ("uvicorn", logging.WARNING)):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(logging.WARNING if quiet else level)
        logger.propagate = False


def _credentials(
    api_keys: tuple[str, ...],
    basics: tuple[str, ...],
    ibssos: tuple[str, ...],
    bearers: tuple[str, ...],
    accounts_file: Path | None,
) -> list[tuple[Credential, str | None]]:
    from omni_sync.emulator.accounts import Scheme, credential_from_option
    from omni_sync.emulator.accounts_file import read_accounts_file

    found: list[tuple[Credential, str | None]] = []
    for scheme, values in (
        (Scheme.APP, api_keys),
        (Scheme.BASIC, basics),
        (Scheme.IBSSO, ibssos),
        (Scheme.BEARER, bearers),
    ):
        for value in values:
            try:
                found.append((credential_from_option(scheme, value), None))
            except ValueError as exc:
                raise ConfigError(f"--{scheme.value}: {exc}") from None
    if accounts_file is not None:
        found.extend(read_accounts_file(accounts_file))
    if not found:
        raise ConfigError(
            "no account: give --api-key KEY (or --basic, --ibsso, --bearer, --accounts-file)"
        )
    return found


def _reachability(state: EmulatorState, rules: tuple[str, ...]) -> None:
    for rule in rules:
        address, sep, channels = rule.partition("=")
        try:
            if not sep or not address:
                raise ValueError("write ADDRESS=CHANNEL,CHANNEL")
            state.reachability.set(address, [c for c in channels.split(",") if c])
        except ValueError as exc:
            raise ConfigError(f"--reachable {rule}: {exc}") from None


def _faults(values: dict[str, object]) -> FaultSettings:
    from omni_sync.emulator.faults import FaultSettings

    try:
        return FaultSettings().changed(**values)
    except ValueError as exc:
        raise ConfigError(f"fault options: {exc}") from None


def _fault_options(function: click.decorators.FC) -> click.decorators.FC:
    options = [
        click.option("--latency-ms", type=float, default=0.0, help="Delay every answer."),
        click.option("--jitter-ms", type=float, default=0.0, help="Plus up to this much."),
        click.option("--share-500", type=float, default=0.0, help="Share answered 500."),
        click.option("--share-503", type=float, default=0.0, help="Share answered 503."),
        click.option("--burst-429", type=int, default=0, help="Answer the first N with 429."),
        click.option(
            "--drop-share",
            type=float,
            default=0.0,
            help="Share of committed creates/updates whose connection is dropped.",
        ),
        click.option("--omit-create-key", is_flag=True, help="201 answers without the key."),
        click.option("--seed", type=int, default=None, help="Make random faults repeatable."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8090, show_default=True, help="0 picks a free port.")
@click.option(
    "--db",
    default=":memory:",
    show_default=True,
    help="SQLite file that keeps scenarios across restarts, or :memory:.",
)
@click.option(
    "--api-key",
    "api_keys",
    multiple=True,
    metavar="KEY",
    envvar="OMNI_SYNC_EMULATOR_API_KEYS",
    help="An App key account. [env: OMNI_SYNC_EMULATOR_API_KEYS, space-separated]",
)
@click.option(
    "--basic",
    "basics",
    multiple=True,
    metavar="USER:PASS",
    envvar="OMNI_SYNC_EMULATOR_BASIC",
    help="A Basic account. [env: OMNI_SYNC_EMULATOR_BASIC]",
)
@click.option(
    "--ibsso",
    "ibssos",
    multiple=True,
    metavar="TOKEN",
    envvar="OMNI_SYNC_EMULATOR_IBSSO",
    help="An IBSSO account. [env: OMNI_SYNC_EMULATOR_IBSSO]",
)
@click.option(
    "--bearer",
    "bearers",
    multiple=True,
    metavar="TOKEN",
    envvar="OMNI_SYNC_EMULATOR_BEARER",
    help="A Bearer account. [env: OMNI_SYNC_EMULATOR_BEARER]",
)
@click.option(
    "--accounts-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="YAML list of accounts (see the emulator README).",
)
@click.option("--no-throttle", is_flag=True, help="Do not enforce POST 20 / PUT 40 per window.")
@click.option("--throttle-window", type=float, default=600.0, show_default=True, help="Seconds.")
@click.option(
    "--reachable",
    multiple=True,
    metavar="ADDRESS=CH,CH",
    help="This address is reachable on these channels only (failover skips the others).",
)
@click.option(
    "--admin-token",
    envvar="OMNI_SYNC_EMULATOR_ADMIN_TOKEN",
    default=None,
    help="Enables /_emulator/... for callers sending it as X-Emulator-Admin.",
)
@click.option("--quiet", is_flag=True, help="No line per request.")
@_fault_options
@click.pass_obj
def serve(
    runtime: Runtime,
    /,
    *,
    host: str,
    port: int,
    db: str,
    api_keys: tuple[str, ...],
    basics: tuple[str, ...],
    ibssos: tuple[str, ...],
    bearers: tuple[str, ...],
    accounts_file: Path | None,
    no_throttle: bool,
    throttle_window: float,
    reachable: tuple[str, ...],
    admin_token: str | None,
    quiet: bool,
    **faults: object,
) -> None:
    """Serve the emulator until Ctrl-C; one log line per request, credentials redacted."""
    from omni_sync import secrets
    from omni_sync.emulator.app import create_app
    from omni_sync.emulator.server import bind, serve_forever
    from omni_sync.emulator.state import EmulatorState
    from omni_sync.emulator.throttle import ThrottleSettings as Throttling

    credentials = _credentials(api_keys, basics, ibssos, bearers, accounts_file)
    if throttle_window <= 0:
        raise ConfigError("--throttle-window must be more than 0 seconds")
    throttle = Throttling(enabled=not no_throttle, window_seconds=throttle_window)
    state = EmulatorState.open(
        db, throttle=throttle, faults=_faults(faults), admin_token=admin_token or None
    )
    for credential, account in credentials:
        secrets.register(credential.secret)
        state.accounts.add(credential, account)
    if admin_token:
        secrets.register(admin_token)
    _reachability(state, reachable)
    try:
        sock = bind(host, port)
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}; try --port") from None
    port = sock.getsockname()[1]
    accounts = len(credentials)
    _announce(runtime.writer, host=host, port=port, db=db, accounts=accounts, throttle=throttle)
    _route_logs(runtime.writer, quiet)
    try:
        serve_forever(create_app(state), sock)
    finally:
        sock.close()
        state.close()
    runtime.writer.err("OMNI emulator stopped.")


def _announce(
    writer: Writer, *, host: str, port: int, db: str, accounts: int, throttle: ThrottleSettings
) -> None:
    shown = f"[{host}]" if ":" in host else host
    writer.err(
        f"OMNI emulator on http://{shown}:{port} ({accounts} account"
        f"{'s' if accounts != 1 else ''}, db {db}, throttling "
        f"{'on' if throttle.enabled else 'off'}); Ctrl-C stops it."
    )
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        writer.warn(f"{host} is not a loopback address: other machines can reach the emulator.")
