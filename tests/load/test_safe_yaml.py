from pathlib import Path

import pytest
import yaml

from omni_sync.source.safe_yaml import (
    Document,
    Position,
    YamlError,
    _located,
    load_file,
    loads,
    read_text,
)


def test_values_and_keys_are_located() -> None:
    document = loads("name: x\nflow:\n  - channel: SMS\n    from: Shop\n")
    assert document.data == {"name": "x", "flow": [{"channel": "SMS", "from": "Shop"}]}
    assert document.locate(("flow", 0, "from")) == Position(4, 11)
    assert document.locate(("flow", 0), key=True) == Position(3, 5)  # an item has no key
    assert document.locate(("flow",), key=True) == Position(2, 1)
    assert document.locate(("flow", 0, "from", "deeper")) == Position(4, 11)
    assert document.locate(("flow", 0, "from"), key=True) == Position(4, 5)
    assert document.locate(("nowhere",)) == Position(1, 1)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", 1),
        ("-7", -7),
        ("12.5", 12.5),
        ("1e3", 1000.0),
        ("+41793026727", "+41793026727"),
        ("0041793026727", "0041793026727"),
        ("yes", "yes"),
        ("off", "off"),
        ("True", True),
        ("FALSE", False),
        ("~", None),
        ("'12'", "12"),
        ("!!str 12", "12"),
        ("! 12", "12"),
        ("2024-01-01", "2024-01-01"),
        (".inf", ".inf"),
    ],
)
def test_scalars_follow_the_narrowed_core_schema(text: str, value: object) -> None:
    assert loads(f"v: {text}\n").data == {"v": value}


def test_tagged_string_keys_are_plain_keys() -> None:
    assert loads("!!str 1: a\n'<<': b\n").data == {"1": "a", "<<": "b"}


def test_empty_text_is_no_data() -> None:
    assert loads("# only a comment\n").data is None


@pytest.mark.parametrize(
    ("text", "position", "message"),
    [
        ("a: &x 1\nb: *x\n", (1, 4), "anchors (&x) are not allowed; repeat the value instead"),
        ("a: *x\n", (1, 4), "aliases (*x) are not allowed; repeat the value instead"),
        (
            "a: !!python/object:os.system x\n",
            (1, 4),
            "YAML tags (!!python/object:os.system) are not allowed on a value; write plain values",
        ),
        (
            "a: !!map {}\n",
            (1, 4),
            "YAML tags (!!map) are not allowed on a collection; write plain values",
        ),
        ("<<: {a: 1}\n", (1, 1), "merge keys (<<) are not allowed; write the keys out"),
        ("a: 1\na: 2\n", (2, 1), "duplicate key 'a'"),
        ("&k a: 1\n", (1, 1), "anchors (&k) are not allowed; repeat the value instead"),
        ("a:\n\tb: 1\n", (2, 1), "tab character in indentation; YAML indents with spaces only"),
        (
            "a: [1\n",
            (1, 4),
            "invalid YAML: did not find expected ',' or ']' at line 2, column 1, "
            "in a flow sequence that starts here",
        ),
        (
            "a\n---\nb\n",
            (2, 1),
            "several YAML documents (---) in one file; use one document, or a list",
        ),
        ("? [a]\n: 1\n", (1, 3), "a key must be a plain value, not a list or mapping"),
        ("[" * 70 + "]" * 70, (1, 65), "nested deeper than 64 levels"),
    ],
)
def test_tricks_and_mistakes_are_refused_with_a_place(
    text: str, position: tuple[int, int], message: str
) -> None:
    with pytest.raises(YamlError) as caught:
        loads(text)
    assert (caught.value.position.line, caught.value.position.column) == position
    assert caught.value.message == message


def test_huge_text_is_refused_before_parsing() -> None:
    with pytest.raises(YamlError, match="over the 1 MB limit"):
        loads("a: " + "x" * 2_000_000, max_bytes=1_048_576)


def test_files_over_the_limit_are_not_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: 1\n" * 1000)
    with pytest.raises(YamlError, match=r"file is 0\.0 MB, over the 0 MB limit"):
        load_file(path, max_bytes=100)


