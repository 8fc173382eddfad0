"""Server-side template injection: payloads known to escape Jinja sandboxes or to exhaust the
machine, in a scenario file and in a message template. Each is refused with a located problem,
quickly, and nothing secret or from the file system reaches the output."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from omni_sync.cli import cli
from omni_sync.errors import ProblemsFound
from omni_sync.messages.loading import read_template
from omni_sync.messages.rendering import render_message
from omni_sync.model.scenario import Channel
from omni_sync.source.templating import compile_template, render

SECRET = "sk-live-RELIABILITY-0123456789abcdef"
CONTEXT = {"vars": {"sms": "Shop", "items": list(range(100))}, "env": {"name": "dev"}}

TRAVERSAL = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''.__class__.__base__.__subclasses__()[40]('/etc/passwd').read() }}",
    "{{ vars.__class__.__init__.__globals__ }}",
    "{{ self.__init__.__globals__.__builtins__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ range.__globals__['os'].environ }}",
    "{{ namespace.__init__.__globals__.os.environ }}",
    "{% set ns = namespace() %}{{ ns.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__.os.environ }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ ''|attr('__class__')|attr('__mro__') }}",
    "{{ '{0.__class__.__mro__}'.format('x') }}",
    "{{ vars.items().__iter__ }}",
    "{{ dict.__base__.__subclasses__() }}",
    "{{ [].append(1) }}",
    "{{ vars.update(x=1) }}",
    "{{ env.name.format.__self__ }}",
    "{{ open('/etc/passwd').read() }}",
    "{% include '/etc/passwd' %}",
    "{% import 'os' as os %}{{ os.environ }}",
    "{% extends '/etc/passwd' %}",
    "{{ config.items() }}",
    "{{ request.environ }}",
    "{{ env.OMNI_SECRET }}",
    "{{ env['OMNI_SECRET'] }}",
]

EXHAUSTION = [
    "{{ 'a' * 10**9 }}",
    "{{ 'a' * 1000000000 }}",
    "{{ [0] * 1000000000 }}",
    "{{ 10 ** 100000 }}",
    "{{ ((10 ** 256) ** 256) ** 256 }}",
    "{% for i in range(1000000000) %}{% endfor %}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% for i in vars['items'] %}{% for j in range(100000) %}{% for k in range(100000) %}"
    "{% endfor %}{% endfor %}{% endfor %}",
    "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}",
    "{% for i in range(10) recursive %}{{ loop(range(10)) }}{% endfor %}",
    "{% set a = 'x' * 5000000 %}{% set b = a ~ a %}{{ b }}",
    "{% set a = 'x' * 5000000 %}{{ a + a }}",
    "{% set a = 'x' * 5000000 %}{{ a|replace('x', 'xx') }}",
    "{% set a = 'x' * 5000000 %}{{ a.replace('x', 'yy') }}",
    "{% set a = 'x' * 5000000 %}{% set l = [a, a, a, a] %}{{ l }}",
    "{% set a = 'x' * 5000000 %}{% set l = [a, a, a, a] %}{{ l|join }}",
    "{% set a = 'x' * 5000000 %}{% set l = [a, a, a, a] %}{{ l|string }}",
    "{% for i in range(100000) %}{% set x %}{{ 'y' * 5000 }}{% endset %}{% endfor %}",
    "{% for i in range(2000) %}{{ 'y' * 5000 }}{% endfor %}",
    "{{ 'a'|center(1000000000) }}",
    "{{ 'a'.ljust(1000000000) }}",
    "{{ 'a'.zfill(1000000000) }}",
    "{{ 'a\tb'.expandtabs(1000000000) }}",
    "{{ 'a'|indent(1000000000) }}",
    "{{ 'a b'|wordwrap(1000000000) }}",
    "{{ [1]|batch(1000000000, 'x')|list }}",
    "{{ [1]|slice(1000000000)|list }}",
    "{{ '{:>1000000000}'.format(1) }}",
    "{{ '{:>{w}}'.format(1, w=1000000000) }}",
    "{{ '%1000000000d' % 1 }}",
    "{{ '%-1000000000s'|format('a') }}",
    "{{ (range(100000)|list) * 100 }}",
]


def refusal(source: str) -> str:
    with pytest.raises(ProblemsFound) as caught:
        render(compile_template(source, "scenarios.d/evil.yaml"), CONTEXT, environment="dev")
    (problem,) = caught.value.problems
    return str(problem)


@pytest.mark.parametrize("payload", TRAVERSAL)
def test_traversal_and_file_access_refused_in_scenario_files(payload: str) -> None:
    message = refusal(payload)
    assert message.startswith("scenarios.d/evil.yaml:1:")
    assert "\n" not in message


@pytest.mark.parametrize("payload", EXHAUSTION)
def test_exhaustion_refused_in_scenario_files(payload: str) -> None:
    message = refusal(payload)
    assert message.startswith("scenarios.d/evil.yaml:1:")
    assert any(
        word in message
        for word in ("limit", "too much", "7 digits", "Range too big", "RecursionError")
    ), message


def test_the_error_points_at_the_line_of_the_payload() -> None:
    source = "name: ok\nflow:\n  - channel: SMS\n    from: {{ ''.__class__.__mro__ }}\n"
    assert refusal(source).startswith("scenarios.d/evil.yaml:4:")


def test_ordinary_templates_still_render() -> None:
    source = (
        "{% macro step(c, s) %}- {channel: {{ c }}, from: {{ s }}}{% endmacro %}"
        "{% for i in vars['items'][:3] %}{{ step('SMS', vars.sms ~ i) }}\n{% endfor %}"
        "{{ '%05d'|format(42) }} {{ '{:>4}'.format(7) }} {{ 'ab' * 3 }} {{ 2 ** 10 }}"
        "{{ vars['items']|join(',')|length }} {{ 'a-b'.replace('-', '+') }}"
    )
    out = render(compile_template(source, "ok.yaml"), CONTEXT)
    assert out.splitlines() == [
        "- {channel: SMS, from: Shop0}",
        "- {channel: SMS, from: Shop1}",
        "- {channel: SMS, from: Shop2}",
        "00042    7 ababab 1024289 a+b",
    ]


def test_a_large_but_bounded_loop_is_allowed() -> None:
    source = "{% for i in range(50000) %}{{ i % 10 }}{% endfor %}"
    assert len(render(compile_template(source, "big.yaml"), CONTEXT)) == 50000


def test_each_render_gets_a_fresh_budget() -> None:
    compiled = compile_template("{% for i in range(100000) %}{% endfor %}ok", "again.yaml")
    for _ in range(15):
        assert render(compiled, CONTEXT) == "ok"


@pytest.mark.parametrize("payload", TRAVERSAL[:8] + EXHAUSTION[:12])
def test_payloads_refused_in_message_templates(repo: Path, payload: str) -> None:
    path = repo / "templates" / "evil.yaml"
    path.parent.mkdir(parents=True)
    quoted = payload.replace("'", "''")
    path.write_text(f"scenarios: [Orders]\nsample: {{who: Ana}}\nsms:\n  text: '{quoted}'\n")
    tf = read_template(repo, path)
    messages, problems, _ = render_message(
        tf, [Channel.SMS], environment="dev", variables={"sms": "Shop"}
    )
    assert not messages[Channel.SMS].complete
    (problem,) = problems
    assert str(problem).startswith("templates/evil.yaml:4:")
    assert "\n" not in str(problem)


def test_validate_refuses_a_payload_and_leaks_nothing(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OMNI_SECRET", SECRET)
    (repo / "scenarios.d").mkdir()
    (repo / "scenarios.d" / "evil.yaml").write_text(
        textwrap.dedent(
            """\
            name: Evil
            default: true
            flow:
              - channel: SMS
                from: "{{ cycler.__init__.__globals__.os.environ['OMNI_SECRET'] }}"
              - channel: EMAIL
                from: "{{ ''.__class__.__mro__[1].__subclasses__() }}"
            """
        )
    )
    result = CliRunner().invoke(cli, ["-C", str(repo), "validate"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith("scenarios.d/evil.yaml:5:")
    assert SECRET not in result.output
    assert "root:" not in result.output
    assert "Traceback" not in result.output
    assert os.environ["OMNI_SECRET"] == SECRET
