"""Whatever sender an account holds, the file import writes reads back as the same text: import
followed by plan finds nothing to change."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from omni_sync.adopt.files import Layout, scenario_files, write
from omni_sync.load.project import load_project
from omni_sync.load.scenarios import load_desired
from omni_sync.model.scenario import Channel, RemoteScenario, Step
from omni_sync.plan.diff import make_plan

TRICKY = [
    "1e3",
    "1E3",
    "1e-3",
    "0012",
    "+41793026727",
    "41793026727",
    "3044.50",
    "-5",
    "0",
    "yes",
    "no",
    "on",
    "off",
    "true",
    "False",
    "null",
    "~",
    "Null",
    ".inf",
    "-.inf",
    ".nan",
    "1_000",
    "2024-01-01",
    "2024-01-01T10:00:00Z",
    "0x1F",
    "0o17",
    "12:30",
    "1:20:30",
    "- x",
    "a: b",
    "#x",
    "x #y",
    "'q'",
    '"q"',
    "[1]",
    "{a}",
    "@at",
    "`b",
    "%p",
    "!t",
    "&a",
    "*a",
    "|",
    ">",
    "? q",
    "Shop",
    "-",
    "--- x",
    "...",
    "1.",
    ".5",
    "+.5",
    "1e+3",
    "0.0",
    "-0",
]
numbers = st.one_of(
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.from_regex(r"\A[-+]?[0-9_]{0,4}\.?[0-9_]{0,4}([eE][-+]?[0-9]{1,3})?\Z"),
)
senders = st.one_of(st.sampled_from(TRICKY), numbers).filter(lambda s: s == s.strip() and s)


@settings(max_examples=60, deadline=None)
@given(st.lists(senders, min_size=1, max_size=6, unique=True))
def test_import_then_plan_shows_no_changes(chosen: list[str]) -> None:
    remote = [
        RemoteScenario(
            key=f"K{index}",
            name=f"S{index}",
            flow=(Step(channel=Channel.VIBER, sender=sender),),
            default=index == 0,
        )
        for index, sender in enumerate(chosen)
    ]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for layout in Layout:
            write(root, scenario_files("local", remote, layout))
            project = load_project(root)
            desired = load_desired(project, project.environments["local"])
            read = {item.spec.name: item.spec.flow[0].sender for item in desired.scenarios}
            assert read == {item.name: item.flow[0].sender for item in remote}
            assert not make_plan(desired, remote).changes
            for path in (root / "scenarios.d").rglob("*.yaml"):
                path.unlink()