def _fifo(tmp_path: Path, content: bytes) -> Path:
    """A file whose size is 0 when read starts, then ``content``: one that grows while read."""
    import contextlib
    import os
    import threading

    path = tmp_path / "growing.yaml"
    os.mkfifo(path)

    def feed() -> None:
        with contextlib.suppress(BrokenPipeError), path.open("wb") as pipe:
            pipe.write(content)  # a reader that stops early closes the pipe

    threading.Thread(target=feed, daemon=True).start()
    return path


def test_a_file_that_grows_while_read_is_read_to_its_end(tmp_path: Path) -> None:
    assert read_text(_fifo(tmp_path, b"a: 1\n" * 30_000)) == "a: 1\n" * 30_000


def test_a_file_that_grows_past_the_limit_is_refused(tmp_path: Path) -> None:
    with pytest.raises(YamlError, match="over the 0 MB limit"):
        read_text(_fifo(tmp_path, b"a: 1\n" * 30_000), max_bytes=100)


def test_non_utf8_is_located(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(YamlError) as caught:
        read_text(path)
    assert caught.value.position == Position(2, 7)
    assert caught.value.message == "not UTF-8 text; save the file as UTF-8"


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffa: 1\n".encode())
    assert load_file(path).data == {"a": 1}


def test_reader_errors_become_yaml_errors() -> None:
    with pytest.raises(YamlError) as caught:
        loads("a: \x07\n")
    assert caught.value.message.startswith("invalid YAML")


def test_locating_in_an_empty_document_falls_back_to_the_start() -> None:
    assert Document().locate(("name",)) == Position(1, 1)


def test_an_error_without_a_mark_is_placed_at_the_start() -> None:
    error = _located(yaml.MarkedYAMLError(problem="odd"), "a: 1\n")
    assert (error.position, error.message) == (Position(1, 1), "invalid YAML: odd")


DEEP_TRICKS = [
    (
        "- flow:\n  - from: &a x\n",
        (2, 11),
        "anchors (&a) are not allowed; repeat the value instead",
    ),
    ("- flow:\n  - from: *a\n", (2, 11), "aliases (*a) are not allowed; repeat the value instead"),
    ("- flow:\n  - !!map {a: 1}\n", (2, 5), "YAML tags (!!map) are not allowed on a collection"),
    ("- flow:\n  - from: !!int 1\n", (2, 11), "YAML tags (!!int) are not allowed on a value"),
    ("- flow:\n  - [&b x]\n", (2, 6), "anchors (&b) are not allowed; repeat the value instead"),
    ("- flow:\n  - {<<: {a: 1}}\n", (2, 6), "merge keys (<<) are not allowed; write the keys out"),
    ("- flow:\n  - a: 1\n    a: 2\n", (3, 5), "duplicate key 'a'"),
    ("- flow:\n  - ? [k]\n    : v\n", (2, 7), "a key must be a plain value, not a list or mapping"),
    ("- a:\n  - " + "[" * 70 + "]" * 70, (2, 66), "nested deeper than 64 levels"),
]


@pytest.mark.parametrize(("text", "position", "message"), DEEP_TRICKS)
def test_tricks_below_the_located_levels_are_refused_at_their_place(
    text: str, position: tuple[int, int], message: str
) -> None:
    with pytest.raises(YamlError) as caught:
        loads(text)
    assert (caught.value.position.line, caught.value.position.column) == position
    assert caught.value.message.startswith(message)


NESTED = """\
- name: First
  default: true
  flow:
    - channel: SMS
      from: +41793026727
    - {channel: EMAIL, from: 'a@example.com', extra: [1, 2.5, -3, ~, yes, True, "x", !!str 7]}
- name: Second
  flow: [{channel: VIBER, from: "3045", notes: {deep: {deeper: [null, 0041, 1e3, '']}}}]
"""


def test_nested_values_follow_the_schema_at_every_depth() -> None:
    data = loads(NESTED).data
    assert data[0]["flow"][1]["extra"] == [1, 2.5, -3, None, "yes", True, "x", "7"]
    assert data[1]["flow"][0]["notes"] == {"deep": {"deeper": [None, "0041", 1000.0, ""]}}
    assert data[0]["flow"][0]["from"] == "+41793026727"


def test_every_position_is_kept_from_the_one_reading() -> None:
    document = loads(NESTED)
    assert document.locate((1,)) == Position(7, 3)
    assert document.locate((0, "flow", 1, "extra", 4)) == Position(6, 70)
    assert document.locate((1, "flow", 0, "notes"), key=True) == Position(8, 41)
