"""The one YAML reader against libyaml's own composer (``yaml.compose``) on generated files:
every file it accepts reads to the same values with every position where the composer puts it;
every file it refuses is refused with a place inside the text and a one-line message, never a
traceback; nothing the composer refuses is accepted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omni_sync.cli import cli
from omni_sync.errors import ConfigError
from omni_sync.source.safe_yaml import Document, Position, YamlError, YamlPath, loads, resolve_plain
from tests.load.helpers import write

SCALARS = st.one_of(
    st.sampled_from(
        [
            "",
            "1",
            "-7",
            "1e3",
            "0012",
            "+41",
            "yes",
            "null",
            "~",
            "true",
            "a: b",
            "- x",
            "#",
            "x #y",
            "'",
            '"',
            "{",
            "[",
            "]",
            "}",
            ",",
            "&a",
            "*a",
            "!t",
            "<<",
            "? q",
            "\t",
            "é",
            "\u2028",
            "line\nbreak",
            "  lead",
            "trail  ",
            "%",
            "@",
            "`",
            "|",
            ">",
            "\\",
            "...",
        ]
    ),
    st.text(max_size=8),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.none(),
)
KEYS = st.one_of(
    st.sampled_from(["name", "flow", "from", "1", "<<", "a b", ""]), st.text(max_size=5)
)
DATA = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=12,
)
MUTATIONS = st.lists(
    st.tuples(
        st.floats(0, 1),
        st.sampled_from(["insert", "delete", "replace"]),
        st.sampled_from([*"{}[],:-?#&*!|>'\"\\%@` \t\n", "---", "...", "<<: ", "&a ", "*a"]),
    ),
    max_size=3,
)


def _dumped(data: Any, style: bool | None, width: int) -> str:
    return yaml.safe_dump(data, default_flow_style=style, width=width, allow_unicode=True)


def _mutated(text: str, mutations: list[tuple[float, str, str]]) -> str:
    for where, how, what in mutations:
        at = int(where * len(text))
        if how == "insert":
            text = text[:at] + what + text[at:]
        elif how == "delete":
            text = text[:at] + text[at + len(what) :]
        else:
            text = text[:at] + what + text[at + 1 :]
    return text


def _expected(text: str, node: yaml.Node, path: YamlPath, places: dict[Any, Position]) -> Any:
    """The composer's node as the reader should give it: untagged plain scalars resolved by the
    narrowed schema, the rest as text, keys as text; every value's and key's place recorded."""
    places[(path, False)] = Position(node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.ScalarNode):
        tagged = text[node.start_mark.index : node.start_mark.index + 1] == "!"
        return node.value if node.style or tagged else resolve_plain(node.value)
    if isinstance(node, yaml.SequenceNode):
        return [_expected(text, item, (*path, i), places) for i, item in enumerate(node.value)]
    result = {}
    for key, value in node.value:
        places[((*path, key.value), True)] = Position(
            key.start_mark.line + 1, key.start_mark.column + 1
        )
        result[key.value] = _expected(text, value, (*path, key.value), places)
    return result


def _composed(text: str) -> yaml.Node | Exception | None:
    try:
        return yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError as exc:
        return exc


def _check(text: str) -> None:
    composed = _composed(text)
    try:
        document = loads(text)
    except YamlError as exc:
        refused = exc
    else:
        refused = None
    if refused is not None:
        # libyaml also breaks lines at U+0085, U+2028 and U+2029, which splitlines counts
        assert 1 <= refused.position.line <= len(text.splitlines()) + 2
        assert refused.position.column >= 1
        assert refused.message
        assert "\n" not in refused.message
        return
    assert not isinstance(composed, Exception), f"accepted what libyaml refuses: {composed}"
    if composed is None:
        assert document.data is None
        return
    places: dict[Any, Position] = {}
    assert document.data == _expected(text, composed, (), places)
    for (path, key), position in places.items():
        assert document.locate(path, key=key) == position, (path, key)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DATA, st.sampled_from([False, True, None]), st.sampled_from([20, 80, 1000]), MUTATIONS)
def test_the_reader_agrees_with_the_composer(
    data: Any, style: bool | None, width: int, mutations: list[tuple[float, str, str]]
) -> None:
    _check(_mutated(_dumped(data, style, width), mutations))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"ab:-[]{},#&*!?|>'\" \n\t", "\r\n"]), max_size=40).map("".join))
def test_the_reader_agrees_with_the_composer_on_any_text(text: str) -> None:
    _check(text)


def test_an_unclosed_flow_mapping_is_placed_at_its_brace() -> None:
    with pytest.raises(YamlError) as caught:
        loads("name: A\nflow:\n  - {channel: SMS, from: Shop\n  - {channel: EMAIL}\n")
    assert caught.value.position == Position(3, 5)
    assert caught.value.message == (
        "invalid YAML: did not find expected ',' or '}' at line 4, column 5, "
        "in a flow mapping that starts here"
    )


def _validate(root: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["-C", str(root), "validate"])
    return result.exit_code, result.stdout + result.stderr


LONG_KEY = "k" * 1100


def test_a_key_longer_than_libyaml_allows_is_a_located_problem(repo: Path) -> None:
    text = f"name: A\ndefault: true\nflow:\n  - channel: SMS\n    from: Shop\n    {LONG_KEY}: 1\n"
    write(repo, "scenarios.d/a.yaml", text)
    code, output = _validate(repo)
    assert code == 1
    assert output.startswith("scenarios.d/a.yaml:6:")
    assert "invalid YAML" in output
    assert "Traceback" not in output
    assert "bug" not in output


def test_a_long_key_in_the_config_vars_is_refused_too(repo: Path) -> None:
    write(repo, "omni-sync.yaml", f"environments:\n  dev:\n    vars:\n      {LONG_KEY}: 1\n")
    code, output = _validate(repo)
    assert code == 1
    assert output.startswith("omni-sync.yaml:4:")
    assert "invalid YAML" in output


def test_libyaml_is_required(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(yaml, "CBaseLoader")
    with pytest.raises(ConfigError, match="PyYAML is installed without libyaml"):
        loads("a: 1\n")
    write(repo, "omni-sync.yaml", "environments:\n  dev:\n")
    code, output = _validate(repo)
    assert (code, output.count("\n")) == (1, 1)
    assert "reinstall it from a wheel" in output


def test_an_empty_document_locates_at_the_start() -> None:
    assert Document().locate(("a", 1)) == Position(1, 1)
    assert loads("").locate(()) == Position(1, 1)
