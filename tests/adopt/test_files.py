from __future__ import annotations

from pathlib import Path, PurePosixPath

import jinja2
import pytest
import yaml

from omni_sync.adopt.files import (
    Layout,
    check_unique_names,
    existing,
    import_warnings,
    scenario_files,
    write,
)
from omni_sync.errors import PlanError
from omni_sync.model.scenario import Channel, RemoteScenario, Step


def _remote(
    name: str, key: str, *steps: tuple[Channel, str], default: bool = False
) -> RemoteScenario:
    flow = tuple(Step(channel=c, sender=s) for c, s in steps)
    return RemoteScenario(key=key, name=name, flow=flow, default=default)


SCENARIOS = [
    _remote(
        "Order updates", "A" * 32, (Channel.SMS, "Shop"), (Channel.VIBER, "3045"), default=True
    ),
    _remote("{{ evil }} {% raw %}", "B" * 32, (Channel.EMAIL, "a{#b@example.com")),
    _remote("yes", "C" * 32, (Channel.VOICE, "+41793026727"), (Channel.SMS, "0041793026727")),
]


def _read_back(text: str) -> object:
    """What the loader sees: the file rendered by Jinja, then read as YAML."""
    rendered = jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(text).render()
    return yaml.safe_load(rendered)


def test_per_scenario_files_read_back_to_the_same_scenarios() -> None:
    files = scenario_files("prod", SCENARIOS, Layout.PER_SCENARIO)
    assert [f.path for f in files] == [
        PurePosixPath("scenarios.d/prod/order-updates.yaml"),
        PurePosixPath("scenarios.d/prod/yes.yaml"),
        PurePosixPath("scenarios.d/prod/evil-raw.yaml"),
    ]
    by_name = {}
    for file in files:
        document = _read_back(file.text)
        assert isinstance(document, dict)
        by_name[document["name"]] = document
    assert by_name["Order updates"] == {
        "name": "Order updates",
        "default": True,
        "flow": [{"channel": "SMS", "from": "Shop"}, {"channel": "VIBER", "from": "3045"}],
    }
    assert by_name["{{ evil }} {% raw %}"]["flow"] == [
        {"channel": "EMAIL", "from": "a{#b@example.com"}
    ]
    assert by_name["yes"]["flow"] == [
        {"channel": "VOICE", "from": "+41793026727"},
        {"channel": "SMS", "from": "0041793026727"},
    ]


def test_per_environment_file_holds_a_list_marked_for_its_environment() -> None:
    (file,) = scenario_files("prod", SCENARIOS, Layout.PER_ENVIRONMENT, only_in="prod")
    assert file.path == PurePosixPath("scenarios.d/prod.yaml")
    assert file.text.startswith("# Imported by omni-sync import from environment prod.\n")
    documents = _read_back(file.text)
    assert isinstance(documents, list)
    assert [d["name"] for d in documents] == ["Order updates", "yes", "{{ evil }} {% raw %}"]
    assert all(d["environments"] == ["prod"] for d in documents)


def test_duplicate_names_upstream_are_refused_with_their_keys() -> None:
    twins = [
        _remote("Promo", "K1" * 16, (Channel.SMS, "Shop")),
        _remote("Promo", "K2" * 16, (Channel.SMS, "Shop")),
    ]
    with pytest.raises(PlanError, match=r'several scenarios named "Promo" \(keys K1K1.*, K2K2.*\)'):
        check_unique_names("prod", twins)
    check_unique_names("prod", SCENARIOS)


def test_write_and_find_existing(tmp_path: Path) -> None:
    files = scenario_files("prod", SCENARIOS[:1], Layout.PER_SCENARIO)
    assert existing(tmp_path, files) == []
    write(tmp_path, files)
    assert existing(tmp_path, files) == [files[0].path]
    assert (tmp_path / files[0].path).read_text() == files[0].text


def test_senders_validate_would_refuse_are_warned_about() -> None:
    scenarios = [
        _remote("Legacy", "D" * 32, (Channel.SMS, "Shop"), (Channel.SMS, "FarTooLongSender")),
        *SCENARIOS,
    ]
    (warning,) = import_warnings(scenarios)
    assert warning.startswith("scenario \"Legacy\" step 2: SMS sender 'FarTooLongSender' is 16")
    assert warning.endswith("omni-sync validate will refuse it until the file is fixed")


def test_an_account_without_a_default_is_warned_about() -> None:
    assert import_warnings(SCENARIOS[1:]) == [
        "the account has no default scenario; mark one with default: true before planning"
    ]
