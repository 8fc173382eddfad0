"""A file read once and filled in per environment must read exactly as its rendering does."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omni_sync.load.rendering import render_source
from omni_sync.load.safe_yaml import Document, YamlError, loads
from omni_sync.load.template_data import fill as fill_once


def fill(source: str, rendered: str, scope: dict[str, object]) -> Document | None:
    """As for a second environment: the first reading of a file is always a plain one."""
    fill_once(source, rendered, scope)
    return fill_once(source, rendered, scope)


FILE = """\
name: "Orders {{ env.name }}"
default: true
flow:
  - channel: SMS
    from: "{{ vars.sender }}"
  - {channel: EMAIL, from: 'orders@{{ vars.domain }}'}
"""


def context(**values: object) -> dict[str, object]:
    return {"vars": values, "env": {"name": "prod"}}


def same_as_rendered(source: str, values: dict[str, object]) -> bool:
    """Fills in when it can; whenever it does, the result reads exactly as the rendering."""
    scope = context(**values)
    rendered = render_source(source, "f.yaml", scope)
    filled = fill(source, rendered, scope)
    if filled is None:
        return False
    document = loads(rendered)
    assert filled.data == document.data
    for path in [(), *((key,) for key in (document.data or {}))]:
        assert filled.locate(path) == document.locate(path)
    assert filled.values == document.values  # asks for every position: read from the rendering
    assert filled.keys == document.keys
    return True


def test_a_typical_file_is_filled_in_and_reads_as_its_rendering() -> None:
    assert same_as_rendered(FILE, {"sender": "Shop01", "domain": "example.com"})
    assert same_as_rendered(FILE, {"sender": 41793026727, "domain": "é.example"})


def test_a_file_read_for_one_environment_is_read_plainly() -> None:
    source = FILE.replace("Orders", "Returns")
    scope = context(sender="A", domain="a.ch")
    rendered = render_source(source, "f", scope)
    assert fill_once(source, rendered, scope) is None
    assert fill_once(source, rendered, scope) is not None


def test_environments_share_one_reading_but_not_their_values() -> None:
    one, two = context(sender="A", domain="a.ch"), context(sender="B", domain="b.ch")
    first = fill(FILE, render_source(FILE, "f", one), one)
    second = fill(FILE, render_source(FILE, "f", two), two)
    assert first is not None
    assert second is not None
    assert first.data["flow"][0]["from"] == "A"
    assert second.data["flow"][0]["from"] == "B"
    assert first.data["flow"][1]["from"] == "orders@a.ch"


@pytest.mark.parametrize(
    ("source", "values"),
    [
        ('from: "{{ vars.x }}"\n', {"x": 'say "hi"'}),
        ('from: "{{ vars.x }}"\n', {"x": "back\\slash"}),
        ("from: '{{ vars.x }}'\n", {"x": "it's"}),
        ('from: "{{ vars.x }}"\n', {"x": "two\nlines"}),
        ('from: "{{ vars.x }}"\n', {"x": "bell\x07"}),
        ("from: x{{ vars.x }}\n", {"x": "1"}),
        ('"{{ vars.x }}": 1\n', {"x": "key"}),
        ("a: 1 # {{ vars.x }}\n", {"x": "\nb: 2"}),
        ('from: "a\\t{{ vars.x }}"\n', {"x": "y"}),
        ('from: "a\n  {{ vars.x }}"\n', {"x": "y"}),
        ('from: "{{ vars.x }}"\nfrom: 2\n', {"x": "y"}),
        ('from: "{% if true %}{{ vars.x }}{% endif %}"\n', {"x": "y"}),
    ],
)
def test_anything_a_value_could_change_is_read_from_the_rendering(
    source: str, values: dict[str, object]
) -> None:
    scope = context(**values)
    rendered = render_source(source, "f.yaml", scope)
    assert fill(source, rendered, scope) is None


def test_a_value_before_a_top_level_position_leaves_it_to_the_rendering() -> None:
    source = '[{a: "{{ vars.x }}"}, {b: 1}]\n'
    scope = context(x="a much longer value")
    rendered = render_source(source, "f.yaml", scope)
    filled = fill(source, rendered, scope)
    assert filled is not None
    assert filled.locate((1,)) == loads(rendered).locate((1,))


PIECES = st.sampled_from(
    [
        'name: "{{ vars.a }}"\n',
        "name: '{{ vars.b }} and {{ env.name }}'\n",
        "name: plain {{ vars.a }}\n",
        '"{{ vars.a }}": key\n',
        "# comment {{ vars.b }}\n",
        "list:\n  - '{{ vars.a }}'\n  - \"x{{ vars.b }}y\"\n",
        "flow: [{from: \"{{ vars.a }}\"}, {to: '{{ vars.b }}'}]\n",
        'multi: "one\n  {{ vars.a }}"\n',
        "n: 12\n",
        "e: '{{ vars.a }}''s'\n",
        'd: "\\u00e9{{ vars.b }}"\n',
        "- a\n",
        "other: [1, 2]\n",
    ]
)
VALUES = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8
) | st.sampled_from(["'", '"', "\\", "a: b", "#x", "&x", "*x", "!x", "1", "+41", "yes", " "])


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(PIECES, min_size=1, max_size=4, unique=True), a=VALUES, b=VALUES)
def test_filling_in_reads_as_rendering_for_any_file_and_values(
    pieces: list[str], a: str, b: str
) -> None:
    source = "".join(pieces)
    scope = context(a=a, b=b)
    rendered = render_source(source, "f.yaml", scope)
    try:
        document = loads(rendered)
    except YamlError:
        assert fill(source, rendered, scope) is None, "a rendering that does not read is read"
        return
    filled = fill(source, rendered, scope)
    if filled is not None:
        assert filled.data == document.data
        assert filled.values == document.values
