"""fmt over generated scenario files: formatting twice changes nothing, and a formatted file
renders, through omni-sync's own loader, to the same scenarios in every environment."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omni_sync.errors import ProblemsFound
from omni_sync.formatting.layout import NotFormattable, format_text
from omni_sync.load.project import load_project
from omni_sync.load.scenarios import load_desired
from omni_sync.model.scenario import ScenarioSpec

CONFIG = """environments:
  dev:
    vars: {sender: ShopDev, domain: dev.example.com, viber: "0042"}
  prod:
    vars: {sender: "+41793026727", domain: example.com, viber: "3046"}
"""
SENDERS = {
    "SMS": ["Shop", "{{ vars.sender }}", "+41793026727", "0041793026727", "Shop 24"],
    "VIBER": ["3045", "0042", "{{ vars.viber }}", "1e3", "true", "null", "a: b"],
    "EMAIL": ["orders@example.com", "orders@{{ vars.domain }}", "Shop <news@example.com>"],
    "VOICE": ["41793026727", "+41793026727"],
}
NAMES = ["Order updates", "OTP", "Promo: spring", "#1 alerts", "It's fine", 'say "hi"', "yes"]


def _quoted(text: str, style: str) -> str:
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    if style == "double":
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


@st.composite
def _scalar(draw: st.DrawFn, text: str) -> str:
    return _quoted(text, draw(st.sampled_from(["plain", "single", "double"])))


@st.composite
def _step(draw: st.DrawFn, indent: str) -> str:
    channel = draw(st.sampled_from(sorted(SENDERS)))
    sender = draw(_scalar(draw(st.sampled_from(SENDERS[channel]))))
    pairs = [f"channel: {draw(_scalar(channel))}", f"from: {sender}"]
    if draw(st.booleans()):
        pairs.reverse()
    if draw(st.booleans()):
        return f"{indent}- {{{', '.join(pairs)}}}"
    comment = draw(st.sampled_from(["", "  # a step"]))
    return f"{indent}- {pairs[0]}{comment}\n{indent}  {pairs[1]}"


def _names_list(draw: st.DrawFn, key: str, names: list[str]) -> str:
    items = [draw(_scalar(name)) for name in names]
    if draw(st.booleans()):
        return f"{key}: [{', '.join(items)}]"
    return f"{key}:\n" + "".join(f"  - {item}\n" for item in items).rstrip("\n")


@st.composite
def _scenario(draw: st.DrawFn, name: str, first: bool) -> list[str]:
    """One scenario's top-level entries (each one or more lines), in a random order. The first
    scenario of a file is every environment's default, so most files load cleanly."""
    entries = [f"name: {draw(_scalar(name))}"]
    if first:
        entries.append(f"default: {draw(st.sampled_from(['true', 'True', 'TRUE']))}")
    elif draw(st.booleans()):
        entries.append(f"default: {draw(st.sampled_from(['false', 'False', 'FALSE']))}")
    if not first and draw(st.booleans()):
        chosen = draw(st.lists(st.sampled_from(["dev", "prod"]), min_size=1, unique=True))
        entries.append(_names_list(draw, "environments", chosen))
    if draw(st.booleans()):
        entries.append(_names_list(draw, "renamed_from", [f"Old {name}"]))
    if draw(st.booleans()):
        entries.append(f"key: {draw(_scalar('AD9E01A5DC7BEE2C2B828D208182A611'))}")
    steps = draw(st.lists(_step(draw(st.sampled_from(["", "  "]))), min_size=1, max_size=3))
    entries.append("flow:" + draw(st.sampled_from(["", "  # the steps"])) + "\n" + "\n".join(steps))
    return draw(st.permutations(entries))


@st.composite
def scenario_files(draw: st.DrawFn) -> str:
    header = draw(st.sampled_from(["", "# a scenario file\n"]))
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=2, unique=True))
    scenarios = [draw(_scenario(name, index == 0)) for index, name in enumerate(names)]
    if len(scenarios) == 1 and draw(st.booleans()):
        return header + "\n".join(scenarios[0]) + "\n"
    items = []
    for entries in scenarios:
        lines = "\n".join(entries).splitlines()
        items.append("- " + "\n".join([lines[0], *("  " + line for line in lines[1:])]))
    return header + "\n".join(items) + "\n"


def _rendered(text: str) -> dict[str, list[ScenarioSpec] | str]:
    """Each environment's scenarios as the loader makes them, or its problems."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "omni-sync.yaml").write_text(CONFIG)
        (root / "scenarios.d").mkdir()
        (root / "scenarios.d" / "file.yaml").write_text(text)
        project = load_project(root)
        out: dict[str, list[ScenarioSpec] | str] = {}
        for name, environment in project.environments.items():
            try:
                desired = load_desired(project, environment)
            except ProblemsFound as exc:
                # Lines move when keys are reordered: compare what is wrong, not where.
                messages = (re.sub(r"file\.yaml:\d+", "", p.message) for p in exc.problems)
                out[name] = "; ".join(sorted(messages))
                continue
            out[name] = [item.spec for item in desired.scenarios]
        return out


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario_files())
def test_fmt_is_idempotent_and_keeps_what_every_environment_renders(text: str) -> None:
    try:
        formatted = format_text(text)
    except NotFormattable:
        return
    assert format_text(formatted) == formatted
    assert _rendered(formatted) == _rendered(text)


def test_the_generator_makes_files_fmt_formats_and_the_loader_reads() -> None:
    """Guards the property above against a generator whose files fmt always refuses, or that
    never load: then the comparison would prove nothing."""
    loaded = 0

    @settings(max_examples=100, deadline=None, database=None)
    @given(scenario_files())
    def count(text: str) -> None:
        nonlocal loaded
        try:
            format_text(text)
        except NotFormattable:
            return
        loaded += any(isinstance(specs, list) for specs in _rendered(text).values())

    count()
    assert loaded >= 25
