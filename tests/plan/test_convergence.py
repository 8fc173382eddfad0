"""Properties of the planner over generated accounts: order-independent, ordered in phases, and
applying a plan the way the service behaves leaves nothing to do."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from omni_sync.model.desired import DesiredState
from omni_sync.model.scenario import Channel, RemoteScenario
from omni_sync.plan.changes import Action, Plan
from omni_sync.plan.diff import make_plan
from tests.plan.factories import desired, flow, remote, spec

NAMES = ["a", "b", "c", "d", "e"]
CHANNELS = [Channel.SMS, Channel.VIBER, Channel.EMAIL]
flows = st.lists(st.sampled_from(CHANNELS), min_size=1, max_size=3).map(lambda cs: flow(*cs))


@st.composite
def states(draw: st.DrawFn) -> tuple[DesiredState, list[RemoteScenario]]:
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
    default = draw(st.sampled_from(names))
    renames = {n: draw(st.sampled_from(["", *(f"old-{n}",)])) for n in names}
    specs = [
        spec(n, draw(flows), default=n == default, renamed_from=(renames[n],) if renames[n] else ())
        for n in names
    ]
    upstream_names = draw(
        st.lists(st.sampled_from(NAMES + [f"old-{n}" for n in NAMES]), max_size=5, unique=True)
    )
    upstream_names = [
        n for n in upstream_names if not (n.startswith("old-") and n[4:] in upstream_names)
    ]
    upstream_default = draw(st.sampled_from([None, *upstream_names]))
    actual = [
        remote(f"K{i:02d}", n, draw(flows), default=n == upstream_default)
        for i, n in enumerate(upstream_names)
    ]
    return desired(*specs), actual


def _apply_like_the_service(plan: Plan, actual: list[RemoteScenario]) -> list[RemoteScenario]:
    account = {r.key: r for r in actual}
    keys = (f"N{i:02d}" for i in itertools.count())
    for change in plan.changes:
        key = next(keys) if change.action is Action.CREATE else change.key
        assert key is not None
        if change.spec.default:
            account = {k: r.model_copy(update={"default": False}) for k, r in account.items()}
        account[key] = RemoteScenario(
            key=key, name=change.spec.name, flow=change.spec.flow, default=change.spec.default
        )
    return list(account.values())


@settings(max_examples=150, deadline=None)
@given(states())
def test_applying_the_plan_converges(state: tuple[DesiredState, list[RemoteScenario]]) -> None:
    wanted, actual = state
    plan = make_plan(wanted, actual)
    after = _apply_like_the_service(plan, actual)
    again = make_plan(wanted, after)
    assert again.changes == ()
    assert sum(r.default for r in after) == 1


@settings(max_examples=100, deadline=None)
@given(states(), st.randoms(use_true_random=False))
def test_plan_does_not_depend_on_listing_order(
    state: tuple[DesiredState, list[RemoteScenario]], rng: object
) -> None:
    wanted, actual = state
    shuffled = list(actual)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    assert make_plan(wanted, actual) == make_plan(wanted, shuffled)


@settings(max_examples=100, deadline=None)
@given(states())
def test_changes_come_in_phases(state: tuple[DesiredState, list[RemoteScenario]]) -> None:
    plan = make_plan(*state)
    phases = [
        1 if c.promotes_default else (0 if c.action is Action.CREATE else 2) for c in plan.changes
    ]
    assert phases == sorted(phases)
    assert sum(c.promotes_default for c in plan.changes) <= 1
