"""plan --out FILE, then apply FILE: applied when fresh, refused when anything moved on."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from omni_sync import __version__
from omni_sync.commands import apply as apply_command
from omni_sync.emulator.harness import EmulatorAccount, EmulatorHarness
from tests.accounts import add_environment, edit_by_hand, scenario, write_scenarios
from tests.apply.conftest import Cli, Run, interrupted_after_first_create
from tests.emulator.conftest import Served

ORDERS = scenario("Orders", ("SMS", "Shop"), default=True)
ALERTS = scenario("Alerts", ("EMAIL", "alerts@example.com"))


@pytest.fixture
def account(
    repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch
) -> EmulatorAccount:
    account = add_environment(repo, emulator, monkeypatch)
    write_scenarios(repo, ORDERS, ALERTS)
    assert Cli(repo)("apply", "--auto-approve").code == 0
    write_scenarios(repo, ORDERS, scenario("Alerts", ("VOICE", "41793026727")), scenario("New"))
    return account


def test_a_fresh_saved_plan_applies_exactly(
    repo: Path, run: Cli, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    saved = run("plan", "--out", "plan.json")
    assert saved.code == 0
    assert "Saved the plan to plan.json" in saved.err
    assert account.secret not in (repo / "plan.json").read_text()
    applied = run("apply", "plan.json")
    assert applied.code == 0, applied.err
    assert "Apply complete! Scenarios: 1 added, 1 changed, 0 destroyed." in applied.out
    assert run("plan", "--detailed-exitcode").code == 0


def test_scenario_changed_upstream_makes_it_stale(
    repo: Path, run: Cli, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    run("plan", "--out", "plan.json")
    key = edit_by_hand(emulator, account, "Alerts", ("PUSH", "app"))
    result = run("apply", "plan.json")
    assert result.code == 1
    assert (
        f'Error: Saved plan is stale: environment "prod": scenario "Alerts" ({key}) '
        "changed upstream. Run omni-sync plan again." in result.err
    )
    assert not any(s.name == "New" for s in emulator.scenarios(account))


def test_files_changed_makes_it_stale(repo: Path, run: Cli, account: EmulatorAccount) -> None:
    run("plan", "--out", "plan.json")
    write_scenarios(repo, ORDERS, ALERTS)
    result = run("apply", "plan.json")
    assert result.code == 1
    assert "the scenario files changed since" in result.err


def test_plan_for_another_environment_is_refused(
    repo: Path,
    run: Cli,
    emulator: EmulatorHarness,
    account: EmulatorAccount,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_environment(repo, emulator, monkeypatch, name="staging")
    run("plan", "-e", "prod", "--out", "plan.json")
    result = run("apply", "plan.json", "-e", "staging")
    assert result.code == 1
    assert result.err == (
        "Error: plan.json: the saved plan holds environment prod, not staging; plan that "
        "environment with -e and apply its own plan\n"
    )


def _plan_then_apply_with(run: Cli, monkeypatch: pytest.MonkeyPatch, key: str) -> Run:
    """Plan with the environment's key, then apply the saved plan with ``key``."""
    run("plan", "--out", "plan.json")
    monkeypatch.setenv("OMNI_TEST_KEY_PROD", key)
    return run("apply", "plan.json")


