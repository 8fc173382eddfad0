"""What a case reports: rows of measurements, each held against its floor or limit."""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.lib.measure import Measurement


@dataclass(frozen=True)
class Check:
    """``value`` against ``floor`` (the best any tool could do, or the issue's limit).

    The ratio is value / floor; the goal is met when the ratio is at most ``goal``."""

    what: str
    value: float
    floor: float
    goal: float
    unit: str = "s"
    floor_text: str | None = None

    @property
    def ratio(self) -> float:
        return self.value / self.floor if self.floor else float("inf")

    @property
    def ok(self) -> bool:
        return self.ratio <= self.goal

    @property
    def verdict(self) -> str:
        return "ok" if self.ok else "MISSED"

    def describe_floor(self) -> str:
        if self.floor_text is not None:
            return self.floor_text
        return f"{self.what} {format_quantity(self.floor, self.unit)}"


@dataclass
class Row:
    case: str
    size: str
    measurement: Measurement | None = None
    checks: list[Check] = field(default_factory=list)
    note: str = ""
    crashed: str | None = None

    @property
    def verdict(self) -> str:
        if self.crashed is not None:
            return "CRASHED"
        if not self.checks:
            return "info"
        return "ok" if all(check.ok for check in self.checks) else "MISSED"


def format_quantity(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "req":
        return f"{value:.0f} req"
    if unit == "x":
        return f"{value:.2f}x"
    return f"{value:g} {unit}".strip()


def format_requests(requests: dict[str, int]) -> str:
    parts = [
        f"{method} {requests[method]}" for method in ("GET", "POST", "PUT") if method in requests
    ]
    parts += [
        f"{status}: {requests[status]}"
        for status in ("429", "5xx", "failed")
        if requests.get(status)
    ]
    return ", ".join(parts) or "-"
