import pytest
from jinja2.sandbox import ImmutableSandboxedEnvironment

from omni_sync.errors import ProblemsFound
from omni_sync.load.rendering import used_in_source
from omni_sync.source.templating import compile_template, render, sandbox

CONTEXT = {"vars": {"sms": "Shop", "nested": {}}, "env": {"name": "dev"}}


def problem_of(source: str, *, hint: str = "") -> str:
    with pytest.raises(ProblemsFound) as caught:
        render(compile_template(source, "f.yaml"), CONTEXT, environment="dev", undefined_hint=hint)
    (problem,) = caught.value.problems
    return str(problem)


def test_one_shared_sandboxed_strict_environment() -> None:
    env = sandbox()
    assert env is sandbox()
    assert isinstance(env, ImmutableSandboxedEnvironment)
    assert env.autoescape is False
    assert "lipsum" not in env.globals
    assert "range" in env.globals


def test_renders_vars_and_env_and_keeps_lines() -> None:
    compiled = compile_template(
        "a\n{% if true %}\nb: {{ vars.sms }}-{{ env.name }}\n{% endif %}\n", "f.yaml"
    )
    assert render(compiled, CONTEXT) == "a\n\nb: Shop-dev\n\n"


def test_same_source_is_compiled_once() -> None:
    first = compile_template("{{ vars.sms }} {{ vars.sms }}", "g.yaml")
    again = compile_template("{{ vars.sms }} {{ vars.sms }}", "other.yaml")
    assert first.template is again.template
    assert again.path == "other.yaml"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x\ny: {{ vars.missing }}\n", "f.yaml:2:7: undefined variable vars.missing; add it [dev]"),
        ("y: {{ vars['missing'] }}", "f.yaml:1:7: undefined variable vars.missing; add it [dev]"),
        ("y: {{ vars.nested.deep }}", "f.yaml:1:7: undefined variable vars.nested.deep [dev]"),
        ("y: {{ env.HOME }}", "f.yaml:1:7: undefined variable env.HOME [dev]"),
        ("y: {{ vars.sms.nope }}", "f.yaml:1:7: undefined variable vars.sms.nope [dev]"),
        ("y: {{ (vars.sms).nope }}", "f.yaml:1:18: undefined attribute 'nope' [dev]"),
        (
            "y: {{ foo }}",
            "f.yaml:1:7: undefined variable foo; templates can use vars.<name> and env.name [dev]",
        ),
        (
            "y: {{ ''.__class__.__mro__ }}",
            "f.yaml:1:1: not allowed in a template (sandboxed): "
            "access to attribute '__class__' of 'str' object is unsafe. [dev]",
        ),
        (
            "y: {{ 'a' * 100000000 }}",
            "f.yaml:1:1: not allowed in a template (sandboxed): "
            "repetition would make a value over the output limit [dev]",
        ),
        (
            "y: {{ 10 ** 100000 }}",
            "f.yaml:1:1: not allowed in a template (sandboxed): exponent 100000 is over the limit of 256 [dev]",
        ),
        (
            "{% include 'other.yaml' %}",
            "f.yaml:1:1: include, import and extends are not available in these files [dev]",
        ),
        ("\n{{ 1 / 0 }}", "f.yaml:2:1: template error: ZeroDivisionError: division by zero [dev]"),
        ("{{ vars.nested[5] }}", "f.yaml:1:1: undefined value: dict object has no element 5 [dev]"),
    ],
)
def test_render_errors_are_located(source: str, expected: str) -> None:
    assert problem_of(source, hint="; add it") == expected


def test_small_repetition_and_powers_work() -> None:
    compiled = compile_template("{{ 'ab' * 2 }} {{ 2 * 'c' }} {{ 2 ** 3 }} {{ 3 * 4 }}", "h.yaml")
    assert render(compiled, CONTEXT) == "abab cc 8 12"


def test_syntax_errors_are_located() -> None:
    with pytest.raises(ProblemsFound) as caught:
        compile_template("a: 1\nb: {% if %}\n", "s.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "s.yaml:2:1: template syntax error: Expected an expression, got 'end of statement block'"
    ]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_an_unexpected_character_is_placed_at_its_line_and_column(newline: str) -> None:
    source = newline.join(
        ["name: A", "flow:", "  - channel: SMS", '    from: "{{ vars.x ! 2 }}"', ""]
    )
    with pytest.raises(ProblemsFound) as caught:
        compile_template(source, "s.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "s.yaml:4:22: template syntax error: unexpected char '!'"
    ]


def test_output_over_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("omni_sync.source.templating.MAX_OUTPUT_CHARS", 10)
    with pytest.raises(ProblemsFound, match="1 problem"):
        render(compile_template("{{ vars.sms }}{{ vars.sms }}{{ vars.sms }}", "o.yaml"), CONTEXT)


def test_static_variable_scan() -> None:
    assert used_in_source("{{ vars.a }}\n{{ vars['b'] }}\n{{ other.c }}") == {"a", "b"}
    assert compile_template("{{ vars.a }} {{ vars['b'] }}", "s.yaml").variables == {"a", "b"}
    for computed in ("{{ vars.items() }}", "{{ vars[x] }}", "{{ vars.get('a') }}", "{{ vars }}"):
        assert used_in_source(f"{{{{ vars.a }}}} {computed}") is None, computed
    assert used_in_source("{% if %}") == set()
