"""The cases ``bench/run`` runs, in order. Each takes a Context and returns table rows."""

from __future__ import annotations

from collections.abc import Callable

from bench.lib.cases import startup
from bench.lib.context import Context
from bench.lib.results import Row

Case = Callable[[Context], list[Row]]

CASES: dict[str, Case] = {
    "startup": startup.run,
}
