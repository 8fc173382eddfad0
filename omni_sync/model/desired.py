"""The desired state of one environment: its rendered scenarios and where each came from."""

from __future__ import annotations

from dataclasses import dataclass

from omni_sync.model.environment import Environment
from omni_sync.model.scenario import ScenarioSpec


@dataclass(frozen=True)
class SourceRef:
    """Where a scenario is written: the file (relative to the root) and the line it starts on."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class DesiredScenario:
    spec: ScenarioSpec
    source: SourceRef


@dataclass(frozen=True)
class DesiredState:
    """Everything the files say one environment should hold.

    ``files_digest`` is a sha256 over the rendered scenario content of this environment, so a
    saved plan can tell when the files changed after it was made.
    """

    environment: Environment
    scenarios: tuple[DesiredScenario, ...]
    files_digest: str
