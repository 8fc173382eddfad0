"""``omni-sync fmt [--check] [PATHS]``: scenario files in one canonical layout (``terraform fmt``).

The layout is described in ``omni_sync/formatting/layout.py`` and the README. A file whose Jinja
shapes its YAML is left as it is and named.
"""

from __future__ import annotations

from pathlib import Path

import click

from omni_sync.cli import Runtime


def _plural(count: int) -> str:
    return f"{count} file{'s' if count != 1 else ''}"


def _left(count: int) -> str:
    return f", {_plural(count)} left as {'they are' if count != 1 else 'it is'}" if count else ""


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--check",
    is_flag=True,
    help="Change nothing: list the files that would change and exit 1 if there is any.",
)
@click.pass_obj
def cli(runtime: Runtime, paths: tuple[Path, ...], check: bool) -> None:
    """Rewrite scenario files in the canonical layout (all of scenarios.d/ by default).

    Key order name, default, environments, renamed_from, key, flow; steps channel, from;
    comments and Jinja placeholders kept.
    """
    from omni_sync.formatting.files import format_file, targets, write

    writer = runtime.writer
    outcomes = [format_file(runtime.root, path) for path in targets(runtime.root, paths)]
    for outcome in outcomes:
        if outcome.reason is not None:
            writer.warn(f"{outcome.name}: left as it is: {outcome.reason}")
    changed = [outcome for outcome in outcomes if outcome.changes]
    for outcome in changed:
        if not check:
            write(outcome)
        writer.out(outcome.name)
    left = sum(1 for outcome in outcomes if outcome.reason is not None)
    kept = _left(left)
    if check and changed:
        writer.error(
            f"{_plural(len(changed))} not in the canonical layout{kept}; run omni-sync fmt"
        )
        click.get_current_context().exit(1)
    done = "would be reformatted" if check else "reformatted"
    writer.err(
        f"{_plural(len(changed))} {done}, {_plural(len(outcomes) - len(changed) - left)} "
        f"already formatted{kept}."
    )
