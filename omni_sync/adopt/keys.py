"""Scenario keys by name: which the files describe and the account holds, and how to print them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from omni_sync.adopt.names import variable_names
from omni_sync.model.desired import DesiredState
from omni_sync.model.scenario import RemoteScenario


@dataclass(frozen=True)
class Keys:
    """(name, key, default) for each described scenario the account holds, in file order."""

    found: tuple[tuple[str, str, bool], ...]
    missing: tuple[str, ...]


def described_keys(desired: DesiredState, actual: Sequence[RemoteScenario]) -> Keys:
    by_name = {scenario.name: scenario for scenario in actual}
    found: list[tuple[str, str, bool]] = []
    missing: list[str] = []
    for item in desired.scenarios:
        remote = by_name.get(item.spec.name)
        if remote is None:
            missing.append(item.spec.name)
        else:
            found.append((remote.name, remote.key, remote.default))
    return Keys(tuple(found), tuple(missing))


def render_keys(
    environment: str, found: Sequence[tuple[str, str, bool]], fmt: str, prefix: str = ""
) -> str:
    if fmt == "json":
        default = next((name for name, _, is_default in found if is_default), None)
        keys = {name: key for name, key, _ in found}
        data = {"environment": environment, "keys": keys, "default": default}
        return json.dumps(data, indent=2, ensure_ascii=False)
    if fmt == "env":
        names = variable_names((name for name, _, _ in found), prefix)
        return "\n".join(f"{names[name]}={key}" for name, key, _ in found)
    width = max([len("NAME"), *(len(name) for name, _, _ in found)])
    rows = [f"{'NAME':<{width}}  {'KEY':<32}  DEFAULT"]
    rows += [
        f"{name:<{width}}  {key:<32}  {'yes' if default else ''}".rstrip()
        for name, key, default in found
    ]
    return "\n".join(rows)
