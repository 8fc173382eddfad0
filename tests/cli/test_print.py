"""omni-sync print: what each environment's files render to, exactly the desired state plan
compares, offline (no credential, no account)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from omni_sync.load.project import load_project
from omni_sync.load.scenarios import load_desired
from omni_sync.model.scenario import ScenarioSpec
from tests.conftest import run_cli_subprocess

CONFIG = """
environments:
  dev:
    vars: {sender: ShopDev, marketing: false}
  prod:
    base_url: https://xxxxx.api.infobip.com
    auth: {type: app, key_env: INFOBIP_PROD_API_KEY_NOT_SET}
    vars: {sender: Shop, marketing: true}
"""
ORDERS = """# the default
name: Order updates
default: true
flow:
  - channel: SMS
    from: "{{ vars.sender }}"
"""
NEWS = """name: Newsletter
renamed_from: [News]
flow:
  - channel: VIBER
    from: "3045"
{% if vars.marketing %}
  - channel: EMAIL
    from: "news@example.com"
{% endif %}
"""


def _repo(repo: Path) -> Path:
    (repo / "omni-sync.yaml").write_text(CONFIG)
    (repo / "scenarios.d").mkdir()
    (repo / "scenarios.d" / "orders.yaml").write_text(ORDERS)
    (repo / "scenarios.d" / "news.yaml").write_text(NEWS)
    return repo


def _specs(body: dict[str, object]) -> list[ScenarioSpec]:
    scenarios = body["scenarios"]
    assert isinstance(scenarios, list)
    return [
        ScenarioSpec.model_validate({k: v for k, v in s.items() if k != "source"})
        for s in scenarios
    ]


def test_print_json_is_the_desired_state_plan_compares(repo: Path) -> None:
    _repo(repo)
    result = run_cli_subprocess(["print", "--format", "json"], cwd=repo)
    assert result.returncode == 0, result.stderr
    dev, prod = json.loads(result.stdout)["environments"]
    project = load_project(repo)
    for body in (dev, prod):
        desired = load_desired(project, project.environments[body["name"]])
        assert _specs(body) == [item.spec for item in desired.scenarios]
        assert body["files_digest"] == desired.files_digest
    assert [s["source"] for s in prod["scenarios"]] == [
        "scenarios.d/news.yaml:1",
        "scenarios.d/orders.yaml:2",
    ]
    assert [len(s["flow"]) for s in dev["scenarios"]] == [1, 1]
    assert [len(s["flow"]) for s in prod["scenarios"]] == [2, 1]


def test_print_yaml_of_one_environment(repo: Path) -> None:
    _repo(repo)
    result = run_cli_subprocess(["print", "-e", "prod"], cwd=repo)
    assert result.returncode == 0, result.stderr
    (prod,) = yaml.safe_load(result.stdout)["environments"]
    assert prod["name"] == "prod"
    orders = prod["scenarios"][1]
    assert orders == {
        "name": "Order updates",
        "default": True,
        "flow": [{"channel": "SMS", "from": "Shop"}],
        "source": "scenarios.d/orders.yaml:2",
    }
    assert prod["scenarios"][0]["renamed_from"] == ["News"]


def test_a_broken_file_is_reported_where_it_is(repo: Path) -> None:
    _repo(repo)
    (repo / "scenarios.d" / "orders.yaml").write_text(ORDERS.replace("vars.sender", "vars.nope"))
    result = run_cli_subprocess(["print", "-e", "dev"], cwd=repo)
    assert result.returncode == 1
    assert "scenarios.d/orders.yaml:6" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
