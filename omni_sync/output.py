"""The one writer: plans to stdout, logs/warnings/progress to stderr, colour only on a
terminal, every line scrubbed of registered secrets. Only the CLI layer writes."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import TextIO

import click

from omni_sync import secrets
from omni_sync.errors import ConfigError


def color_wanted(no_color_flag: bool, stream: TextIO) -> bool:
    if no_color_flag or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty()


@dataclass
class Writer:
    color: bool = False
    debug: bool = False

    def out(self, text: str = "", *, nl: bool = True) -> None:
        click.echo(secrets.redact(text), nl=nl, color=self.color)

    def err(self, text: str = "", *, nl: bool = True) -> None:
        click.echo(secrets.redact(text), nl=nl, err=True, color=self.color)

    def style(self, text: str, **styles: object) -> str:
        if not self.color:
            return text
        return click.style(text, **styles)  # type: ignore[arg-type]

    def warn(self, text: str) -> None:
        self.err(self.style("Warning: ", fg="yellow", bold=True) + text)

    def error(self, text: str) -> None:
        self.err(self.style("Error: ", fg="red", bold=True) + text)

    def step_summary(self, markdown: str) -> None:
        """Append to the GitHub Actions job summary ($GITHUB_STEP_SUMMARY), scrubbed."""
        path = os.environ.get("GITHUB_STEP_SUMMARY")
        if not path:
            self.warn("GITHUB_STEP_SUMMARY is not set (not in GitHub Actions?): no summary written")
            return
        try:
            with open(path, "a", encoding="utf-8") as summary:
                summary.write(secrets.redact(markdown))
        except OSError as exc:
            raise ConfigError(
                f"GITHUB_STEP_SUMMARY={path}: cannot write the job summary ({exc.strerror})"
            ) from exc

    def log(self, text: str) -> None:
        if self.debug:
            self.err(self.style(text, dim=True))


def stderr_is_tty() -> bool:
    return sys.stderr.isatty()
