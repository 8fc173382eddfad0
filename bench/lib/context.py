"""What every case gets: the run's mode, a scratch folder, and a way to say what it is doing."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.lib.measure import Measurement


@dataclass
class Context:
    quick: bool
    workdir: Path
    started: float = field(default_factory=time.perf_counter)
    series: dict[str, list[tuple[int, Measurement]]] = field(default_factory=dict)

    def pick(self, quick: int, full: int) -> int:
        return quick if self.quick else full

    def scratch(self, name: str) -> Path:
        path = self.workdir / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def log(self, text: str) -> None:
        elapsed = time.perf_counter() - self.started
        print(f"[{elapsed:6.1f}s] {text}", file=sys.stderr, flush=True)
