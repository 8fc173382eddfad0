"""What the spec allows, read: a scenario key given as the integer the spec's schema declares
(kept as an opaque string), the default flag as ``default`` or ``defaultScenario``; and a
listing omni-sync cannot read names the field and the value."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.requests import Request
from starlette.responses import Response

from omni_sync.cli import cli
from tests.reliability.hostile_server import json_response, serve

INTEGER_KEY = 4319305101937705
LISTED = {
    "key": INTEGER_KEY,
    "name": "A",
    "flow": [{"from": "Shop", "channel": "SMS"}],
    "defaultScenario": True,
}


def run(repo: Path, base_url: str, flow_sender: str, *args: str) -> tuple[int, str, str]:
    settings = {"base_url": base_url, "auth": {"type": "app", "key_env": "SHAPE_KEY"}}
    (repo / "omni-sync.yaml").write_text(json.dumps({"environments": {"prod": settings}}))
    (repo / "scenarios.d").mkdir(exist_ok=True)
    (repo / "scenarios.d" / "a.yaml").write_text(
        f"name: A\ndefault: true\nflow:\n  - {{channel: SMS, from: {flow_sender}}}\n"
    )
    result = CliRunner().invoke(cli, ["-C", str(repo), *args], env={"SHAPE_KEY": "k"})
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


def listing(*scenarios: dict[str, Any]) -> Any:
    def answer(request: Request, _n: int) -> Response:
        if request.method == "PUT":
            return json_response({**LISTED, "flow": [{"from": "Shop2", "channel": "SMS"}]})
        return json_response({"scenarios": list(scenarios)})

    return answer


def test_an_integer_key_and_default_scenario_flag_are_read(repo: Path) -> None:
    with serve(listing(LISTED)) as server:
        code, out, err = run(repo, server.base_url, "Shop", "plan", "--detailed-exitcode")
    assert code == 0, err
    assert "No changes" in out


def test_an_update_goes_to_the_integer_key_as_text(repo: Path) -> None:
    with serve(listing(LISTED)) as server:
        code, out, err = run(repo, server.base_url, "Shop2", "apply", "--auto-approve")
    assert code == 0, out + err
    assert f'~ updated "A" ({INTEGER_KEY})' in out
    assert server.writes == [("PUT", f"/omni/1/scenarios/{INTEGER_KEY}")]


@pytest.mark.parametrize(
    ("scenario", "said"),
    [
        (
            {"key": "k1", "name": "A", "flow": [{"from": "Shop", "channel": "FAX"}]},
            "scenarios[0].flow[0].channel is 'FAX'",
        ),
        ({"key": None, "name": "A", "flow": []}, "scenarios[0].key is None"),
        (
            {"key": "k1", "name": "A", "flow": [], "default": "maybe"},
            "scenarios[0].default is 'maybe'",
        ),
        ({"key": 1.5, "name": "A", "flow": []}, "scenarios[0].key is 1.5"),
    ],
)
def test_a_listing_it_cannot_read_names_the_field_and_value(
    repo: Path, scenario: dict[str, Any], said: str
) -> None:
    with serve(listing(scenario)) as server:
        code, _, err = run(repo, server.base_url, "Shop", "plan")
    assert code == 1
    assert len(err.splitlines()) == 1, err
    assert 'environment "prod": listing scenarios, page 0 answered with a scenario' in err
    assert said in err
