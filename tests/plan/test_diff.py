from __future__ import annotations

import pytest

from omni_sync.errors import PlanError
from omni_sync.model.scenario import Channel
from omni_sync.plan.changes import ABSENT, Action, StepOp, fingerprint
from omni_sync.plan.diff import make_plan
from tests.plan.factories import desired, flow, remote, spec

SMS, VIBER, EMAIL = Channel.SMS, Channel.VIBER, Channel.EMAIL


def test_nothing_desired_nothing_upstream_is_no_change() -> None:
    plan = make_plan(desired(), [])
    assert not plan.has_changes
    assert plan.summary() == "No changes. Your scenarios match the configuration."
    assert plan.environment == "prod"
    assert plan.files_digest == "d1"


def test_absent_scenario_is_created_with_every_step_added() -> None:
    plan = make_plan(desired(spec("Orders", flow(SMS, VIBER), default=True)), [])
    (change,) = plan.changes
    assert change.action is Action.CREATE
    assert change.key is None
    assert change.fingerprint == ABSENT
    assert [s.op for s in change.steps] == [StepOp.ADD, StepOp.ADD]
    assert [s.new_position for s in change.steps] == [1, 2]
    assert change.promotes_default
    assert plan.summary() == "Plan: 1 to add, 0 to change, 0 to destroy."
    assert plan.cleared_default is None


def test_identical_scenario_is_no_change() -> None:
    plan = make_plan(
        desired(spec("Orders", flow(SMS), default=True)),
        [remote("K1", "Orders", flow(SMS), default=True)],
    )
    assert plan.changes == ()
    assert plan.unmanaged == ()


def test_update_of_flow_lists_fields_that_changed_only() -> None:
    plan = make_plan(
        desired(spec("Orders", flow(SMS, EMAIL), default=True)),
        [remote("K1", "Orders", flow(SMS), default=True)],
    )
    (change,) = plan.changes
    assert change.action is Action.UPDATE
    assert change.key == "K1"
    assert change.fields == ()
    assert change.flow_changed
    assert [s.op for s in change.steps] == [StepOp.SAME, StepOp.ADD]
    assert plan.summary() == "Plan: 0 to add, 1 to change, 0 to destroy."


def test_rename_through_renamed_from_updates_the_old_scenario() -> None:
    plan = make_plan(
        desired(spec("New", default=True, renamed_from=("Gone", "Old"))),
        [remote("K1", "Old", default=True)],
    )
    (change,) = plan.changes
    assert change.key == "K1"
    assert change.renamed_from == "Old"
    assert [(f.field, f.before, f.after) for f in change.fields] == [("name", "Old", "New")]


def test_current_name_wins_over_renamed_from_and_old_one_is_unmanaged() -> None:
    plan = make_plan(
        desired(spec("New", default=True, renamed_from=("Old",))),
        [remote("K1", "Old"), remote("K2", "New", default=True)],
    )
    assert plan.changes == ()
    assert [r.key for r in plan.unmanaged] == ["K1"]


def test_default_switch_promotes_new_and_notes_the_old_one_cleared() -> None:
    plan = make_plan(
        desired(spec("A", default=True), spec("B")),
        [remote("KA", "A"), remote("KB", "B", default=True)],
    )
    (change,) = plan.changes
    assert change.name == "A"
    assert [(f.field, f.before, f.after) for f in change.fields] == [("default", False, True)]
    assert change.promotes_default
    assert plan.cleared_default is not None
    assert plan.cleared_default.key == "KB"


def test_unmanaged_old_default_is_noted_as_cleared() -> None:
    plan = make_plan(desired(spec("A", default=True)), [remote("KO", "Portal", default=True)])
    assert [c.action for c in plan.changes] == [Action.CREATE]
    assert plan.cleared_default is not None
    assert plan.cleared_default.key == "KO"
    assert [r.key for r in plan.unmanaged] == ["KO"]


def test_old_default_with_other_changes_is_updated_after_the_promotion() -> None:
    plan = make_plan(
        desired(spec("A", default=True), spec("B", flow(EMAIL))),
        [remote("KA", "A"), remote("KB", "B", default=True)],
    )
    assert [c.name for c in plan.changes] == ["A", "B"]
    b = plan.changes[1]
    assert [(f.field, f.before, f.after) for f in b.fields] == [("default", True, False)]
    assert b.flow_changed


def test_order_is_creates_then_default_switch_then_updates() -> None:
    plan = make_plan(
        desired(
            spec("z-new"),
            spec("a-new"),
            spec("m-default", default=True),
            spec("b-upd", flow(EMAIL)),
            spec("a-upd", flow(VIBER)),
        ),
        [remote("K1", "b-upd"), remote("K2", "a-upd"), remote("K3", "m-default")],
    )
    assert [c.name for c in plan.changes] == ["a-new", "z-new", "m-default", "a-upd", "b-upd"]


def test_new_default_created_after_other_creates() -> None:
    plan = make_plan(desired(spec("b"), spec("a", default=True), spec("c")), [])
    assert [c.name for c in plan.changes] == ["b", "c", "a"]


