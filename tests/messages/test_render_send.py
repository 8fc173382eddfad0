"""``render`` and ``send`` against the emulator served on loopback, through the real CLI."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner, Result

from omni_sync.cli import cli
from omni_sync.emulator.harness import EmulatorAccount, EmulatorHarness
from tests.conftest import run_cli_subprocess

PHONE = "41793026727"
MAIL = "ana@example.com"
KEY_ENV = "OMNI_TEST_STAGING_KEY"

TEMPLATE = """
    scenarios: [Order updates]
    sample: {customer: Ana, order_id: A-1042}
    sms:
      text: "Hi {{ customer }}, order {{ order_id }} has shipped."
    viber:
      text: "Your order {{ order_id }} is on its way 🚚"
      button_text: Track
      button_url: "https://{{ vars.mail_domain }}/t/{{ order_id }}"
    email:
      subject: "Order {{ order_id }} shipped"
      text: "Hello {{ customer }}, order {{ order_id }} left today."
    """


def write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


@pytest.fixture
def account(emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch) -> EmulatorAccount:
    account = emulator.add_account()
    monkeypatch.setenv(KEY_ENV, account.secret)
    return account


@pytest.fixture
def project(repo: Path, emulator: EmulatorHarness, account: EmulatorAccount) -> Path:
    """A repository whose staging environment is an emulator account holding the scenario."""
    write(
        repo,
        "omni-sync.yaml",
        f"""
        environments:
          staging:
            base_url: {emulator.base_url}
            auth: {{type: app, key_env: {KEY_ENV}}}
            vars: {{mail_domain: staging.example.com}}
        """,
    )
    write(repo, "templates/order-shipped.yaml", TEMPLATE)
    flow = [
        {"channel": "SMS", "from": "ShopTest"},
        {"channel": "VIBER", "from": "3045"},
        {"channel": "EMAIL", "from": "orders@staging.example.com"},
    ]
    scenario = {"name": "Order updates", "flow": flow, "default": True}
    with httpx.Client(base_url=emulator.base_url, headers=account.headers) as client:
        client.post("/omni/1/scenarios", json=scenario).raise_for_status()
    return repo


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-C", str(root), *args])


def scenario_key(emulator: EmulatorHarness, account: EmulatorAccount) -> str:
    [scenario] = emulator.scenarios(account)
    return scenario.key


def test_render_prints_the_exact_body_with_the_accounts_key(
    project: Path, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    result = run(project, "render", "order-shipped", "--phone", PHONE)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "scenarioKey": scenario_key(emulator, account),
        "destinations": [{"to": {"phoneNumber": PHONE}}],
        "sms": {"text": "Hi Ana, order A-1042 has shipped."},
        "viber": {
            "text": "Your order A-1042 is on its way 🚚",
            "buttonText": "Track",
            "buttonURL": "https://staging.example.com/t/A-1042",
        },
        "email": {"subject": "Order A-1042 shipped", "text": "Hello Ana, order A-1042 left today."},
    }
    preview = result.stderr.splitlines()
    assert preview[0].startswith('templates/order-shipped.yaml through "Order updates" (')
    assert preview[1:4] == [
        "1. SMS from ShopTest",
        "   text (33 GSM-7 characters: 1 part, sms.text):",
        "      Hi Ana, order A-1042 has shipped.",
    ]
    assert "   text (33 of 1,000 characters, viber.text):" in preview
    assert "3. EMAIL from orders@staging.example.com" in preview


def test_render_without_destination_uses_placeholders_and_warns_about_limits(
    project: Path,
) -> None:
    long = TEMPLATE.replace("has shipped.", "has shipped." + " Thanks!" * 20)
    write(project, "templates/order-shipped.yaml", long)
    result = run(project, "render", "templates/order-shipped.yaml", "--env", "staging")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["destinations"] == [
        {"to": {"phoneNumber": "<phone number>", "emailAddress": "<email address>"}}
    ]
    assert (
        "Warning: templates/order-shipped.yaml:4:9: SMS text is 193 GSM-7 characters: 2 parts,"
        " the template allows 1 [staging]"
    ) in result.stderr


def test_render_refuses_a_scenario_the_account_does_not_have(project: Path) -> None:
    write(project, "templates/other.yaml", "scenarios: [Returns]\nfallback: Hi\n")
    result = run(project, "render", "other")
    assert result.exit_code == 1
    assert result.stderr == (
        'Error: scenario "Returns" is not in environment "staging" yet; '
        "run omni-sync apply --env staging first\n"
    )


def test_render_reports_template_problems_located(project: Path) -> None:
    write(project, "templates/order-shipped.yaml", TEMPLATE.replace("{{ customer }}", "{{ who }}"))
    result = run(project, "render", "order-shipped")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "templates/order-shipped.yaml:4:9: sms.text: undefined variable who;"
        " add it to the template's sample data (or sample_file) [staging]",
        "templates/order-shipped.yaml:11:9: email.text: undefined variable who;"
        " add it to the template's sample data (or sample_file) [staging]",
        "Error: 2 problems found",
    ]


def test_send_refuses_without_a_destination(project: Path, emulator: EmulatorHarness) -> None:
    result = run(project, "send", "order-shipped")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: send needs a destination: give --phone, --email or --push-id; nothing was sent\n"
    )


def test_send_through_sms_viber_email_to_an_address_only_email_reaches(
    project: Path, emulator: EmulatorHarness
) -> None:
    emulator.set_reachable(PHONE)  # reachable on no channel: SMS and Viber fail over
    emulator.set_reachable(MAIL, "EMAIL")
    result = run(
        project, "send", "order-shipped", "--phone", PHONE, "--email", MAIL,
        "--poll-interval", "0.05", "--timeout", "5",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [line] = result.stdout.splitlines()
    assert line.startswith("Delivered message ")
    assert line.endswith(
        ": DELIVERED (DELIVERED_TO_HANDSET) by step 3 of 3: EMAIL from orders@staging.example.com."
    )
    assert "waiting for its delivery report" in result.stderr


def test_send_reports_an_undeliverable_message_as_a_failure(
    project: Path, emulator: EmulatorHarness
) -> None:
    emulator.set_reachable(PHONE)
    result = run(project, "send", "order-shipped", "--phone", PHONE, "--poll-interval", "0.05")
    assert result.exit_code == 1
    [error] = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert error.endswith("by step 2 of 3: VIBER from 3045")
    assert "UNDELIVERABLE (" in error


def test_send_refuses_content_over_a_limit_before_sending(
    project: Path, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    write(project, "templates/order-shipped.yaml", TEMPLATE.replace("Track", "T" * 31))
    result = run(project, "send", "order-shipped", "--email", MAIL)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "templates/order-shipped.yaml:7:16: Viber button text is 31 characters, the limit is 30"
        " [staging]",
        "Error: 1 problem found",
    ]


def test_render_through_the_real_entry_point_keeps_the_key_out_of_the_output(
    project: Path, account: EmulatorAccount
) -> None:
    result = run_cli_subprocess(
        ["--debug", "render", "order-shipped", "--email", MAIL],
        cwd=project,
        env={KEY_ENV: account.secret},
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["destinations"] == [{"to": {"emailAddress": MAIL}}]
    assert "staging: GET http://127.0.0.1:" in result.stderr  # --debug logs the account call
    assert "(Authorization: App ***)" in result.stderr
    assert account.secret not in result.stdout + result.stderr
