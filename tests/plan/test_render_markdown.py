from __future__ import annotations

import re
from pathlib import Path

import pytest

from omni_sync.model.scenario import Channel, Step
from omni_sync.plan.changes import Action
from omni_sync.plan.environment_plan import EnvironmentPlan, exit_code, summary_line
from omni_sync.plan.fields import created_steps, flow_diff
from omni_sync.plan.outcome import ScenarioChange, field_lines
from omni_sync.plan.render_markdown import (
    GITHUB_COMMENT_LIMIT,
    fenced,
    github_annotations,
    inline,
    render_markdown,
)
from tests.snapshots import assert_snapshot


def _flow(*steps: tuple[Channel, str]) -> tuple[Step, ...]:
    return tuple(Step(channel=channel, sender=sender) for channel, sender in steps)


ORDERS_OLD = _flow((Channel.SMS, "Shop"), (Channel.VIBER, "3045"))
ORDERS_NEW = _flow(
    (Channel.SMS, "Shop"), (Channel.VIBER, "3046"), (Channel.EMAIL, "orders@example.com")
)


def _create(name: str, steps: int = 2) -> ScenarioChange:
    channels = [Channel.SMS, Channel.VIBER, Channel.EMAIL, Channel.VOICE]
    flow = _flow(*((channels[i % 4], f"sender{i}") for i in range(steps)))
    return ScenarioChange(
        Action.CREATE, name, None, (), field_lines(name, False), created_steps(flow)
    )


def _mixed() -> list[EnvironmentPlan]:
    update = ScenarioChange(
        Action.UPDATE,
        "Order updates",
        "AD9E01A5DC7BEE2C2B828D208182A611",
        field_lines("Order updates", True),
        field_lines("Order updates", False),
        flow_diff(ORDERS_OLD, ORDERS_NEW),
    )
    return [
        EnvironmentPlan(
            "prod",
            (update, _create("Promo | *spring* <b>")),
            unmanaged=("Legacy portal scenario",),
        ),
        EnvironmentPlan("staging"),
        EnvironmentPlan("dev", error='environment "dev": 401 UNAUTHORIZED: Invalid login'),
    ]


def test_snapshot_many_environments_changed_unchanged_and_failed() -> None:
    assert_snapshot("markdown_mixed.md", render_markdown(_mixed()))


def test_snapshot_nothing_to_do() -> None:
    outcomes = [EnvironmentPlan("local")]
    assert_snapshot("markdown_no_changes.md", render_markdown(outcomes))


def test_snapshot_a_long_flow_is_folded_in_details() -> None:
    outcomes = [EnvironmentPlan("prod", (_create("Everything", steps=14),))]
    assert_snapshot("markdown_folded.md", render_markdown(outcomes))


def test_verdict_comes_first_then_the_summary_line() -> None:
    text = render_markdown(_mixed())
    lines = text.splitlines()
    assert lines[0].startswith("❌ **omni-sync plan failed** for 1 of 3")
    assert lines[2] == "**3 environments: 1 with changes, 1 without, 1 failed**"


def test_two_thousand_scenario_change_fits_a_comment_with_its_summary_intact() -> None:
    outcomes = [
        EnvironmentPlan(
            f"env-{e:02d}", tuple(_create(f"Scenario {e}-{i:04d}", 3) for i in range(100))
        )
        for e in range(20)
    ]
    text = render_markdown(outcomes)
    assert len(text) <= GITHUB_COMMENT_LIMIT
    assert text.startswith("📝 **omni-sync plan: changes to apply.**")
    assert "**20 environments: 20 with changes, 0 without, 0 failed**" in text
    for e in range(20):
        assert f"| <code>env-{e:02d}</code> | 📝 100 to add, 0 to change |" in text
    note = re.search(r"the details of (\d+) of 2000 changes are not shown \((\d+) not even", text)
    assert note is not None
    shown_in_full = text.count("```diff") // 1
    assert int(note.group(1)) == 2000 - shown_in_full
    assert text.index("Truncated to fit 65,536 characters") < text.index("### ")


