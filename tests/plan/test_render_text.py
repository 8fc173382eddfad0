from __future__ import annotations

from omni_sync.model.scenario import Channel
from omni_sync.plan.diff import make_plan
from omni_sync.plan.render_text import render_plan, symbols_used
from tests.plan.factories import desired, flow, remote, spec
from tests.snapshots import assert_snapshot

SMS, VIBER, EMAIL, VOICE = Channel.SMS, Channel.VIBER, Channel.EMAIL, Channel.VOICE


def _mixed_plan():  # type: ignore[no-untyped-def]
    return make_plan(
        desired(
            spec("Order updates", flow(SMS, (VIBER, "3046")), default=True),
            spec("Alerts", flow(VOICE, SMS), renamed_from=("Old alerts",)),
            spec('Promo "spring"', flow(EMAIL)),
        ),
        [
            remote("AD9E01A5DC7BEE2C2B828D208182A611", "Order updates", flow(SMS, VIBER, VOICE)),
            remote("11111111111111111111111111111111", "Old alerts", flow(SMS, VOICE)),
            remote("22222222222222222222222222222222", "Portal", default=True),
        ],
    )


def test_snapshot_of_a_mixed_plan() -> None:
    assert_snapshot("text_mixed.txt", render_plan(_mixed_plan()))


def test_summary_and_legend_of_only_the_symbols_used() -> None:
    text = render_plan(_mixed_plan())
    assert "Plan: 1 to add, 2 to change, 0 to destroy." in text
    assert "  + create\n  ~ update in place\n  - remove (a step of a flow)\n" in text
    only_creates = make_plan(desired(spec("A", default=True)), [])
    assert symbols_used(only_creates) == ["+"]
    legend = render_plan(only_creates)
    assert "  + create\n" in legend
    assert "update in place" not in legend


def test_rename_move_change_and_cleared_default_are_shown() -> None:
    text = render_plan(_mixed_plan())
    assert '# scenario "Alerts" (11111111111111111111111111111111) will be updated in place' in text
    assert '(renamed from "Old alerts")' in text
    assert '~ name    = "Old alerts" -> "Alerts"' in text
    assert '~ VOICE from "41793026727" (moved from step 2 to 1)' in text
    assert '~ VIBER from "3045" -> VIBER from "3046"' in text
    assert '- VOICE from "41793026727"' in text
    assert "~ default = false -> true" in text
    assert 'scenario "Portal" (22222222222222222222222222222222) stops being the default' in text
    assert '"Portal" (22222222222222222222222222222222, the default)' in text


def test_managed_old_default_update_marks_its_flag_cleared_by_the_service() -> None:
    plan = make_plan(
        desired(spec("A", default=True), spec("B", flow(EMAIL))),
        [remote("KA", "A"), remote("KB", "B", default=True)],
    )
    text = render_plan(plan)
    assert "~ default = true -> false (cleared by the service)" in text
    assert "stops being the default" not in text


def test_no_changes_sentence() -> None:
    text = render_plan(
        make_plan(desired(spec("A", default=True)), [remote("K", "A", default=True)])
    )
    assert text == "No changes. Your scenarios match the configuration.\n"


def test_no_colour_unless_asked() -> None:
    plan = _mixed_plan()
    assert "\x1b[" not in render_plan(plan)
    coloured = render_plan(plan, color=True)
    assert "\x1b[32m" in coloured
    assert "\x1b[33m" in coloured
    assert "\x1b[31m" in coloured
