"""Policy rules in omni-sync.yaml, through the real CLI: each rule broken and kept; validate
reports a break at the scenario's file and line with the environment and the rule; plan refuses
only the environment that breaks one (exit 1), with annotations in --format github."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from omni_sync.cli import cli

SCENARIOS = """\
- name: Order updates
  default: true
  flow:
    - {channel: SMS, from: Shop}
    - {channel: EMAIL, from: orders@example.com}
- name: Alerts
  flow:
    - {channel: VOICE, from: "41793026727"}
    - {channel: SMS, from: ShopAlerts}
    - {channel: EMAIL, from: alerts@example.com}
"""

# Each rule with a value the files above break, and one they keep.
RULES = {
    "must_end_with": ("SMS", "ends with EMAIL", "EMAIL"),
    "allowed_channels": ("[SMS, EMAIL]", "step 1 uses VOICE", "[SMS, EMAIL, VOICE]"),
    "forbidden_channels": ("[VOICE]", "step 1 uses VOICE, which is forbidden", "[VIBER]"),
    "max_steps": ("2", "has 3 steps; the most allowed is 2", "3"),
    "sender_patterns": (
        "{SMS: 'Shop'}",
        "SMS sender 'ShopAlerts' does not match",
        "{SMS: 'Shop.*'}",
    ),
    "required_scenarios": ("[Security codes]", '"Security codes" is required', "[Alerts]"),
}


def _project(root: Path, policy: str, prod_policy: str = "") -> Path:
    (root / "scenarios.d").mkdir(parents=True, exist_ok=True)
    (root / "scenarios.d" / "all.yaml").write_text(SCENARIOS)
    prod = f"\n    policy: {prod_policy}" if prod_policy else ""
    (root / "omni-sync.yaml").write_text(
        f"policy: {policy}\nenvironments:\n  dev: {{}}\n  prod:\n    vars: {{}}{prod}\n"
    )
    return root


def _run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-C", str(root), *args])


@pytest.mark.parametrize("rule", list(RULES))
def test_each_rule_broken_is_reported_at_the_scenario_and_kept_passes(
    rule: str, tmp_path: Path
) -> None:
    broken, expected, kept = RULES[rule]
    root = _project(tmp_path / "broken", f"{{{rule}: {broken}}}")
    result = _run(root, "validate")
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if f"policy {rule}: " in line]
    assert lines, result.output
    assert all(expected in line for line in lines)
    assert not any(line.endswith("]") for line in lines)  # broken in every environment
    if rule == "required_scenarios":
        assert lines[0].startswith("omni-sync.yaml:1:")
    else:
        assert lines[0].startswith("scenarios.d/all.yaml:")
    root = _project(tmp_path / "kept", f"{{{rule}: {kept}}}")
    assert _run(root, "validate").exit_code == 0


def test_a_break_names_the_scenarios_line_and_its_environment(tmp_path: Path) -> None:
    root = _project(tmp_path, "{}", "{forbidden_channels: [VOICE]}")
    assert _run(root, "validate").stdout.splitlines() == [
        'scenarios.d/all.yaml:8:17: policy forbidden_channels: scenario "Alerts" step 1 uses '
        "VOICE, which is forbidden [prod]"
    ]


def test_an_environment_overrides_the_top_level_rule_by_rule(tmp_path: Path) -> None:
    root = _project(tmp_path, "{max_steps: 2, forbidden_channels: [VOICE]}", "{max_steps: 3}")
    out = _run(root, "validate").stdout
    assert "policy max_steps" in _only(out, "[dev]")
    assert "policy max_steps" not in _only(out, "[prod]")  # prod allows 3
    forbidden = [line for line in out.splitlines() if "policy forbidden_channels" in line]
    assert len(forbidden) == 1  # kept from the top level, in both
    assert not forbidden[0].endswith("]")


def _only(out: str, environment: str) -> str:
    return "\n".join(line for line in out.splitlines() if line.endswith(environment))


def test_plan_refuses_only_the_environment_that_breaks_a_rule(tmp_path: Path) -> None:
    root = _project(tmp_path, "{}", "{must_end_with: SMS}")
    result = _run(root, "plan", "--format", "json")
    assert result.exit_code == 1
    environments = {env["name"]: env for env in json.loads(result.stdout)["environments"]}
    assert environments["dev"]["status"] == "changed"
    assert environments["prod"]["status"] == "failed"
    assert environments["prod"]["error"].startswith(
        'environment "prod": not planned, its policy is broken: scenarios.d/all.yaml:'
    )
    assert "policy must_end_with" in result.stderr


def test_github_format_annotates_each_break(tmp_path: Path) -> None:
    root = _project(tmp_path, "{forbidden_channels: [VOICE]}")
    validate = _run(root, "validate", "--format", "github").stdout
    assert "::error file=scenarios.d/all.yaml,line=" in validate
    assert "policy forbidden_channels" in validate
    plan = _run(root, "plan", "-e", "prod", "--format", "github").stdout
    assert "::error file=scenarios.d/all.yaml,line=" in plan


def test_default_may_not_change(tmp_path: Path) -> None:
    root = _project(tmp_path, "{default_may_change: false}")
    assert _run(root, "validate").exit_code == 0  # offline, nothing says the default moves
    first = _run(root, "apply", "-e", "dev", "--auto-approve")  # an account without a default
    assert first.exit_code == 0, first.output  # gets its first one: nothing is switched
    switched = SCENARIOS.replace("  default: true\n", "").replace(
        "- name: Alerts\n", "- name: Alerts\n  default: true\n"
    )
    (root / "scenarios.d" / "all.yaml").write_text(switched)
    refused = _run(root, "plan", "-e", "dev")
    assert refused.exit_code == 1
    assert "policy default_may_change" in refused.stderr
    assert 'makes "Alerts" the default' in refused.stderr
    kept = _project(tmp_path / "kept", "{default_may_change: true}")
    assert _run(kept, "apply", "-e", "dev", "--auto-approve").exit_code == 0
    (kept / "scenarios.d" / "all.yaml").write_text(switched)
    assert _run(kept, "plan", "-e", "dev").exit_code == 0


def test_a_bad_rule_is_located_in_the_config(tmp_path: Path) -> None:
    root = _project(tmp_path, "{max_step: 3, sender_patterns: {SMS: '('}}")
    result = _run(root, "validate")
    assert result.exit_code == 1
    assert "omni-sync.yaml:1:" in result.stdout
    assert "max_step" in result.stdout
    assert "not a regular expression" in result.stdout


def test_the_config_schema_knows_policy() -> None:
    schema = json.loads(CliRunner().invoke(cli, ["schema", "--config"]).stdout)
    assert schema["properties"]["policy"]["$ref"] == "#/$defs/Policy"
    rules = schema["$defs"]["Policy"]["properties"]
    assert set(rules) == {
        "must_end_with",
        "allowed_channels",
        "forbidden_channels",
        "max_steps",
        "sender_patterns",
        "required_scenarios",
        "default_may_change",
    }
    assert schema["$defs"]["Environment"]["properties"]["policy"]["$ref"] == "#/$defs/Policy"


# Each rule's break at the value that breaks it, in SCENARIOS: (rule, value, line:column).
PLACES = [
    ("must_end_with", "SMS", ["5:17", "10:17"]),  # the last step's channel
    ("allowed_channels", "[SMS, EMAIL]", ["8:17"]),  # Alerts' VOICE
    ("sender_patterns", "{SMS: 'Shop'}", ["9:28"]),  # ShopAlerts
    ("max_steps", "2", ["10:7"]),  # Alerts' third step
]


@pytest.mark.parametrize(("rule", "value", "places"), PLACES)
def test_a_break_is_placed_at_the_value_that_breaks_the_rule(
    rule: str, value: str, places: list[str], tmp_path: Path
) -> None:
    root = _project(tmp_path, f"{{{rule}: {value}}}")
    lines = _run(root, "validate").stdout.splitlines()
    assert [line.split(": ")[0] for line in lines] == [f"scenarios.d/all.yaml:{p}" for p in places]


PROD_FIRST_STEPS = """\
name: Order updates
default: true
flow:
{{ "  - {channel: SMS, from: Shop}\\n  - {channel: SMS, from: Shop}" if env.name == "prod" else "" }}
  - {channel: EMAIL, from: orders@example.com}
