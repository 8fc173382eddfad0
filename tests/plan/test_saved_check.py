"""What is left of a saved plan (pure): which upstream states count as "already applied", which
make it stale, and which plans do not come from their files."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace

import pytest

from omni_sync.errors import StalePlan
from omni_sync.model.desired import DesiredState
from omni_sync.model.scenario import Channel, RemoteScenario, ScenarioSpec
from omni_sync.plan.diff import make_plan
from omni_sync.plan.environment_plan import EnvironmentPlan, from_plan
from omni_sync.plan.saved import dump_saved, parse_saved
from omni_sync.plan.saved_check import check_files, relevant_upstream, remaining
from omni_sync.plan.saved_schema import SavedSpec
from tests.plan.factories import desired, flow, remote, spec

ACCOUNT = "https://x.api.infobip.com"
WANTED = desired(
    spec("A", flow(Channel.EMAIL), default=True),
    spec("B", flow(Channel.VIBER)),
    spec("New"),
)
UPSTREAM = [remote("KA", "A"), remote("KB", "B"), remote("KP", "Portal", default=True)]


def _saved(
    wanted: DesiredState = WANTED, upstream: Sequence[RemoteScenario] = tuple(UPSTREAM)
) -> EnvironmentPlan:
    made = from_plan(make_plan(wanted, upstream), ACCOUNT, relevant_upstream(wanted, upstream))
    (read,) = parse_saved(dump_saved([made]), "plan.json")
    return read


def _applied(change_name: str, key: str, upstream: list[RemoteScenario]) -> list[RemoteScenario]:
    """``upstream`` after the saved plan's change to ``change_name`` was made, as the emulator
    does it (a new default clears the old one's flag)."""
    change = next(c for c in _saved().plan.changes if c.name == change_name)
    made = RemoteScenario(
        key=key, name=change.spec.name, flow=change.spec.flow, default=change.spec.default
    )
    others = [r for r in upstream if r.key != key]
    if made.default:
        others = [r.model_copy(update={"default": False}) for r in others]
    return [*others, made]


def test_the_saved_spec_has_every_field_of_a_scenario_spec() -> None:
    assert set(SavedSpec.model_fields) == set(ScenarioSpec.model_fields)


def test_only_what_a_file_could_mean_and_the_defaults_are_kept() -> None:
    wanted = desired(spec("A", renamed_from=("Old",)), spec("P", key="KX"))
    upstream = [
        remote("K1", "A"),
        remote("K2", "Old"),
        remote("KX", "x"),
        remote("K3", "Other"),
        remote("K4", "Default", default=True),
    ]
    assert [r.key for r in relevant_upstream(wanted, upstream)] == ["K1", "K2", "K4", "KX"]


def test_an_untouched_account_leaves_the_whole_plan() -> None:
    left = remaining(_saved(), WANTED, UPSTREAM)
    assert (left.applied, left.total) == (0, 3)
    assert left.plan.changes == _saved().plan.changes


def test_a_made_promotion_counts_and_its_cleared_default_is_no_change() -> None:
    after = _applied("A", "KA", UPSTREAM)
    left = remaining(_saved(), WANTED, after)
    assert (left.applied, left.total) == (1, 3)
    assert [c.name for c in left.plan.changes] == ["New", "B"]


def test_every_change_made_leaves_nothing() -> None:
    after = _applied("B", "KB", _applied("A", "KA", _applied("New", "KN", UPSTREAM)))
    left = remaining(_saved(), WANTED, after)
    assert (left.applied, left.total, left.plan.changes) == (3, 3, ())


def test_an_unrelated_scenario_edited_in_the_portal_changes_nothing() -> None:
    left = remaining(_saved(), WANTED, [*UPSTREAM, remote("KU", "Unrelated", flow(Channel.PUSH))])
    assert left.applied == 0


@pytest.mark.parametrize(
    ("upstream", "reason"),
    [
        (
            [remote("KA", "A", flow(Channel.VOICE)), *UPSTREAM[1:]],
            'scenario "A" (KA) changed upstream',
        ),
        (
            [*UPSTREAM, remote("KN", "New", flow(Channel.PUSH))],
            'scenario "New" (KN) changed upstream',
        ),
        (UPSTREAM[1:], 'scenario "A" (KA) is no longer upstream'),
        (
            [remote("KA", "A"), remote("KB", "B", default=True), remote("KP", "Portal")],
            'scenario "B" (KB) changed upstream',
        ),
        (
            [*UPSTREAM[:2], remote("KP", "Portal")],
            "the default scenario changed upstream",
        ),
    ],
)
def test_any_other_upstream_change_is_stale(upstream: list[RemoteScenario], reason: str) -> None:
    with pytest.raises(StalePlan, match=r"^Saved plan is stale: environment \"prod\": ") as caught:
        remaining(_saved(), WANTED, upstream)
    assert reason in str(caught.value)


def test_a_change_to_a_file_after_the_plan_is_stale() -> None:
    with pytest.raises(StalePlan, match="the scenario files changed since"):
        check_files(_saved(), replace(WANTED, files_digest="d2"))


def test_the_plan_of_the_files_passes() -> None:
    check_files(_saved(), WANTED)


def test_an_edited_spec_is_not_what_the_files_give() -> None:
    text = dump_saved([_saved()])
    document = json.loads(text)
    document["environments"][0]["changes"][0]["spec"]["flow"][0]["from"] = "Evil"
    (edited,) = parse_saved(json.dumps(document), "plan.json")
    with pytest.raises(
        StalePlan, match=r'changes\[0\] \(scenario "New"\) is not what scenarios.d/2.yaml:1 gives'
    ):
        check_files(edited, WANTED)


def test_an_edited_upstream_does_not_plan_to_the_saved_changes() -> None:
    document = json.loads(dump_saved([_saved()]))
    document["environments"][0]["upstream"] = document["environments"][0]["upstream"][1:]
    changes = document["environments"][0]["changes"]
    document["environments"][0]["changes"] = [c for c in changes if c["spec"]["name"] != "A"]
    document["environments"][0]["default_cleared"] = None
    (edited,) = parse_saved(json.dumps(document), "plan.json")
    check_files(edited, WANTED)  # every change it holds is one a file says
    with pytest.raises(StalePlan, match="does not match the files and the account"):
        remaining(edited, WANTED, UPSTREAM)


def test_a_retirement_round_trips_and_is_theirs() -> None:
    """Two upstream scenarios of one name: the plan retires one; the saved plan keeps it."""
    upstream = [*UPSTREAM, remote("KB2", "B", flow(Channel.PUSH))]
    saved = _saved(WANTED, upstream)
    assert any("retired" in change.name for change in saved.plan.changes)
    check_files(saved, WANTED)
    assert remaining(saved, WANTED, upstream).applied == 0
    retired = next(c for c in saved.plan.changes if "retired" in c.name)
    done = [r for r in upstream if r.key != retired.key]
    done.append(RemoteScenario(key=retired.key, name=retired.name, flow=retired.spec.flow))
    left = remaining(saved, WANTED, done)
    assert (left.applied, len(left.plan.changes)) == (1, 3)