def test_duplicate_upstream_names_keep_the_first_key_and_retire_the_others() -> None:
    plan = make_plan(
        desired(spec("Orders", flow(VIBER), default=True)),
        [remote("K2", "Orders", default=True), remote("K1", "Orders"), remote("K3", "Orders")],
    )
    by_key = {change.key: change for change in plan.changes}
    assert set(by_key) == {"K1", "K2", "K3"}
    kept = by_key["K1"]
    assert kept.name == "Orders"
    assert kept.spec.flow == flow(VIBER)
    assert kept.promotes_default
    for key in ("K2", "K3"):
        retired = by_key[key]
        assert retired.action is Action.UPDATE
        assert retired.name == f"Orders (retired by omni-sync {key})"
        assert retired.spec.default is False
        assert retired.spec.flow == flow(SMS)
        assert str(retired.source) == "scenarios.d/0.yaml:1"
    assert [c.key for c in plan.changes] == ["K1", "K2", "K3"]
    assert plan.cleared_default is not None
    assert plan.cleared_default.key == "K2"
    assert plan.unmanaged == ()


def test_retirement_is_the_same_whatever_order_the_account_lists() -> None:
    upstream = [remote("B7", "Orders"), remote("A9", "Orders"), remote("C1", "Orders")]
    first = make_plan(desired(spec("Orders", default=True)), upstream)
    second = make_plan(desired(spec("Orders", default=True)), upstream[::-1])
    assert first == second
    assert [c.key for c in first.changes if c.name.startswith("Orders (retired")] == ["B7", "C1"]


def test_retired_name_is_kept_within_the_name_limit() -> None:
    long = "x" * 255
    plan = make_plan(desired(spec(long, default=True)), [remote("K1", long), remote("K2", long)])
    (retired,) = [c for c in plan.changes if c.key == "K2"]
    assert len(retired.name) == 255
    assert retired.name.endswith(" (retired by omni-sync K2)")


def test_a_pinned_key_chooses_which_one_stays() -> None:
    plan = make_plan(
        desired(spec("Orders", default=True, key="K2")),
        [remote("K1", "Orders", default=True), remote("K2", "Orders")],
    )
    by_key = {change.key: change for change in plan.changes}
    assert by_key["K2"].promotes_default
    assert by_key["K1"].name == "Orders (retired by omni-sync K1)"


def test_a_pinned_key_renames_the_scenario_it_pins() -> None:
    plan = make_plan(
        desired(spec("Orders", default=True, key="K9")),
        [remote("K9", "Old", default=True), remote("K1", "Other")],
    )
    (change,) = plan.changes
    assert (change.key, change.renamed_from, change.name) == ("K9", "Old", "Orders")
    assert [r.key for r in plan.unmanaged] == ["K1"]


def test_a_pinned_key_is_not_matched_by_another_file_s_name() -> None:
    plan = make_plan(
        desired(spec("Orders", default=True, key="K9"), spec("Old")),
        [remote("K9", "Old", default=True)],
    )
    assert {(c.action, c.name, c.key) for c in plan.changes} == {
        (Action.UPDATE, "Orders", "K9"),
        (Action.CREATE, "Old", None),
    }


def test_a_pinned_key_the_account_lacks_is_an_error_naming_it() -> None:
    with pytest.raises(PlanError) as caught:
        make_plan(desired(spec("Orders", default=True, key="NOPE")), [remote("K1", "Orders")])
    message = str(caught.value)
    assert 'scenario "Orders" (scenarios.d/0.yaml:1) pins key NOPE' in message
    assert "does not have" in message
    assert "\n" not in message


def test_one_key_pinned_by_two_files_is_an_error() -> None:
    with pytest.raises(PlanError, match=r'"B" .* pins key K1, which "A" .* pins too'):
        make_plan(
            desired(spec("A", default=True, key="K1"), spec("B", key="K1")),
            [remote("K1", "A")],
        )


def test_duplicates_of_an_old_name_are_settled_by_the_same_rule() -> None:
    plan = make_plan(
        desired(spec("New", default=True, renamed_from=("Old",))),
        [remote("K2", "Old", default=True), remote("K1", "Old")],
    )
    by_key = {change.key: change for change in plan.changes}
    assert (by_key["K1"].name, by_key["K1"].renamed_from) == ("New", "Old")
    assert by_key["K2"].name == "Old (retired by omni-sync K2)"


def test_two_old_names_present_is_ambiguous() -> None:
    with pytest.raises(PlanError, match=r"could mean 2 scenarios.*Pin the one to keep with key:"):
        make_plan(
            desired(spec("New", default=True, renamed_from=("A", "B"))),
            [remote("K1", "A"), remote("K2", "B")],
        )


def test_duplicate_names_nobody_manages_are_left_alone() -> None:
    plan = make_plan(
        desired(spec("Mine", default=True)),
        [remote("K2", "Dup"), remote("K1", "Dup"), remote("K3", "Mine", default=True)],
    )
    assert plan.changes == ()
    assert [r.key for r in plan.unmanaged] == ["K1", "K2"]


def test_fingerprint_follows_content() -> None:
    base = remote("K1", "A", flow(SMS))
    assert fingerprint(base) == fingerprint(remote("K1", "A", flow(SMS)))
    assert fingerprint(base) != fingerprint(remote("K1", "A", flow(SMS, VIBER)))
    assert fingerprint(base) != fingerprint(remote("K1", "A", flow(SMS), default=True))
    assert fingerprint(base) != fingerprint(remote("K1", "B", flow(SMS)))
    assert fingerprint(None) == ABSENT


def test_change_carries_fingerprint_of_what_it_read() -> None:
    upstream = remote("K1", "A", flow(SMS), default=True)
    plan = make_plan(desired(spec("A", flow(VIBER), default=True)), [upstream])
    assert plan.changes[0].fingerprint == fingerprint(upstream)