"""


def test_a_break_is_placed_in_the_file_as_the_environment_renders_it(tmp_path: Path) -> None:
    # prod's two extra first steps move the EMAIL step from line 5 to 6 in its rendering only.
    root = _project(tmp_path, "{}", "{forbidden_channels: [EMAIL]}")
    (root / "scenarios.d" / "all.yaml").unlink()
    (root / "scenarios.d" / "orders.yaml").write_text(PROD_FIRST_STEPS)
    [line] = _run(root, "validate").stdout.splitlines()
    assert line.startswith("scenarios.d/orders.yaml:6:15: policy forbidden_channels: ")
    assert line.endswith("[prod]")


def test_a_refused_environment_says_why_in_text_and_markdown(tmp_path: Path) -> None:
    root = _project(tmp_path, "{}", "{must_end_with: SMS}")
    reason = 'environment "prod": not planned, its policy is broken: scenarios.d/all.yaml:5: '
    for fmt in ("text", "markdown"):
        result = _run(root, "plan", "--format", fmt)
        assert result.exit_code == 1
        assert reason in result.stdout, fmt


def test_files_that_break_the_policy_are_refused_before_the_account_is_asked(
    tmp_path: Path,
) -> None:
    # prod is a real account whose key is not set: the refusal needs neither key nor account.
    root = _project(tmp_path, "{}")
    (root / "omni-sync.yaml").write_text(
        "environments:\n"
        "  prod:\n"
        "    base_url: https://xxxxx.api.infobip.com\n"
        "    auth: {type: app, key_env: INFOBIP_PROD_API_KEY}\n"
        "    policy: {forbidden_channels: [VOICE]}\n"
    )
    result = _run(root, "plan")
    assert result.exit_code == 1
    assert 'environment "prod": not planned, its policy is broken: ' in result.stderr
    assert "INFOBIP_PROD_API_KEY" not in result.output


def test_the_example_repository_keeps_its_policy_and_a_break_is_refused(tmp_path: Path) -> None:
    from tests.messages.test_validate_cli import example

    root = example(tmp_path)
    assert _run(root, "validate").exit_code == 0
    (root / "scenarios.d" / "security-codes.yaml").unlink()
    config = (root / "omni-sync.yaml").read_text().splitlines()
    rule = next(n for n, text in enumerate(config, 1) if text.startswith("  required_scenarios:"))
    assert _run(root, "validate").stdout.startswith(
        f"omni-sync.yaml:{rule}:{config[rule - 1].index('[') + 1}: policy required_scenarios: "
        'scenario "Security codes" is required'
    )
    assert _run(root, "plan", "-e", "dev").exit_code == 1


def test_a_saved_plan_is_not_applied_once_the_files_break_the_policy(tmp_path: Path) -> None:
    root = _project(tmp_path, "{}")
    assert _run(root, "plan", "-e", "dev", "--out", "dev.plan").exit_code == 0
    config = (root / "omni-sync.yaml").read_text()
    (root / "omni-sync.yaml").write_text(config.replace("policy: {}", "policy: {max_steps: 2}"))
    result = _run(root, "apply", "dev.plan")
    assert result.exit_code == 1
    assert 'environment "dev": the saved plan is not applied, its policy is broken: ' in (
        result.stderr
    )
    assert "policy max_steps" in result.stderr
    assert "created" not in result.output
