"""Registered credentials never reach output, in plain or base64 (Basic auth) form."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest

from omni_sync import secrets
from omni_sync.output import Writer


@pytest.fixture(autouse=True)
def _forget_secrets() -> Iterator[None]:
    yield
    secrets.clear()


def test_registered_secret_and_its_base64_form_are_masked() -> None:
    secrets.register("s3cr3t-key")
    encoded = base64.b64encode(b"s3cr3t-key").decode()
    assert secrets.redact(f"App s3cr3t-key and Basic {encoded}") == "App *** and Basic ***"


def test_short_values_are_not_registered_so_output_stays_readable() -> None:
    secrets.register("abc")
    assert secrets.redact("abc") == "abc"


def test_header_keeps_only_the_scheme() -> None:
    assert secrets.redact_header("App s3cr3t-key") == "App ***"
    assert secrets.redact_header("") == "***"


def test_writer_scrubs_every_stream(capsys: pytest.CaptureFixture[str]) -> None:
    secrets.register("s3cr3t-key")
    writer = Writer(debug=True)
    writer.out("plan for s3cr3t-key")
    writer.warn("key s3cr3t-key")
    writer.error("bad s3cr3t-key")
    writer.log("GET with s3cr3t-key")
    captured = capsys.readouterr()
    assert captured.out == "plan for ***\n"
    assert captured.err == "Warning: key ***\nError: bad ***\nGET with ***\n"
    assert "s3cr3t-key" not in captured.out + captured.err
