"""The cases ``bench/run`` runs, in order. Each takes a Context and returns table rows.

A case names the product modules it needs; until they exist it reports "not built yet"
instead of crashing, so the suite can grow with the product."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

from bench.lib.cases import apply, plan, scaling, startup, throughput
from bench.lib.context import Context
from bench.lib.results import Row


@dataclass(frozen=True)
class Case:
    run: Callable[[Context], list[Row]]
    needs: tuple[str, ...] = ()

    def missing(self) -> list[str]:
        return [name for name in self.needs if importlib.util.find_spec(name) is None]


CASES: dict[str, Case] = {
    "startup": Case(startup.run),
    "scaling": Case(scaling.run, needs=("omni_sync.commands.validate", "omni_sync.commands.plan")),
    "throughput": Case(throughput.run, needs=("omni_sync.emulator.server",)),
    "plan": Case(plan.run, needs=("omni_sync.emulator.server", "omni_sync.commands.plan")),
    "apply": Case(apply.run, needs=("omni_sync.emulator.server", "omni_sync.commands.apply")),
}
