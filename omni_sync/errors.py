"""The errors a user can see.

    OmniSyncError              one clear line, exit code 1, never a traceback
    ├── ConfigError            omni-sync.yaml, the environment, the command line
    ├── ProblemsFound          validation: carries every Problem found, each located
    ├── ApiError               an account answered with an error (or not at all)
    │   └── TransportError     no usable answer: connection, timeout, not JSON
    ├── PlanError              the plan cannot be made (duplicate names upstream, ...)
    ├── UnsafePlan             a safety threshold refuses the apply without --force
    ├── StalePlan              a saved plan no longer matches the account or the files
    └── Cancelled              the user did not answer "yes"

Lower layers translate their own exceptions into these at the boundary
(``raise ApiError(...) from exc``) so the CLI has one vocabulary to report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


class OmniSyncError(Exception):
    """Base of every error meant for the user: its message is one line."""

    exit_code = 1


class ConfigError(OmniSyncError):
    pass


# Every character str.splitlines() breaks at, shown escaped: a message stays on its one line
# even when it quotes a user's value.
_LINE_BREAKS = {
    code: repr(chr(code))[1:-1] for code in (10, 11, 12, 13, 28, 29, 30, 133, 8232, 8233)
}


def one_line(text: str) -> str:
    return text.translate(_LINE_BREAKS)


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem in a user's file: ``path:line:column: message``; ``path: message``
    (line 0) when it is about a folder or a whole set of files, not one place."""

    path: str
    line: int
    column: int
    message: str
    environment: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        where = f" [{self.environment}]" if self.environment else ""
        place = f"{self.path}:{self.line}:{self.column}" if self.line > 0 else self.path
        return one_line(f"{place}: {self.message}{where}")


class ProblemsFound(OmniSyncError):
    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(sorted(set(problems)))
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found")


class ApiError(OmniSyncError):
    """An account refused a request; says where, what for and what the server said."""

    def __init__(
        self,
        message: str,
        *,
        environment: str | None = None,
        scenario: str | None = None,
        status: int | None = None,
        message_id: str | None = None,
        text: str | None = None,
        validation_errors: dict[str, list[str]] | None = None,
        attempts: int | None = None,
    ) -> None:
        self.environment = environment
        self.attempts = attempts  # how many times the request was sent, when known
        self.scenario = scenario
        self.status = status
        self.message_id = message_id
        self.text = text
        self.validation_errors = validation_errors or {}
        super().__init__(message)


class TransportError(ApiError):
    """No usable answer: the connection failed, timed out, or the body was not the API's."""


class PlanError(OmniSyncError):
    pass


class UnsafePlan(OmniSyncError):
    pass


class StalePlan(OmniSyncError):
    pass


class Cancelled(OmniSyncError):
    pass
