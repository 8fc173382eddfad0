from __future__ import annotations

from omni_sync.model.scenario import Channel
from omni_sync.plan.changes import StepOp
from omni_sync.plan.fields import differing_fields, flow_diff
from tests.plan.factories import flow, remote, spec

SMS, VIBER, EMAIL, VOICE, PUSH = (
    Channel.SMS,
    Channel.VIBER,
    Channel.EMAIL,
    Channel.VOICE,
    Channel.PUSH,
)


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


def test_replacing_two_steps_pairs_them_as_changes() -> None:
    assert _ops((SMS, VIBER, EMAIL), (SMS, VOICE, PUSH)) == [
        ("same", 1, 1),
        ("change", 2, 2),
        ("change", 3, 3),
    ]


def test_longer_replacement_adds_the_rest() -> None:
    assert _ops((SMS,), (VOICE, PUSH)) == [("change", 1, 1), ("add", None, 2)]
