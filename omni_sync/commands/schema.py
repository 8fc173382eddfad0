"""``omni-sync schema``: the JSON Schema of a scenario file, generated from the models."""

from __future__ import annotations

import json
from typing import Any

import click

from omni_sync.cli import Runtime

SCHEMA_ID = "https://omni-sync.invalid/schema/scenario-file.json"


def scenario_file_schema() -> dict[str, Any]:
    """A file holds one scenario mapping or a list of them."""
    from omni_sync.model.scenario import ScenarioSpec

    spec = ScenarioSpec.model_json_schema(by_alias=True, mode="validation")
    definitions = spec.pop("$defs", {})
    definitions["ScenarioSpec"] = spec
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "omni-sync scenario file",
        "description": (
            "One OMNI failover scenario, or a list of them. Values may hold Jinja2 expressions "
            "such as {{ vars.sms_sender }}, rendered per environment before validation."
        ),
        "oneOf": [
            {"$ref": "#/$defs/ScenarioSpec"},
            {"type": "array", "items": {"$ref": "#/$defs/ScenarioSpec"}},
        ],
        "$defs": definitions,
    }


@click.command()
@click.pass_obj
def cli(runtime: Runtime) -> None:
    """Print the JSON Schema of scenario files, for editors.

    Save it (omni-sync schema > scenario.schema.json) and point files at it with a first line
    `# yaml-language-server: $schema=../scenario.schema.json`.
    """
    runtime.writer.out(json.dumps(scenario_file_schema(), indent=2, sort_keys=True))
