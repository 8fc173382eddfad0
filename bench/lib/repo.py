"""Generated user repositories: ``omni-sync.yaml`` and N scenario files, plus the same scenarios
as API bodies so an account can be seeded to match (or to differ by a known amount)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

VARS = {"sms_sender": "BenchShop", "viber_service": "3045", "mail_domain": "bench.example.com"}

# Three flow shapes, each a list of (channel, sender template, sender rendered).
FLOWS: tuple[tuple[tuple[str, str, str], ...], ...] = (
    (("SMS", "{{ vars.sms_sender }}", VARS["sms_sender"]),),
    (
        ("VIBER", "{{ vars.viber_service }}", VARS["viber_service"]),
        ("SMS", "{{ vars.sms_sender }}", VARS["sms_sender"]),
    ),
    (
        ("SMS", "{{ vars.sms_sender }}", VARS["sms_sender"]),
        ("VIBER", "{{ vars.viber_service }}", VARS["viber_service"]),
        ("EMAIL", "orders@{{ vars.mail_domain }}", f"orders@{VARS['mail_domain']}"),
    ),
)


@dataclass(frozen=True)
class Environment:
    """One environment of the generated omni-sync.yaml."""

    name: str
    base_url: str = "embedded"
    key_env: str | None = None
    page_limit: int | None = None
    limits: Mapping[str, float] | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def config(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"vars": dict(VARS), **self.extra}
        if self.base_url != "embedded":
            entry["base_url"] = self.base_url
            entry["allow_insecure_http"] = True
        if self.key_env is not None:
            entry["auth"] = {"type": "app", "key_env": self.key_env}
        if self.page_limit is not None:
            entry["page_limit"] = self.page_limit
        if self.limits is not None:
            entry["limits"] = dict(self.limits)
        return entry


def scenario_name(index: int) -> str:
    return f"Bench scenario {index:05d}"


def scenario_file(index: int) -> str:
    lines = [f"name: {scenario_name(index)}"]
    if index == 0:
        lines.append("default: true")
    lines.append("flow:")
    for channel, template, _ in FLOWS[index % len(FLOWS)]:
        lines += [f"  - channel: {channel}", f'    from: "{template}"']
    return "\n".join(lines) + "\n"


def api_body(index: int, *, changed: bool = False) -> dict[str, Any]:
    """The scenario as an account holds it; ``changed`` gives it another SMS sender."""
    flow = [
        {"channel": channel, "from": "Changed" if changed and channel == "SMS" else sender}
        for channel, _, sender in FLOWS[index % len(FLOWS)]
    ]
    return {"name": scenario_name(index), "flow": flow, "default": index == 0}


def write_repo(root: Path, scenarios: int, environments: Sequence[Environment]) -> Path:
    """A repository with ``scenarios`` files (one scenario each) for every environment."""
    folder = root / "scenarios.d"
    folder.mkdir(parents=True, exist_ok=True)
    config = {"environments": {env.name: env.config() for env in environments}}
    (root / "omni-sync.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    for index in range(scenarios):
        (folder / f"s{index:05d}.yaml").write_text(scenario_file(index))
    return root


def served_environments(base_url: str, count: int = 1, **settings: Any) -> list[Environment]:
    """``count`` environments ``env-0``.. on the served emulator, account i's key read from
    BENCH_KEY_i (see bench/lib/emulator.py)."""
    return [
        Environment(f"env-{index}", base_url, key_env=f"BENCH_KEY_{index}", **settings)
        for index in range(count)
    ]
