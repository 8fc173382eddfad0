"""Failover diagrams in the Markdown plan: drawn by the real Mermaid in a real browser, labels that
a pull request controls kept literal, Mermaid's limits and the comment's respected."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from omni_sync.cli import cli
from omni_sync.model.scenario import Channel, Step
from omni_sync.plan.diagrams import MAX_EDGES, flow_diagram, quoted
from omni_sync.plan.environment_plan import EnvironmentPlan
from omni_sync.plan.fields import created_steps
from omni_sync.plan.outcome import ScenarioChange, field_lines
from omni_sync.plan.render_markdown import render_markdown
from tests.mermaid_browser import mermaid_blocks, render_in_browser

CONFIG = """\
environments:
  dev:
    vars: {sms_sender: ShopDev}
  prod:
    vars: {sms_sender: Shop}
"""
BEFORE = """\
- name: Order updates
  default: true
  flow:
    - {channel: SMS, from: "{{ vars.sms_sender }}"}
    - {channel: VIBER, from: "3045"}
- name: Alerts
  flow:
    - {channel: VOICE, from: "41793026727"}
    - {channel: SMS, from: "{{ vars.sms_sender }}"}
- name: Unchanged
  flow:
    - {channel: SMS, from: "{{ vars.sms_sender }}"}
"""
HOSTILE_NAME = 'Promo "x"] #1 *b* <b>&amp; `%%{init}%%` | --> end'
HOSTILE_SENDER = 'a"]; click a href "javascript:alert(1)" %% ```'
AFTER = f"""\
- name: Order updates
  flow:
    - {{channel: SMS, from: "{{{{ vars.sms_sender }}}}"}}
    - {{channel: VIBER, from: "3046"}}
    - {{channel: EMAIL, from: orders@example.com}}
- name: Alerts
  default: true
  flow:
    - {{channel: SMS, from: "{{{{ vars.sms_sender }}}}"}}
- name: Unchanged
  flow:
    - {{channel: SMS, from: "{{{{ vars.sms_sender }}}}"}}
- name: '{HOSTILE_NAME}'
  flow:
    - {{channel: VIBER, from: '{HOSTILE_SENDER}'}}
    - {{channel: SMS, from: "{{{{ vars.sms_sender }}}}"}}
"""


def _invoke(root: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["-C", str(root), *args])
    assert result.exit_code in (0, 2), result.output
    return result.stdout


@pytest.fixture
def changed(tmp_path: Path) -> Path:
    """Two embedded environments: applied with BEFORE, the files now AFTER."""
    (tmp_path / "omni-sync.yaml").write_text(CONFIG)
    (tmp_path / "scenarios.d").mkdir()
    scenarios = tmp_path / "scenarios.d" / "all.yaml"
    scenarios.write_text(BEFORE)
    _invoke(tmp_path, "apply", "--auto-approve")
    scenarios.write_text(AFTER)
    return tmp_path


def test_every_diagram_of_a_two_environment_plan_renders_in_a_browser(changed: Path) -> None:
    markdown = _invoke(changed, "plan", "--format", "markdown")
    blocks = mermaid_blocks(markdown)
    assert len(blocks) == 6  # 2 updates and 1 create per environment; Unchanged has none
    results = render_in_browser(blocks)
    assert [result["error"] for result in results] == [None] * 6
    assert all(result["ok"] for result in results)
    promo, alerts, orders = results[3:]  # prod's, in plan order: creates, the default, updates
    assert promo["labels"] == [HOSTILE_NAME, f"1. VIBER from {HOSTILE_SENDER}", "2. SMS from Shop"]
    assert sorted(alerts["labels"]) == sorted(  # type: ignore[call-overload]
        [
            "Alerts",
            "1. VOICE from 41793026727",
            "2. SMS from Shop",
            "Alerts (default)",
            "1. SMS from Shop",
        ]
    )
    assert "Order updates (default)" in orders["labels"]
    assert "2. VIBER from 3046 (was 3045)" in orders["labels"]


def test_changed_steps_and_the_default_are_marked(changed: Path) -> None:
    markdown = _invoke(changed, "plan", "-e", "prod", "--format", "markdown")
    orders = markdown[markdown.index("Order updates</code>") :]
    orders = orders[: orders.index("```diff")]
    assert "class b0 isdefault" in orders
    assert "class a0 scenario" in orders
    assert "class a2 changed" in orders
    assert "class a3 added" in orders
    alerts = markdown[markdown.index("Alerts</code>") :]
    alerts = alerts[: alerts.index("```diff")]
    assert "class b1 removed" in alerts
    assert "class b2 " not in alerts
    assert "class a0 isdefault" in alerts


def test_no_diagrams_leaves_them_out_of_plan_and_show(changed: Path) -> None:
    assert "```mermaid" in _invoke(changed, "plan", "--format", "markdown")
    plain = _invoke(changed, "plan", "--format", "markdown", "--no-diagrams", "--out", "p.json")
    assert "```mermaid" not in plain
    assert "```diff" in plain
    assert "```mermaid" in _invoke(changed, "show", "p.json", "--format", "markdown")
    assert "```mermaid" not in _invoke(
        changed, "show", "p.json", "--format", "markdown", "--no-diagrams"
    )


def test_labels_cannot_end_the_label_the_statement_or_the_fence() -> None:
    text = quoted('a"]\n#x;`%% <b>&')
    assert text == '"a#quot;#93;#10;#35;x#59;#96;#37;#37; #lt;b#gt;#amp;"'


def _create(name: str, steps: int) -> ScenarioChange:
    flow = tuple(Step(channel=Channel.SMS, sender=f"S{i}") for i in range(steps))
    return ScenarioChange("create", name, None, (), field_lines(name, False), created_steps(flow))


def test_a_flow_past_mermaids_edge_limit_keeps_its_diff_and_no_diagram() -> None:
    assert flow_diagram(_create("Long", MAX_EDGES)) is not None
    too_long = _create("Longer", MAX_EDGES + 1)
    assert flow_diagram(too_long) is None
    markdown = render_markdown([EnvironmentPlan("prod", (too_long,))])
    assert "```mermaid" not in markdown
    assert "```diff" in markdown


def test_diagrams_go_before_diffs_when_room_runs_short() -> None:
    outcome = EnvironmentPlan("prod", tuple(_create(f"Scenario {i:02d}", 3) for i in range(40)))
    full = render_markdown([outcome])
    assert full.count("```mermaid") == 40
    limit = len(render_markdown([outcome], diagrams=False)) + 2000
    short = render_markdown([outcome], limit=limit)
    assert len(short) <= limit
    assert short.count("```diff") == 40  # every diff kept
    assert 0 < short.count("```mermaid") < 40
    assert "flow diagrams are left out to fit" in short
    assert short.startswith(full[: full.index("### ")].split("\n\n> [!")[0])
