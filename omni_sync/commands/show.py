"""``omni-sync show PLANFILE``: a saved plan, read and printed without applying it.

Offline: it reads only the file (no account, no credential), as Terraform's ``show PLANFILE``.
"""

from __future__ import annotations

from pathlib import Path

import click

from omni_sync.cli import Runtime
from omni_sync.commands.plan import diagrams_option

FORMATS = ("text", "json", "markdown")


@click.command()
@click.argument("plan_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@diagrams_option
@click.pass_obj
def cli(runtime: Runtime, plan_file: Path, *, fmt: str, diagrams: bool) -> None:
    """Print a plan saved with plan --out, without applying it (offline)."""
    with runtime.during("showing the plan"):
        _show(runtime, plan_file, fmt, diagrams)


def _show(runtime: Runtime, plan_file: Path, fmt: str, diagrams: bool) -> None:
    from omni_sync.plan.environment_plan import summary_line
    from omni_sync.plan.saved import read_saved

    writer = runtime.writer
    path = plan_file if plan_file.is_absolute() else runtime.root / plan_file
    saved = read_saved(path, str(plan_file))
    plans = [item.planned for item in saved]
    if fmt == "json":
        from omni_sync.plan.render_json import render_json

        writer.out(render_json(saved), nl=False)
        return
    if fmt == "markdown":
        from omni_sync.plan.render_markdown import render_markdown

        writer.out(render_markdown(saved, diagrams=diagrams), nl=False)
        return
    from omni_sync.plan.render_text import render_plan

    for plan in plans:
        if len(plans) > 1:
            writer.out(writer.style(f'── environment "{plan.environment}" ──', bold=True))
        writer.out(render_plan(plan, color=writer.color))
    if len(plans) > 1:
        writer.out(summary_line(saved))
    writer.err(f"Apply exactly this plan with `omni-sync apply {plan_file}`.")
