"""The quick reading of everyday files must read exactly as the YAML parser, or not at all."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from omni_sync.load import quick_yaml
from omni_sync.load.safe_yaml import YamlError, build_located, loads

EVERYDAY = """\
# Orders, in every environment
- name: Orders é 日本
  default: true
  flow:
  - channel: SMS
    from: "InfoSMS"   # the sender
  - {channel: EMAIL, from: a@example.com}
- name: 'Returns'
  renamed_from:
    - Old returns
  flow:
    - channel: VIBER
      from: 3045
    - channel: VOICE
      from: +41793026727
"""


def parser_reading(text: str) -> tuple[object, dict]:
    """What the YAML parser reads: the data and the positions loads keeps."""
    located = build_located(text)
    kept = {
        path: position
        for path, position in located.values.items()
        if not path or (len(path) == 1 and isinstance(located.data, list))
    }
    return located.data, kept


def test_everyday_files_are_read_quickly_and_exactly() -> None:
    text = EVERYDAY.replace("  - {channel: EMAIL, from: a@example.com}\n", "")
    quick = quick_yaml.read(text)
    assert quick is not None
    assert quick == parser_reading(text)
    assert quick[0][1]["flow"][0]["from"] == 3045  # type: ignore[index]
    assert quick[0][1]["flow"][1]["from"] == "+41793026727"  # type: ignore[index]


@pytest.mark.parametrize(
    "text",
    [
        EVERYDAY,  # a flow mapping
        "a: &x 1\n",
        "a: *x\n",
        "a: !!str 1\n",
        "a: 1\na: 2\n",
        "a:\n\tb: 1\n",
        "a: 1\r\n",
        "a: |\n  text\n",
        'a: "esc\\"aped"\n',
        "a: 'it''s'\n",
        "a: one\n  two\n",
        "---\na: 1\n",
        "a: 1\n...\n",
        "- \n  a: 1\n",
        "- - a\n",
        "  a: 1\n",
        "plain\n",
        "? a\n: 1\n",
        '"a": 1\n',
        "<<: {a: 1}\n",
        "a: 1\n- b\n",
        "a: b: c\n",
        "a: value#x\n",
        "a: [1, 2]\n",
        "a: -1\n",
        "a: \u00a0x\n",
        "a:\n    b: 1\n  c: 2\n",
    ],
)
def test_anything_else_is_left_to_the_parser(text: str) -> None:
    assert quick_yaml.read(text) is None


def test_loads_gives_the_parser_reading_of_an_everyday_file() -> None:
    text = "name: x\nflow:\n  - channel: SMS\n    from: '{{ x }}'\n"
    document = loads(text)
    assert document.data == yaml.safe_load(text)
    assert document.locate(()) == (1, 1)
    assert document.locate(("flow", 0, "from")) == (4, 11)  # read again, by the parser


KEYS = st.sampled_from(["name", "flow", "from", "channel", "default", "a_1", "true", "null"])
TEXT = st.text(st.sampled_from("abcXYZ019 _.-+@#:'\"\\/é日~!&*?%,[]{}|>=<"), max_size=10)
SCALARS = st.one_of(
    TEXT,
    st.sampled_from(["", "~", "null", "yes", "True", "12", "-3", "1.5e3", "+41", "0041", "..."]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6),
    st.integers(),
    st.booleans(),
    st.none(),
)
TREES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=14,
)


class Emitter:
    """Block YAML written by hand, each choice drawn: plain, quoted or dumped scalars (raw, so
    often not what they meant, which is the point), compact or indented lists, odd spacing."""

    def __init__(self, data: st.DataObject, unit: int) -> None:
        self.draw = data.draw
        self.unit = unit

    def scalar(self, value: object) -> str:
        style = self.draw(st.sampled_from(["plain", "double", "single", "dumped"]))
        text = "" if value is None else str(value)
        if style == "double":
            return f'"{text}"'
        if style == "single":
            return f"'{text}'"
        if style == "dumped":
            return yaml.safe_dump(value, allow_unicode=True, width=1000).split("\n")[0]
        return text

    def mapping(self, tree: dict[str, object], column: int) -> list[str]:
        lines = []
        for key, value in tree.items():
            gap = self.draw(st.sampled_from([" ", " ", "  "]))
            if isinstance(value, dict) and value:
                lines += [f"{' ' * column}{key}:", *self.mapping(value, column + self.unit)]
            elif isinstance(value, list) and value:
                inner = column + self.draw(st.sampled_from([0, self.unit]))
                lines += [f"{' ' * column}{key}:", *self.sequence(value, inner)]
            elif isinstance(value, dict | list):
                lines.append(f"{' ' * column}{key}:")
            else:
                lines.append(f"{' ' * column}{key}:{gap}{self.scalar(value)}")
        return lines

    def sequence(self, tree: list[object], column: int) -> list[str]:
        lines = []
        for item in tree:
            dash = " " * column + self.draw(st.sampled_from(["- ", "- ", "-  "]))
            if isinstance(item, dict) and item:
                nested = self.mapping(item, len(dash))
                lines += [dash + nested[0].lstrip(" "), *nested[1:]]
            elif isinstance(item, list) and item:
                lines += [dash.rstrip(), *self.sequence(item, column + self.unit)]
            else:
                lines.append(dash + self.scalar(item if not isinstance(item, dict | list) else ""))
        return lines


@settings(max_examples=500, deadline=None)
@given(tree=TREES, unit=st.sampled_from([2, 4]), data=st.data())
def test_what_is_read_quickly_reads_as_the_parser_reads_it(
    tree: object, unit: int, data: st.DataObject
) -> None:
    emitter = Emitter(data, unit)
    if isinstance(tree, dict):
        lines = emitter.mapping(tree, 0)
    elif isinstance(tree, list):
        lines = emitter.sequence(tree, 0)
    else:
        lines = [emitter.scalar(tree)]
    for _ in range(data.draw(st.integers(0, 2))):
        where = data.draw(st.integers(0, len(lines)))
        lines.insert(where, data.draw(st.sampled_from(["", "# c", "  # c", "   ", "x", "  - y"])))
    text = "\n".join(lines) + data.draw(st.sampled_from(["\n", "", "\n\n"]))
    quick = quick_yaml.read(text)
    try:
        expected = parser_reading(text)
    except YamlError:
        assert quick is None, "the parser refuses it, so must the quick reading"
        return
    if quick is not None:
        assert quick == expected
