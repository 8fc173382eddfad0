"""``omni-sync send``: a smoke test that really sends a rendered template through a scenario to
a destination given on the command line, and says which step of the flow delivered it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from omni_sync.cli import Runtime, Stage
from omni_sync.commands.render import Target, destination, session, show_preview, target_options
from omni_sync.errors import ConfigError, OmniSyncError

if TYPE_CHECKING:
    from omni_sync.client.sending import Report
    from omni_sync.messages.body import Destination
    from omni_sync.messages.compose import Composed


class NotDelivered(OmniSyncError):
    """The smoke message reached a final status other than delivered."""


def outcome(composed: Composed, report: Report) -> str:
    """``DELIVERED (DELIVERED_TO_HANDSET) by step 3 of 3: EMAIL from orders@example.com``"""
    from omni_sync.client.sending import delivering_step

    flow = composed.scenario.flow
    found = delivering_step(flow, report.channel)
    where = f"channel {report.channel or 'unknown'}, which is not in the flow"
    if found is not None:
        number, step = found
        where = f"step {number} of {len(flow)}: {step.channel.value} from {step.sender}"
    return f"{report.group} ({report.status}) by {where}"


async def _send(
    runtime: Runtime, target: Target, destination: Destination, timing: tuple[float, float]
) -> None:
    from omni_sync.client.sending import MAYBE_SENT, send_message, wait_for_report
    from omni_sync.errors import ProblemsFound

    message_id = destination.message_id or ""
    # What a stop interrupts (the CLI says it): sending, then waiting, are not the same.
    runtime.stage = Stage("reading the account", "nothing was sent")
    async with session(runtime, target) as (client, composed):
        if composed.limits:
            raise ProblemsFound(composed.limits)
        show_preview(runtime, composed)
        runtime.stage = Stage("sending", f"message {message_id} {MAYBE_SENT}")
        await send_message(client, composed.body([destination]), composed.scenario.name)
        runtime.stage = Stage("waiting for the delivery report", f"message {message_id} was sent")
        runtime.writer.err(f"Sent message {message_id}; waiting for its delivery report...")
        report = await wait_for_report(client, message_id, timeout=timing[0], interval=timing[1])
    result = f"message {message_id}: {outcome(composed, report)}"
    if not report.delivered:
        raise NotDelivered(result)
    runtime.writer.out(f"Delivered {result}.")


@click.command()
@click.argument("template")
@target_options
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=60.0,
    show_default=True,
    help="Seconds to wait for the final delivery report.",
)
@click.option(
    "--poll-interval",
    type=click.FloatRange(min=0.01),
    default=1.0,
    show_default=True,
    help="Seconds between reads of the delivery reports.",
)
@click.pass_obj
def cli(runtime: Runtime, /, template: str, **options: str | float | None) -> None:
    """Send TEMPLATE through a scenario to the given destination and report its delivery.

    Nothing is sent without an explicit --phone, --email or --push-id, nor when the content
    does not fit a channel of the flow.
    """
    import asyncio
    import dataclasses
    import uuid

    text = {name: value for name, value in options.items() if isinstance(value, str)}
    given = destination(text, sending=True)
    to = dataclasses.replace(given, message_id=uuid.uuid4().hex)
    if to.empty:
        raise ConfigError(
            "send needs a destination: give --phone, --email or --push-id; nothing was sent"
        )
    target = Target(template, text.get("scenario"), text.get("env_name"))
    timing = (float(options["timeout"] or 0), float(options["poll_interval"] or 1))
    # Last statement on purpose (see render): nothing in this frame follows asyncio.run.
    asyncio.run(_send(runtime, target, to, timing))
