"""docs/policy.md's Rego example, evaluated by a real Rego interpreter (regopy, the Python
binding of rego-cpp) over a real ``plan --format json``: the rules read the shape the plan
writes, and deny what they say they deny."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner
from regopy import Input, Interpreter

from omni_sync.cli import cli
from tests.conftest import REPO_ROOT
from tests.load.helpers import write

LONG_SMS = "Your parcel is on its way and will arrive soon. " * 8  # 384 GSM-7 characters


def documented_rego() -> str:
    text = (REPO_ROOT / "docs" / "policy.md").read_text(encoding="utf-8")
    [module] = re.findall(r"```rego\n(.*?)```", text, flags=re.DOTALL)
    return module


def denied(root: Path) -> list[str]:
    result = CliRunner().invoke(cli, ["-C", str(root), "plan", "--format", "json"])
    assert result.exit_code == 0, result.output
    interpreter = Interpreter()
    interpreter.add_module("omni_sync", documented_rego())
    interpreter.set_input(Input(json.loads(result.stdout)))
    output = json.loads(str(interpreter.query("deny = data.main.deny")))
    return sorted(output["bindings"]["deny"])


def alerts(repo: Path, first: str, second: str, sms: str) -> Path:
    """prod (embedded): a new default scenario Alerts, flowing first to second, and a template
    sending ``sms`` through it."""
    write(repo, "omni-sync.yaml", "environments:\n  prod:\n")
    senders = {"VOICE": "'41793026727'", "SMS": "Shop"}
    flow = ", ".join(f"{{channel: {c}, from: {senders[c]}}}" for c in (first, second))
    write(repo, "scenarios.d/alerts.yaml", f"name: Alerts\ndefault: true\nflow: [{flow}]\n")
    write(repo, "templates/parcel.yaml", f"scenarios: [Alerts]\nsms:\n  text: '{sms}'\n")
    return repo


def test_the_documented_rules_deny_a_voice_first_flow_and_a_long_sms(repo: Path) -> None:
    alerts(repo, "VOICE", "SMS", LONG_SMS)
    assert denied(repo) == [
        'prod: new scenario "Alerts" does not start with SMS',
        'templates/parcel.yaml through "Alerts": SMS of 3 parts',
    ]


def test_the_documented_rules_deny_nothing_in_a_plan_that_keeps_them(repo: Path) -> None:
    alerts(repo, "SMS", "VOICE", "Your parcel is near.")
    assert denied(repo) == []
