from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omni_sync.adopt.names import (
    MAX_FILE_STEM,
    NameClash,
    file_stem,
    unique_stems,
    variable_name,
    variable_names,
)


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("Order updates", "order-updates"),
        ("Order updates / EU", "order-updates-eu"),
        ("../../etc/passwd", "etc-passwd"),
        ("Überweisung café", "uberweisung-cafe"),
        ("   ", "scenario"),
        ("日本語", "scenario"),
        ("CON", "con-scenario"),
        ("a" * 300, "a" * MAX_FILE_STEM),
        (".hidden", "hidden"),
        ("v1.2 promo", "v1.2-promo"),
    ],
)
def test_file_stem(name: str, stem: str) -> None:
    assert file_stem(name) == stem


@given(st.text(max_size=400))
def test_any_name_gives_a_plain_file_stem(name: str) -> None:
    stem = file_stem(name)
    assert re.fullmatch(r"[a-z0-9][a-z0-9._-]*", stem)
    assert len(stem) <= MAX_FILE_STEM + len("-scenario")
    assert "/" not in stem
    assert ".." not in stem or not stem.startswith(".")


def test_clashing_stems_get_a_counter() -> None:
    assert unique_stems(["Promo", "promo", "PROMO!", "Other"]) == {
        "Promo": "promo",
        "promo": "promo-2",
        "PROMO!": "promo-3",
        "Other": "other",
    }


@pytest.mark.parametrize(
    ("name", "variable"),
    [
        ("Order updates", "ORDER_UPDATES"),
        ("order-updates.v2", "ORDER_UPDATES_V2"),
        ("2FA codes", "SCENARIO_2FA_CODES"),
        ("Café ☕", "CAFE"),
        ("☕", "SCENARIO"),
    ],
)
def test_variable_name(name: str, variable: str) -> None:
    assert variable_name(name) == variable


def test_variable_name_prefix() -> None:
    assert variable_name("Order updates", "OMNI_") == "OMNI_ORDER_UPDATES"


@given(st.text(max_size=200))
def test_any_name_gives_a_shell_variable(name: str) -> None:
    assert re.fullmatch(r"[A-Z_][A-Z0-9_]*", variable_name(name))


def test_two_names_sharing_a_variable_are_refused() -> None:
    with pytest.raises(NameClash, match='"Order updates" and "order-updates" both become'):
        variable_names(["Order updates", "order-updates"])
