"""GitHub Actions workflow commands (``::error file=a.yaml,line=3::message``), the one place
they are escaped as the runner expects: ``%``, CR and LF everywhere, and ``:`` and ``,`` in
properties, so a user's text can neither end the command early nor start another."""

from __future__ import annotations


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(command: str, message: str, **properties: str | int) -> str:
    """``::command key=value,...::message``, every part escaped."""
    given = ",".join(f"{key}={_escape_property(str(value))}" for key, value in properties.items())
    return f"::{command}{' ' if given else ''}{given}::{_escape_data(message)}"
