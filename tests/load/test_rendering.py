import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omni_sync.errors import ProblemsFound
from omni_sync.load.rendering import render_source, used_in_source
from omni_sync.source.templating import compile_template, render

VALUES = st.one_of(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r{}"),
        max_size=20,
    ),
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
)


@given(value=VALUES, prefix=st.sampled_from(["", "a: ", "x\n  from: '", "{{vars.v}}-"]))
def test_substitution_prints_exactly_what_jinja_prints(value: object, prefix: str) -> None:
    source = f"{prefix}{{{{ vars.v }}}} {{{{env.name}}}}\n"
    context = {"vars": {"v": value}, "env": {"name": "dev"}}
    expected = render(compile_template(source, "f.yaml"), context)
    assert render_source(source, "f.yaml", context) == expected


@pytest.mark.parametrize(
    "source",
    [
        "{% if true %}a{% endif %}",
        "{{ vars.v | upper }}",
        "{{ vars.items }}",
        "a\r\n{{ vars.v }}",
        "{# note #}{{ vars.v }}",
    ],
)
def test_anything_else_goes_through_jinja(source: str) -> None:
    context = {"vars": {"v": "x", "items": "shadowed"}, "env": {"name": "dev"}}
    assert render_source(source, "f.yaml", context) == render(
        compile_template(source, "f.yaml"), context
    )


def test_a_missing_variable_is_located_by_jinja() -> None:
    with pytest.raises(ProblemsFound) as caught:
        render_source(
            "a: 1\nb: {{ vars.nope }}\n", "f.yaml", {"vars": {}, "env": {}}, environment="dev"
        )
    assert [str(p) for p in caught.value.problems] == [
        "f.yaml:2:7: undefined variable vars.nope [dev]"
    ]


def test_variables_in_simple_and_full_templates() -> None:
    assert used_in_source(
        "a: {{ vars.a }}\nb: {{ vars.b }} {{ vars.a }} {{ env.name }} {{ vars.keys }}"
    ) == {"a", "b"}
    assert used_in_source("{% if vars.c %}{{ vars.d | upper }}{% endif %}") == {"c", "d"}
    assert used_in_source("{% if vars.c %}") == set()  # does not parse: validate says why


PIECES = st.sampled_from(
    [
        "{{ vars.v }}",
        "{{vars.w}}",
        "{{  env.name }}",
        "{{ vars.missing }}",
        "{{ vars.items }}",
        "{",
        "}",
        "{{",
        "}}",
        "{%",
        "%}",
        "{#",
        "#}",
        "%",
        "#",
        "-",
        "+",
        " ",
        "\n",
        "\r",
        "\t",
        "a",
        "vars.v",
        "'",
        '"',
        "\\",
        "{{-",
        "-}}",
        "{{ vars.v -}}",
        "{%- raw %}",
        "{% endraw %}",
    ]
)
CONTEXTS = st.fixed_dictionaries(
    {
        "vars": st.fixed_dictionaries({"v": VALUES, "w": VALUES}),
        "env": st.fixed_dictionaries({"name": st.sampled_from(["dev", "{{ x }}", ""])}),
    }
)


def _jinja(source: str, context: dict[str, object]) -> str | None:
    try:
        return render(compile_template(source, "f.yaml"), context)
    except ProblemsFound:
        return None


def _rendered(source: str, context: dict[str, object]) -> str | None:
    try:
        return render_source(source, "f.yaml", context)
    except ProblemsFound:
        return None


@settings(max_examples=1000, deadline=None)
@given(st.lists(PIECES, max_size=12).map("".join), CONTEXTS)
def test_every_file_renders_exactly_as_the_sandboxed_jinja(source: str, context: dict) -> None:
    """The substitution shortcut against Jinja itself: same text, or both refuse."""
    assert _rendered(source, context) == _jinja(source, context)


@pytest.mark.parametrize("source", ["{{{ vars.v }}}", "a: {{{ vars.v }}\n", "{{ vars.v }}}}}"])
def test_braces_around_a_placeholder_are_read_as_jinja_reads_them(source: str) -> None:
    context = {"vars": {"v": "X"}, "env": {"name": "dev"}}
    assert _rendered(source, context) == _jinja(source, context)
    assert _jinja("{{{ vars.v }}}", context) is None  # a syntax error, as Jinja says


DYNAMIC_PIECES = st.one_of(
    PIECES, st.sampled_from(["{{ vars[env.name] }}", "{{ vars.get('v') }}", "{{ vars }}"])
)


class _Recording(dict[str, object]):
    """vars that remember each name Jinja looks up in them."""

    def __init__(self, names: set[str]) -> None:
        super().__init__({name: name for name in names})
        self.read: set[str] = set()

    def __getitem__(self, name: str) -> object:
        self.read.add(name)
        return super().__getitem__(name)


@settings(max_examples=500, deadline=None)
@given(st.lists(DYNAMIC_PIECES, max_size=12).map("".join))
def test_no_variable_a_file_reads_is_called_unused(source: str) -> None:
    """What the unused-variable check takes a file to use, against what rendering it reads:
    every variable read is among the names given, unless the file is said to read any."""
    used = used_in_source(source)
    assert used is None or isinstance(used, frozenset)
    variables = _Recording({"v", "w", "missing", "items", "keys"})
    if _jinja(source, {"vars": variables, "env": {"name": "dev"}}) is not None and used is not None:
        assert variables.read <= used
