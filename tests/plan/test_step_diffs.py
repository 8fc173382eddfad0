"""Step diffs as a reviewer reads them: one line per inserted or removed step whatever its
position, moves shown as moves, a changed sender as ``~``; text, Markdown and JSON agree."""

from __future__ import annotations

import json
import re

from omni_sync.plan.changes import Plan
from omni_sync.plan.diff import make_plan
from omni_sync.plan.environment_plan import from_plan
from omni_sync.plan.render_json import render_json
from omni_sync.plan.render_markdown import render_markdown
from omni_sync.plan.render_text import render_plan
from tests.plan.factories import EMAIL, PUSH, SMS, VIBER, VOICE, desired, flow, remote, spec

FOUR = flow(SMS, VIBER, EMAIL, VOICE)
CASES = {
    "inserted": flow(PUSH, SMS, VIBER, EMAIL, VOICE),
    "removed": flow(SMS, EMAIL, VOICE),
    "moved": flow(VOICE, SMS, VIBER, EMAIL),
    "sender": flow(SMS, (VIBER, "3046"), EMAIL, VOICE),
    "replaced": flow(SMS, PUSH, EMAIL, VOICE),
}


def _plan() -> Plan:
    return make_plan(
        desired(*(spec(name, steps, default=name == "inserted") for name, steps in CASES.items())),
        [remote(f"K{name}", name, FOUR, default=name == "inserted") for name in CASES],
    )


def _text_symbols(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for block in re.findall(r'scenario "(\w+)" \{\n(.*?)\n    \}', text, re.S):
        name, body = block
        steps = re.search(r"flow    = \[\n(.*?)\n        \]", body, re.S)
        assert steps is not None
        found[name] = [line[10] for line in steps.group(1).splitlines()]
    return found


def _markdown_symbols(markdown: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, body in re.findall(r"</b> <code>(\w+)</code>.*?```diff\n(.*?)\n```", markdown, re.S):
        lines = body.splitlines()
        found[name] = [line[0] for line in lines[lines.index("  flow:") + 1 :]]
    return found


def _json_symbols(document: str) -> dict[str, list[str]]:
    (environment,) = json.loads(document)["environments"]
    return {
        change["name"]: [step["symbol"] for step in change["steps"]]
        for change in environment["changes"]
    }


def test_text_markdown_and_json_show_the_same_steps() -> None:
    plan = _plan()
    text = _text_symbols(render_plan(plan))
    markdown = _markdown_symbols(render_markdown([from_plan(plan)]))
    as_json = _json_symbols(render_json([from_plan(plan)]))
    assert text == markdown == as_json
    assert text == {
        "inserted": ["+", " ", " ", " ", " "],
        "removed": [" ", "-", " ", " "],
        "moved": ["~", " ", " ", " "],
        "sender": [" ", "~", " ", " "],
        "replaced": [" ", "-", "+", " ", " "],
    }


def test_one_inserted_step_is_one_added_line_in_markdown() -> None:
    markdown = render_markdown([from_plan(_plan())])
    assert "+   1. PUSH from app-1\n    2. SMS from Shop\n    3. VIBER from 3045\n" in markdown
    assert "-   2. VIBER from 3045\n    2. EMAIL from orders@example.com\n" in markdown
    assert "~   1. VOICE from 41793026727 (moved from step 4 to 1)\n" in markdown
    assert "~   2. VIBER from 3045 -> VIBER from 3046\n" in markdown


def test_removing_a_middle_step_is_one_removed_line_in_text() -> None:
    text = render_plan(_plan())
    removed = text[text.index('scenario "removed" {') :]
    removed = removed[: removed.index("\n    }")]
    assert '          - VIBER from "3045",\n' in removed
    assert "->" not in removed