def test_truncation_keeps_names_before_dropping_them() -> None:
    outcomes = [EnvironmentPlan("prod", tuple(_create(f"S{i}") for i in range(50)))]
    full = render_markdown(outcomes, limit=10**6, diagrams=False)
    assert "Truncated" not in full
    small = render_markdown(outcomes, limit=len(full) // 2, diagrams=False)
    assert len(small) <= len(full) // 2
    assert "<b>+ create</b> <code>S49</code>" in small  # kept as a line, without its diff
    assert small.count("```diff") < 50


def test_the_summary_is_never_cut_even_when_nothing_else_fits() -> None:
    outcomes = [EnvironmentPlan("prod", tuple(_create(f"S{i}") for i in range(10)))]
    text = render_markdown(outcomes, limit=600)
    assert "**1 environment: 1 with changes, 0 without, 0 failed**" in text
    assert "(10 not even by name)" in text


def test_names_are_literal_in_markdown() -> None:
    assert inline("a|b*c_<x>&`(.)") == "a\\|b\\*c\\_&lt;x&gt;&amp;\\`(.)"
    assert inline("two\nlines") == "two lines"


def test_fence_outgrows_backticks_in_the_content() -> None:
    block = fenced(["+ name: ```evil```"], "diff")
    assert block.startswith("````diff\n")
    assert block.endswith("\n````")


@pytest.mark.parametrize(
    ("statuses", "detailed", "expected"),
    [
        (("changed", "unchanged", "failed"), True, 1),
        (("changed", "unchanged"), True, 2),
        (("changed", "unchanged"), False, 0),
        (("unchanged",), True, 0),
        ((), True, 0),
    ],
)
def test_one_exit_code_rule_for_many(
    statuses: tuple[str, ...], detailed: bool, expected: int
) -> None:
    outcomes = [
        EnvironmentPlan(
            f"e{i}",
            (_create("x"),) if status == "changed" else (),
            error="boom" if status == "failed" else None,
        )
        for i, status in enumerate(statuses)
    ]
    assert exit_code(outcomes, detailed=detailed) == expected


def test_summary_line_counts_each_status() -> None:
    assert summary_line(_mixed()) == "3 environments: 1 with changes, 1 without, 1 failed"
    assert (
        summary_line([EnvironmentPlan("a")]) == "1 environment: 0 with changes, 1 without, 0 failed"
    )


def test_annotations_escape_workflow_command_syntax() -> None:
    outcomes = [
        EnvironmentPlan("eu:1,b", error="100% broken\nsecond line"),
        EnvironmentPlan("ok", warnings=("3 unmanaged scenarios",)),
    ]
    assert github_annotations(outcomes) == [
        "::error title=omni-sync plan (eu%3A1%2Cb)::100%25 broken%0Asecond line",
        "::warning title=omni-sync plan (ok)::3 unmanaged scenarios",
    ]


def test_snapshot_from_a_real_plan_with_a_default_switch_and_a_rename() -> None:
    from omni_sync.plan.diff import make_plan
    from omni_sync.plan.environment_plan import from_plan
    from tests.plan.factories import desired, flow, remote, spec

    plan = make_plan(
        desired(
            spec("Order updates", flow(Channel.SMS, Channel.EMAIL), default=True),
            spec("Alerts v2", flow(Channel.VOICE), renamed_from=("Alerts",)),
            spec("Promo", flow(Channel.VIBER, Channel.SMS)),
        ),
        [
            remote("A" * 32, "Order updates", flow(Channel.SMS)),
            remote("B" * 32, "Old default", flow(Channel.SMS), default=True),
            remote("C" * 32, "Alerts", flow(Channel.VOICE)),
        ],
    )
    outcome = from_plan(plan)
    assert outcome.notes == (
        f'"Old default" ({"B" * 32}) stops being the default when "Order updates" is promoted: '
        "the service clears its flag.",
    )
    assert outcome.unmanaged == ("Old default",)
    assert [c.action for c in outcome.changes] == [c.action.value for c in plan.changes]
    assert_snapshot("markdown_from_plan.md", render_markdown([outcome]))


def test_one_huge_plan_leaves_room_for_every_other_environment() -> None:
    huge = EnvironmentPlan("a-huge", tuple(_create(f"Bulk {i:05d}", 4) for i in range(3000)))
    small = EnvironmentPlan("b-small", (_create("Promo"), _create("Alerts")))
    failed = EnvironmentPlan("c-failed", error='environment "c-failed": 401 UNAUTHORIZED')
    text = render_markdown([huge, small, failed, EnvironmentPlan("d-same")])
    assert len(text) <= GITHUB_COMMENT_LIMIT
    for heading in ("### 📝 a-huge", "### 📝 b-small", "### ❌ c-failed", "### ✅ d-same"):
        assert heading in text
    assert "401 UNAUTHORIZED" in text
    small_part = text[text.index("### 📝 b-small") : text.index("### ❌ c-failed")]
    assert small_part.count("```diff") == 2  # the small plan is shown in full
    assert text.count("<b>+ create</b> <code>Bulk ") > 500  # the huge one keeps what fits
    assert "the details of 3000 of 3002 changes are not shown" in text


def test_a_smaller_limit_shares_the_room_between_environments() -> None:
    outcomes = [
        EnvironmentPlan(name, tuple(_create(f"{name} {i:03d}") for i in range(200)))
        for name in ("one", "two")
    ]
    text = render_markdown(outcomes, limit=8000)
    assert len(text) <= 8000
    first, second = text.split("### 📝 two")
    assert first.count("<b>+ create</b>") > 20
    assert second.count("<b>+ create</b>") > 20


def test_plan_markdown_limit_through_the_cli(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from omni_sync.cli import cli

    (tmp_path / "scenarios.d").mkdir()
    (tmp_path / "scenarios.d" / "all.yaml").write_text(
        "- {name: Main, default: true, flow: [{channel: SMS, from: Shop}]}\n"
        + "".join(
            f"- {{name: Scenario {i:03d}, flow: [{{channel: SMS, from: Shop}}]}}\n"
            for i in range(60)
        )
    )
    args = ["-C", str(tmp_path), "plan", "--format", "markdown"]
    full = CliRunner().invoke(cli, args)
    short = CliRunner().invoke(cli, [*args, "--markdown-limit", "3000"])
    assert (full.exit_code, short.exit_code) == (0, 0), short.output
    assert len(full.stdout) > 3000 >= len(short.stdout)
    assert "### 📝 local" in short.stdout
    assert "Truncated to fit 3,000 characters" in short.stdout
