import pytest
from hypothesis import given
from hypothesis import strategies as st

from omni_sync.errors import ProblemsFound
from omni_sync.load.rendering import render_source, variables_in_source
from omni_sync.load.templating import compile_template, render

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
    assert variables_in_source(
        "a: {{ vars.a }}\nb: {{ vars.b }} {{ vars.a }} {{ env.name }} {{ vars.keys }}"
    ) == {"a": 1, "b": 2}
    assert variables_in_source("{% if vars.c %}{{ vars.d | upper }}{% endif %}") == {"c": 1, "d": 1}
