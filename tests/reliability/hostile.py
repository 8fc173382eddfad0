"""Hypothesis strategies for hostile user files: text that is nearly right, YAML tricks, wrong
types, template payloads, and plain noise; and the check that a run answered cleanly."""

from __future__ import annotations

import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import yaml
from hypothesis import strategies as st

SCENARIO_KEYS = ["name", "flow", "channel", "from", "default", "environments", "renamed_from"]
CONFIG_KEYS = [
    "environments",
    "dev",
    "prod",
    "base_url",
    "auth",
    "type",
    "key_env",
    "username_env",
    "password_env",
    "token_env",
    "vars",
    "safety",
    "max_changes",
    "confirm_default_switch",
    "limits",
    "creates",
    "updates",
    "window_seconds",
    "allow_insecure_http",
    "page_limit",
    "timeout_seconds",
]
TEMPLATE_KEYS = [
    "scenarios",
    "sample",
    "sample_file",
    "fallback",
    "max_sms_parts",
    "description",
    "sms",
    "viber",
    "email",
    "voice",
    "text",
    "subject",
    "button_text",
    "button_url",
    "image_url",
    "language",
]
SCALARS = [
    "SMS",
    "EMAIL",
    "VIBER",
    "VOICE",
    "sms",
    "Shop",
    "+41793026727",
    "orders@example.com",
    "embedded",
    "https://xxxxx.api.infobip.com",
    "http://example.com",
    "http://127.0.0.1:1",
    "app",
    "basic",
    "INFOBIP_KEY",
    "true",
    "false",
    "yes",
    "null",
    "~",
    "0",
    "-1",
    "1e309",
    "0x1F",
    ".inf",
    "''",
    '""',
    "[]",
    "{}",
    "[SMS, EMAIL]",
    "{channel: SMS, from: Shop}",
    "&a x",
    "*a",
    "!!python/object/apply:os.system ['id']",
    "!!binary aGVsbG8=",
    "!custom x",
    "<<: {a: 1}",
    "|",
    ">-",
    "'unterminated",
    '"\\x00\\uffff"',
    "\t",
    "%TAG ! tag:x,2000:",
    "---",
    "...",
    "#",
    "@",
    "`",
    "{{ vars.sms }}",
    "{{ vars.missing }}",
    "{{ env.name }}",
    "{{ env.HOME }}",
    "{{ '' . __class__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.environ }}",
    "{{ 'a' * 10**9 }}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% if %}",
    "{{",
    "}}",
    "{%",
    "{#",
    "{% raw %}",
    "{% include 'x' %}",
    "{{ 1/0 }}",
    "é漢字😀",
    "\u202e",
    "\x00",
    "\x85",
    "\ufeff",
    "a" * 300,
]


def _lines(keys: list[str]) -> st.SearchStrategy[str]:
    indent = st.sampled_from(["", "  ", "    ", "      ", "- ", "  - ", "\t", " "])
    key = st.one_of(st.sampled_from(keys), st.text(max_size=8))
    value = st.one_of(st.sampled_from(SCALARS), st.text(max_size=20), st.just(""))
    line = st.tuples(indent, key, st.sampled_from([": ", ":", " ", ": |\n  "]), value)
    return st.lists(line.map("".join), max_size=14).map("\n".join)


def _structured(keys: list[str]) -> st.SearchStrategy[str]:
    leaf = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=True),
        st.sampled_from(SCALARS),
        st.text(max_size=12),
    )
    tree = st.recursive(
        leaf,
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(
                st.one_of(st.sampled_from(keys), st.text(max_size=6)), children, max_size=5
            ),
        ),
        max_leaves=25,
    )
    return tree.map(_dump)


def _dump(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


def hostile_text(keys: list[str]) -> st.SearchStrategy[str]:
    """Nearly right files, wrong types, and noise."""
    return st.one_of(_lines(keys), _structured(keys), st.text(max_size=200))


ONE_PROBLEM = re.compile(r"[^\n:]+(?::\d+){2}: \S.*")


def assert_clean_answer(exit_code: int, stdout: str, stderr: str) -> None:
    """Success, or one located line per problem and one ``Error:`` line; never a traceback."""
    assert exit_code in (0, 1), (exit_code, stdout, stderr)
    assert "Traceback" not in stdout + stderr
    assert "internal error" not in stderr
    if exit_code == 0:
        return
    problems = stdout.splitlines()
    errors = stderr.splitlines()
    assert len(errors) == 1, stderr
    assert errors[0].startswith("Error: "), stderr
    if errors[0].endswith("found"):
        assert problems, stderr
        for line in problems:
            assert ONE_PROBLEM.fullmatch(line), line


class Timeout(Exception):
    pass


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Fail (rather than hang) when the body runs longer than ``seconds``."""

    def expired(signum: int, frame: Any) -> None:
        raise Timeout(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