def test_a_key_of_another_account_at_the_same_url_finds_the_plan_stale(
    repo: Path,
    run: Cli,
    emulator: EmulatorHarness,
    account: EmulatorAccount,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The identity is the base URL, not the key; the other account's content differs."""
    other = emulator.add_account()
    result = _plan_then_apply_with(run, monkeypatch, other.secret)
    assert result.code == 1
    assert result.err.startswith('Error: Saved plan is stale: environment "prod": scenario ')
    assert "is no longer upstream" in result.err
    assert emulator.scenarios(other) == []


def test_not_a_plan_file(repo: Path, run: Cli, account: EmulatorAccount) -> None:
    (repo / "plan.json").write_text("{}")
    result = run("apply", "plan.json")
    assert result.code == 1
    assert "not an omni-sync saved plan" in result.err


def test_a_plan_made_with_one_key_applies_with_another_key_of_the_account(
    repo: Path,
    run: Cli,
    emulator: EmulatorHarness,
    account: EmulatorAccount,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A read-only plan key and a write key of one account: the plan is the account's."""
    write_key = emulator.add_account(account_id=account.account_id)
    assert write_key.secret != account.secret
    applied = _plan_then_apply_with(run, monkeypatch, write_key.secret)
    assert applied.code == 0, applied.err
    assert "Apply complete! Scenarios: 1 added, 1 changed, 0 destroyed." in applied.out
    assert any(s.name == "New" for s in emulator.scenarios(account))


def test_a_plan_for_another_base_url_is_refused(
    repo: Path, run: Cli, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    """The same server under another name is another base URL: refused before any write."""
    run("plan", "--out", "plan.json")
    config = repo / "omni-sync.yaml"
    other_url = emulator.base_url.replace("127.0.0.1", "localhost")
    assert other_url != emulator.base_url
    config.write_text(config.read_text().replace(emulator.base_url, other_url))
    result = run("apply", "plan.json")
    assert result.code == 1
    assert result.err.strip() == (
        f'Error: Saved plan is stale: environment "prod": it was made for the account at '
        f"{emulator.base_url}, and the environment now points at {other_url}. "
        "Run omni-sync plan again."
    )
    assert not any(s.name == "New" for s in emulator.scenarios(account))


def test_a_saved_default_switch_names_force_and_never_a_prompt(
    repo: Path, run: Cli, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    write_scenarios(
        repo, scenario("Orders"), scenario("Alerts", ("EMAIL", "a@example.com"), default=True)
    )
    run("plan", "--out", "plan.json")
    refused = run("apply", "plan.json")
    assert refused.code == 1
    assert refused.err.strip() == (
        'Error: environment "prod": the plan switches the default scenario from "Orders" to '
        "\"Alerts\"; a default switch needs a person's 'yes' (safety.confirm_default_switch), "
        "and a saved plan is never asked: apply it with --force"
    )
    assert "interactively" not in refused.err
    assert [s.name for s in emulator.scenarios(account) if s.default] == ["Orders"]
    assert run("apply", "plan.json", "--force").code == 0
    assert [s.name for s in emulator.scenarios(account) if s.default] == ["Alerts"]


def test_a_plain_apply_that_lost_a_race_is_not_called_a_saved_plan(
    run: Cli,
    emulator: EmulatorHarness,
    account: EmulatorAccount,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The account moves between the plan shown and the 'yes': refused, in true words."""
    real_approve = apply_command.approve

    def approve_after_a_portal_edit(writer: object, environment: str) -> None:
        edit_by_hand(emulator, account, "Alerts", ("PUSH", "app"))
        real_approve(writer, environment)  # type: ignore[arg-type]

    monkeypatch.setattr(apply_command, "stdin_is_tty", lambda: True)
    monkeypatch.setattr(apply_command, "approve", approve_after_a_portal_edit)
    result = run("apply", input="yes\n")
    assert result.code == 1
    assert "Saved plan" not in result.err
    key = next(s.key for s in emulator.scenarios(account) if s.name == "Alerts")
    assert (
        'Error: environment "prod": the account changed while applying: scenario "Alerts" '
        f"({key}) changed upstream; nothing was applied. "
        "Run omni-sync plan again." in result.err
    )
    assert not any(s.name == "New" for s in emulator.scenarios(account))


def _edit_plan(repo: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    path = repo / "plan.json"
    document = json.loads(path.read_text())
    edit(document)
    path.write_text(json.dumps(document))


def _create(document: dict[str, Any]) -> dict[str, Any]:
    changes = document["environments"][0]["changes"]
    return next(change for change in changes if change["action"] == "create")


def test_a_hand_edited_flow_is_refused_and_never_applied(
    repo: Path, run: Cli, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    run("plan", "--out", "plan.json")
    _edit_plan(repo, lambda doc: _create(doc)["spec"]["flow"][0].update({"from": "Evil"}))
    result = run("apply", "plan.json")
    assert result.code == 1
    assert result.err == (
        "Error: Saved plan does not match the files and the account it was made from: "
        'environment "prod": changes[0] (scenario "New") is not what scenarios.d/all.yaml:22 '
        "gives; the plan file was changed after plan --out. Run omni-sync plan again.\n"
    )
    assert not any(s.name == "New" for s in emulator.scenarios(account))


def test_a_hand_edited_plan_naming_a_scenario_no_file_holds_is_refused(
    repo: Path, run: Cli, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    run("plan", "--out", "plan.json")
    _edit_plan(repo, lambda doc: _create(doc)["spec"].update({"name": "Evil"}))
    result = run("apply", "plan.json")
    assert result.code == 1
    assert "Saved plan does not match the files and the account it was made from" in result.err
    assert 'changes[0] is for scenario "Evil", which no file holds' in result.err
    assert "stale" not in result.err
    assert not any(s.name in {"New", "Evil"} for s in emulator.scenarios(account))


def test_a_plan_from_another_version_is_refused_naming_both(
    repo: Path, run: Cli, account: EmulatorAccount
) -> None:
    run("plan", "--out", "plan.json")
    _edit_plan(repo, lambda doc: doc.update({"omni_sync_version": "0.0.9"}))
    result = run("apply", "plan.json")
    assert result.code == 1
    assert result.err == (
        f"Error: plan.json: the saved plan was made by omni-sync 0.0.9, this is omni-sync "
        f"{__version__}; make it again with this version (omni-sync plan --out)\n"
    )


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (lambda doc: doc.update({"environments": []}), "at environments: "),
        (
            lambda doc: doc["environments"].append(doc["environments"][0]),
            'at environments[1].environment: "prod" is listed twice',
        ),
        (lambda doc: doc["environments"][0].pop("files_digest"), "environments[0].files_digest"),
        (lambda doc: doc["environments"][0].pop("targets"), "at environments[0].targets: missing"),
        (
            lambda doc: _create(doc)["spec"].update({"flow": "SMS"}),
            "at environments[0].changes[0].spec.flow: ",
        ),
        (
            lambda doc: _create(doc).update({"action": "delete"}),
            "at environments[0].changes[0].action: ",
        ),
    ],
)
def test_damage_names_the_field(
    repo: Path,
    run: Cli,
    emulator: EmulatorHarness,
    account: EmulatorAccount,
    edit: Callable[[dict[str, Any]], None],
    where: str,
) -> None:
    run("plan", "--out", "plan.json")
    before = emulator.scenarios(account)
    _edit_plan(repo, edit)
    result = run("apply", "plan.json")
    assert result.code == 1
    assert result.err.startswith("Error: plan.json: the saved plan is damaged at ")
    assert where in result.err
    assert result.err.endswith("; make it again with omni-sync plan --out\n")
    assert result.err.count("\n") == 1
    assert emulator.scenarios(account) == before


NEW = [scenario(f"New {number}") for number in range(3)]


def _fail_after_one_create(repo: Path, run: Cli, emulator: EmulatorHarness) -> None:
    """A saved plan of 3 creates and 1 update, applied while the account takes 1 create."""
    write_scenarios(repo, ORDERS, scenario("Alerts", ("VOICE", "41793026727")), *NEW)
    assert run("plan", "--out", "plan.json").code == 0
    emulator.set_throttle(window_seconds=600, create_limit=1)
    first = run("apply", "plan.json", "--parallelism", "1")
    assert first.code == 1
    assert (first.out.count("+ created"), first.out.count("! failed")) == (1, 2)
    emulator.set_throttle(window_seconds=600, create_limit=100)


def test_a_saved_plan_that_failed_part_way_applies_the_rest_when_run_again(
    repo: Path, run: Cli, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    _fail_after_one_create(repo, run, emulator)
    second = run("apply", "plan.json")
    assert second.code == 0, second.err
    assert (
        'Resuming the saved plan: environment "prod" already holds 2 of its 4 changes; '
        "applying the remaining 2." in second.out
    )
    assert "Apply complete! Scenarios: 2 added, 0 changed, 0 destroyed." in second.out
    third = run("apply", "plan.json")
    assert third.code == 0, third.err
    assert (
        'Saved plan already applied: environment "prod" already holds its 4 changes; '
        "nothing to do." in third.out
    )
    assert run("plan", "--detailed-exitcode").code == 0
    names = sorted(s.name for s in emulator.scenarios(account))
    assert names == ["Alerts", "New 0", "New 1", "New 2", "Orders"]


@pytest.mark.parametrize("edited", ["Orders", "New 0"])
def test_a_portal_edit_after_a_partial_apply_makes_it_stale(
    repo: Path, run: Cli, emulator: EmulatorHarness, account: EmulatorAccount, edited: str
) -> None:
    """Only the plan's own changes count as applied: an unplanned edit, of a scenario the plan
    left alone or of one it created, is a change upstream."""
    _fail_after_one_create(repo, run, emulator)
    created = next(s.name for s in emulator.scenarios(account) if s.name.startswith("New"))
    edited = created if edited == "New 0" else edited
    key = edit_by_hand(emulator, account, edited, ("PUSH", "app"))
    before = emulator.scenarios(account)
    result = run("apply", "plan.json")
    assert result.code == 1
    assert result.err == (
        f'Error: Saved plan is stale: environment "prod": scenario "{edited}" ({key}) changed '
        "upstream. Run omni-sync plan again.\n"
    )
    assert emulator.scenarios(account) == before


def test_a_saved_plan_interrupted_part_way_completes_when_run_again(
    repo: Path, run: Cli, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    """A real process and a real SIGINT, as a cancelled CI job sends."""
    write_scenarios(repo, ORDERS, ALERTS, *(scenario(f"s{number}") for number in range(6)))
    assert run("plan", "--out", "plan.json").code == 0
    emulator.set_faults(latency_ms=150)
    interrupted = interrupted_after_first_create(repo, "apply", "plan.json")
    assert interrupted.code == 1
    out = interrupted.out
    created = out.count("+ created")
    assert 1 <= created < 6
    emulator.set_faults()
    again = run("apply", "plan.json")
    assert again.code == 0, again.err
    assert (
        f"already holds {created} of its 6 changes; applying the remaining {6 - created}."
        in again.out
    )
    assert len(emulator.scenarios(account)) == 8
    assert "Saved plan already applied" in run("apply", "plan.json").out


def test_a_read_only_key_and_a_write_key_from_an_accounts_file(
    repo: Path, run: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the workflows run it: ``omni-sync emulator serve`` with one account holding two keys
    (an accounts file), a plan made with ENV-plan's key, applied with ENV's."""
    accounts = tmp_path / "accounts.yaml"
    accounts.write_text(
        "accounts:\n  - {name: shop, api_key: plan-key-0123456789}\n"
        "  - {name: shop, api_key: write-key-9876543210}\n"
    )
    served = Served("--accounts-file", str(accounts), "--quiet", cwd=tmp_path)
    try:
        environment = {"base_url": served.base_url, "auth": {"type": "app", "key_env": "SHOP_KEY"}}
        (repo / "omni-sync.yaml").write_text(json.dumps({"environments": {"prod": environment}}))
        write_scenarios(repo, ORDERS, ALERTS)
        monkeypatch.setenv("SHOP_KEY", "plan-key-0123456789")
        assert run("plan", "--out", "plan.json").code == 0
        monkeypatch.setenv("SHOP_KEY", "write-key-9876543210")
        applied = run("apply", "plan.json")
        assert applied.code == 0, applied.err
        assert "Apply complete! Scenarios: 2 added, 0 changed, 0 destroyed." in applied.out
        monkeypatch.setenv("SHOP_KEY", "plan-key-0123456789")
        assert run("plan", "--detailed-exitcode").code == 0
    finally:
        served.stop()
