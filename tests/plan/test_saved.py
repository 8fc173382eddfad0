from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from omni_sync.errors import ConfigError, StalePlan
from omni_sync.model.scenario import Channel
from omni_sync.plan.account import account_identity
from omni_sync.plan.diff import make_plan
from omni_sync.plan.environment_plan import EnvironmentPlan, from_plan
from omni_sync.plan.freshness import check_fresh
from omni_sync.plan.saved import dump_saved, read_saved, write_saved
from omni_sync.plan.saved_check import check_account, relevant_upstream
from tests.plan.factories import desired, flow, remote, spec

ACCOUNT = account_identity("https://x.api.infobip.com")
WANTED = desired(
    spec("A", flow(Channel.EMAIL), default=True, renamed_from=("Old A",)),
    spec("New"),
    spec("B", flow(Channel.VIBER)),
)
UPSTREAM = [
    remote("KA", "Old A"),
    remote("KB", "B"),
    remote("KP", "Portal", default=True),
]


def _made() -> EnvironmentPlan:
    return from_plan(make_plan(WANTED, UPSTREAM), ACCOUNT, relevant_upstream(WANTED, UPSTREAM))


def _saved(tmp_path: Path) -> EnvironmentPlan:
    path = tmp_path / "plan.json"
    write_saved(path, [_made()])
    (loaded,) = read_saved(path)
    return loaded


def test_round_trip_keeps_the_plan_and_never_the_credential(tmp_path: Path) -> None:
    loaded = _saved(tmp_path)
    assert loaded.plan == replace(make_plan(WANTED, UPSTREAM), unmanaged=())
    assert loaded.account == ACCOUNT
    text = (tmp_path / "plan.json").read_text()
    assert "secret-key-123" not in text
    document = json.loads(text)
    assert document["omni_sync_saved_plan"] == 2
    assert next(c["fingerprint"] for c in document["environments"][0]["changes"]) == "absent"


@pytest.mark.parametrize(
    "same",
    [
        "https://x.api.infobip.com",
        "https://x.api.infobip.com/",
        "HTTPS://X.API.Infobip.com",
        "https://x.api.infobip.com:443",
        " https://x.api.infobip.com// ",
    ],
)
def test_account_identity_is_the_normalised_base_url(same: str) -> None:
    assert account_identity(same) == ACCOUNT == "https://x.api.infobip.com"


@pytest.mark.parametrize(
    "other",
    [
        "https://y.api.infobip.com",
        "https://x.api.infobip.com:8443",
        "http://x.api.infobip.com",
        "https://x.api.infobip.com/v2",
        "embedded",
    ],
)
def test_another_base_url_is_another_account(other: str) -> None:
    assert account_identity(other) != ACCOUNT


def test_account_identity_keeps_loopback_ports_and_ipv6() -> None:
    assert account_identity("http://127.0.0.1:8080/") == "http://127.0.0.1:8080"
    assert account_identity("http://[::1]:80") == "http://[::1]"


def test_the_plan_shown_passes_when_nothing_moved() -> None:
    check_fresh(_made(), make_plan(WANTED, UPSTREAM))


def _moved(reasons: str) -> str:
    return (
        'environment "prod": the account changed while applying: '
        f"{reasons}; nothing was applied. Run omni-sync plan again."
    )


def test_scenario_changed_upstream_while_applying_is_refused() -> None:
    moved = [remote("KA", "Old A", flow(Channel.VOICE)), *UPSTREAM[1:]]
    with pytest.raises(StalePlan) as caught:
        check_fresh(_made(), make_plan(WANTED, moved))
    assert str(caught.value) == _moved('scenario "A" (KA) changed upstream')


def test_created_upstream_meanwhile_is_refused() -> None:
    with pytest.raises(StalePlan) as caught:
        check_fresh(_made(), make_plan(WANTED, [*UPSTREAM, remote("KN", "New")]))
    assert str(caught.value) == _moved('scenario "New" now exists upstream')


def test_scenario_fixed_by_hand_meanwhile_is_refused() -> None:
    fixed = [remote("KA", "Old A"), remote("KB", "B", flow(Channel.VIBER)), UPSTREAM[2]]
    with pytest.raises(StalePlan) as caught:
        check_fresh(_made(), make_plan(WANTED, fixed))
    assert str(caught.value) == _moved('scenario "B" (KB) changed upstream')


def test_new_difference_upstream_is_refused() -> None:
    extra = desired(*(s.spec for s in WANTED.scenarios), spec("C"))
    upstream = [*UPSTREAM, remote("KC", "C", flow(Channel.PUSH))]
    with pytest.raises(StalePlan) as caught:
        check_fresh(_made(), make_plan(extra, upstream))
    assert str(caught.value) == _moved('scenario "C" (KC) changed upstream')


def test_default_changed_upstream_is_refused() -> None:
    upstream = [remote("KA", "Old A"), remote("KB", "B", default=True), UPSTREAM[2]]
    with pytest.raises(StalePlan, match="the default scenario changed upstream"):
        check_fresh(_made(), make_plan(WANTED, upstream))


def test_files_changed_while_applying_is_refused() -> None:
    changed = desired(*(s.spec for s in WANTED.scenarios), digest="d2")
    with pytest.raises(StalePlan) as caught:
        check_fresh(_made(), make_plan(changed, UPSTREAM))
    assert str(caught.value) == (
        'environment "prod": the scenario files changed while applying; nothing was applied. '
        "Run omni-sync plan again."
    )


def test_a_saved_plan_for_another_account_is_stale(tmp_path: Path) -> None:
    other = account_identity("https://y.api.infobip.com")
    with pytest.raises(StalePlan) as caught:
        check_account(_saved(tmp_path), other)
    assert str(caught.value) == (
        'Saved plan is stale: environment "prod": it was made for the account at '
        "https://x.api.infobip.com, and the environment now points at https://y.api.infobip.com."
        " Run omni-sync plan again."
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not JSON"),
        ("[]", "not an omni-sync saved plan"),
        ('{"omni_sync_saved_plan": 99}', "format 99 is not the one omni-sync"),
        ('{"omni_sync_saved_plan": 2}', "damaged"),
    ],
)
def test_unreadable_files_are_clear_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "plan.json"
    path.write_text(content)
    with pytest.raises(ConfigError, match=message):
        read_saved(path)


def test_tampered_change_is_refused(tmp_path: Path) -> None:
    document = json.loads(dump_saved([_made()]))
    document["environments"][0]["changes"][1]["before"]["name"] = "Edited"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document))
    with pytest.raises(ConfigError, match="damaged"):
        read_saved(path)


def test_missing_or_unwritable_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        read_saved(tmp_path / "nope.json")
    with pytest.raises(ConfigError, match="cannot write"):
        write_saved(tmp_path / "no" / "dir" / "plan.json", [])
