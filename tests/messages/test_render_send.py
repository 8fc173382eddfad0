"""``render`` and ``send`` against the emulator served on loopback, through the real CLI: a
destination that is not one is refused before anything is sent, and a scenario missing from an
environment is explained truly."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner, Result

from omni_sync.cli import cli
from omni_sync.emulator.harness import EmulatorAccount, EmulatorHarness
from omni_sync.emulator.message_store import LogFilter
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
    # No file describes "Returns": apply would not create it, so saying "run apply" is untrue.
    assert result.stderr == (
        'Error: scenario "Returns" (named in templates/other.yaml) is in no scenario file and '
        'not in environment "staging"; describe it in scenarios.d/ and apply it, or correct '
        "the template's scenarios\n"
    )


def test_render_of_a_described_scenario_not_applied_yet_says_apply(project: Path) -> None:
    write(project, "templates/other.yaml", "scenarios: [Returns]\nfallback: Hi\n")
    write(
        project,
        "scenarios.d/returns.yaml",
        "name: Returns\ndefault: true\nflow:\n  - channel: SMS\n    from: Shop\n",
    )
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


def _stored(emulator: EmulatorHarness, account: EmulatorAccount) -> int:
    return len(emulator.state.messages.logs(account.account_id, LogFilter()))


@pytest.mark.parametrize(
    ("option", "value", "error"),
    [
        ("--phone", "abc", "Error: --phone 'abc' is not a phone number (digits only, optionally"),
        ("--phone", "12", "Error: --phone '12' is not a phone number"),
        ("--phone", "+1234567890123456", "is not a phone number"),
        ("--phone", "41 79 302 67 27", "is not a phone number"),
        ("--email", "not-an-email", "Error: --email 'not-an-email' is not an email address"),
        ("--email", "ana@example", "is not an email address"),
    ],
)
def test_send_refuses_a_destination_that_is_not_one_and_sends_nothing(
    project: Path,
    emulator: EmulatorHarness,
    account: EmulatorAccount,
    option: str,
    value: str,
    error: str,
) -> None:
    result = run_cli_subprocess(
        ["send", "order-shipped", option, value], cwd=project, env={KEY_ENV: account.secret}
    )
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: ")
    assert error in line
    assert line.endswith("; nothing was sent")
    assert _stored(emulator, account) == 0


def test_a_good_destination_is_sent(
    project: Path, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    emulator.set_reachable(PHONE, "SMS")
    result = run_cli_subprocess(
        ["send", "order-shipped", "--phone", f"+{PHONE}", "--email", MAIL,
         "--poll-interval", "0.05", "--timeout", "5"],
        cwd=project,
        env={KEY_ENV: account.secret},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert _stored(emulator, account) == 1


def test_render_refuses_a_bad_phone_too(project: Path, account: EmulatorAccount) -> None:
    result = run_cli_subprocess(
        ["render", "order-shipped", "--phone", "abc"], cwd=project, env={KEY_ENV: account.secret}
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Error: --phone 'abc' is not a phone number")
    assert "sent" not in result.stderr


def test_render_of_a_scenario_the_files_keep_out_of_the_environment(
    project: Path, account: EmulatorAccount
) -> None:
    config = (project / "omni-sync.yaml").read_text()
    (project / "omni-sync.yaml").write_text(config + "  prod:\n    vars: {mail_domain: x.com}\n")
    write(
        project,
        "scenarios.d/newsletter.yaml",
        "name: Newsletter\nenvironments: [prod]\nflow:\n  - channel: EMAIL\n    from: a@x.com\n",
    )
    write(project, "templates/newsletter.yaml", "scenarios: [Newsletter]\nfallback: Hi\n")
    result = run_cli_subprocess(
        ["render", "newsletter", "--env", "staging"], cwd=project, env={KEY_ENV: account.secret}
    )
    assert result.returncode == 1
    assert result.stderr == (
        'Error: scenario "Newsletter" is not in environment "staging": the scenario files '
        "describe it only for prod (environments:); render it with --env prod\n"
    )
