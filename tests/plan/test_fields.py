from __future__ import annotations

import difflib

from hypothesis import given
from hypothesis import strategies as st

from omni_sync.model.scenario import Channel, Step
from omni_sync.plan.changes import StepOp
from omni_sync.plan.fields import differing_fields, flow_diff
from tests.plan.factories import EMAIL, PUSH, SMS, VIBER, VOICE, flow, remote, spec, step


def _ops(
    before: tuple[Channel, ...], after: tuple[Channel, ...]
) -> list[tuple[str, object, object]]:
    return [
        (d.op.value, d.old_position, d.new_position) for d in flow_diff(flow(*before), flow(*after))
    ]


def test_differing_fields_names_each_top_level_field() -> None:
    assert differing_fields(remote("K", "A"), spec("A")) == set()
    assert differing_fields(remote("K", "A"), spec("B")) == {"name"}
    assert differing_fields(remote("K", "A"), spec("A", default=True)) == {"default"}
    assert differing_fields(remote("K", "A"), spec("A", flow(VIBER))) == {"flow"}
    assert differing_fields(remote("K", "A", flow(SMS, VIBER)), spec("A", flow(SMS))) == {"flow"}
    assert differing_fields(remote("K", "A", flow((SMS, "Other"))), spec("A")) == {"flow"}


def test_step_added_at_end() -> None:
    assert _ops((SMS,), (SMS, EMAIL)) == [("same", 1, 1), ("add", None, 2)]


def test_step_removed_in_the_middle() -> None:
    assert _ops((SMS, VIBER, EMAIL), (SMS, EMAIL)) == [
        ("same", 1, 1),
        ("remove", 2, None),
        ("same", 3, 2),
    ]


def test_sender_changed_in_place() -> None:
    diffs = flow_diff(flow(SMS, VIBER), flow(SMS, (VIBER, "3046")))
    assert [d.op for d in diffs] == [StepOp.SAME, StepOp.CHANGE]
    assert diffs[1].before is not None
    assert diffs[1].before.sender == "3045"
    assert diffs[1].after is not None
    assert diffs[1].after.sender == "3046"


def test_swap_is_a_move() -> None:
    ops = _ops((SMS, VIBER), (VIBER, SMS))
    assert sorted(op for op, _, _ in ops) == ["move", "same"]
    (move,) = [o for o in ops if o[0] == "move"]
    assert move[1] != move[2]


def test_reorder_of_three_keeps_every_step_once() -> None:
    diffs = flow_diff(flow(SMS, VIBER, EMAIL), flow(EMAIL, SMS, VIBER))
    assert [d.op for d in diffs] == [StepOp.MOVE, StepOp.SAME, StepOp.SAME]
    assert (diffs[0].old_position, diffs[0].new_position) == (3, 1)


def test_a_step_on_another_channel_is_removed_and_added_not_changed() -> None:
    # Steps on different channels are different steps: "~ VIBER -> EMAIL" would misread.
    assert _ops((SMS, VIBER, EMAIL), (SMS, VOICE, PUSH)) == [
        ("same", 1, 1),
        ("remove", 2, None),
        ("remove", 3, None),
        ("add", None, 2),
        ("add", None, 3),
    ]


def test_longer_replacement_adds_the_rest() -> None:
    assert _ops((SMS,), (VOICE, PUSH)) == [("remove", 1, None), ("add", None, 1), ("add", None, 2)]


def test_senders_changed_among_replaced_steps_pair_by_channel() -> None:
    diffs = flow_diff(flow(SMS, VIBER, EMAIL), flow((SMS, "Other"), PUSH, (EMAIL, "x@example.com")))
    assert [(d.op.value, d.old_position, d.new_position) for d in diffs] == [
        ("change", 1, 1),
        ("remove", 2, None),
        ("add", None, 2),
        ("change", 3, 3),
    ]


def test_one_step_inserted_first_is_one_addition() -> None:
    assert _ops((SMS, VIBER, EMAIL, VOICE), (PUSH, SMS, VIBER, EMAIL, VOICE)) == [
        ("add", None, 1),
        ("same", 1, 2),
        ("same", 2, 3),
        ("same", 3, 4),
        ("same", 4, 5),
    ]


def test_the_middle_step_removed_is_one_removal() -> None:
    assert _ops((SMS, VIBER, EMAIL, VOICE), (SMS, EMAIL, VOICE)) == [
        ("same", 1, 1),
        ("remove", 2, None),
        ("same", 3, 2),
        ("same", 4, 3),
    ]


_STEPS = st.sampled_from(
    [step(SMS), step(VIBER), step(EMAIL), step(VOICE), step(PUSH), step(SMS, "Other")]
)


@given(st.lists(_STEPS, min_size=1, max_size=7), st.lists(_STEPS, min_size=1, max_size=7))
def test_every_step_of_both_flows_appears_once_in_the_new_order(
    before: list[Step], after: list[Step]
) -> None:
    diffs = flow_diff(before, after)
    assert [d.after for d in diffs if d.op is not StepOp.REMOVE] == after
    assert sorted(d.old_position for d in diffs if d.old_position is not None) == list(
        range(1, len(before) + 1)
    )
    for d in diffs:
        if d.old_position is not None:
            assert d.before == before[d.old_position - 1]
        if d.op is StepOp.CHANGE:
            assert d.before is not None
            assert d.after is not None
            assert d.before.channel == d.after.channel
            assert d.before.sender != d.after.sender
    same = sum(1 for d in diffs if d.op is StepOp.SAME)
    lcs = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    assert same == sum(block.size for block in lcs.get_matching_blocks())
