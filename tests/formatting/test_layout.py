"""The canonical layout, case by case: quoting by what omni-sync reads back, key order, styles,
and the files fmt refuses to touch."""

from __future__ import annotations

import pytest

from omni_sync.formatting.layout import NotFormattable, format_text


def _flow_value(sender: str) -> str:
    text = format_text(f"name: A\nflow:\n  - channel: VIBER\n    from: {sender}\n")
    return text.splitlines()[-1].removeprefix("    from: ")


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("'Shop'", "Shop"),
        ('"Shop"', "Shop"),
        ("'3045'", '"3045"'),
        ("'0042'", "0042"),  # omni-sync reads a plain 0042 as text
        ("0042", "0042"),
        ("'+41793026727'", "+41793026727"),
        ("'true'", '"true"'),
        ("'yes'", "yes"),  # yes is text for omni-sync (YAML 1.2)
        ("'null'", '"null"'),
        ("'a: b'", '"a: b"'),
        ("'#1'", '"#1"'),
        ("'It''s'", "It's"),
        ("3045", "3045"),  # a plain number stays what it is
        ("'{{ vars.x }}'", "'{{ vars.x }}'"),  # placeholders keep their spelling
        ("x{{ vars.x }}", "x{{ vars.x }}"),
    ],
)
def test_quoting_follows_what_omni_sync_reads_back(written: str, canonical: str) -> None:
    assert _flow_value(written) == canonical


def test_keys_in_order_unknown_keys_last_comments_kept() -> None:
    text = (
        "# head\n"
        "flow: [{from: Shop, channel: SMS}]\n"
        "extra: 1  # kept\n"
        "key: AD9E01A5DC7BEE2C2B828D208182A611\n"
        "environments:\n  - prod\n"
        "default: FALSE\n"
        "name: A  # the name\n"
    )
    assert format_text(text) == (
        "# head\n"
        "name: A  # the name\n"
        "default: false\n"
        "environments: [prod]\n"
        "key: AD9E01A5DC7BEE2C2B828D208182A611\n"
        "flow:\n  - channel: SMS\n    from: Shop\n"
        "extra: 1  # kept\n"
    )


def test_a_list_of_scenarios_starts_at_the_margin() -> None:
    text = '[{"name": "A", "flow": [{"channel": "SMS", "from": "Shop"}]}, {"name": "B"}]'
    assert format_text(text) == (
        "- name: A\n  flow:\n    - channel: SMS\n      from: Shop\n- name: B\n"
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("name: A\n{% if x %}\nflow: []\n{% endif %}\n", "Jinja statements"),
        ("{# note #}\nname: A\n", "Jinja statements or comments"),
        ("name: [A\n", "not YAML before Jinja renders it (line 2"),
        ("name: A\nflow:\n  - from: {{ vars.x }}\n", "outside any text value"),
        ("# {{ vars.x }}\nname: A\n", "outside any text value"),
    ],
)
def test_files_it_cannot_format_safely_are_refused(text: str, reason: str) -> None:
    with pytest.raises(NotFormattable, match=reason.replace("(", r"\(").replace("{", r"\{")):
        format_text(text)


def test_a_file_that_is_no_scenario_is_returned_as_it_is() -> None:
    assert format_text("") == ""
    assert format_text("just text\n") == "just text\n"
