"""``omni-sync schema``: the JSON Schema of a scenario file (or, with ``--config``, of
omni-sync.yaml), generated from the models."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from omni_sync.cli import Runtime

if TYPE_CHECKING:
    from pydantic import JsonValue

    Schema = dict[str, JsonValue]

SCHEMA_ID = "https://omni-sync.invalid/schema/scenario-file.json"
CONFIG_SCHEMA_ID = "https://omni-sync.invalid/schema/omni-sync.json"


def scenario_file_schema() -> Schema:
    """A file holds one scenario mapping or a list of them."""
    from omni_sync.model.scenario import ScenarioSpec

    spec: Schema = ScenarioSpec.model_json_schema(by_alias=True, mode="validation")
    definitions = _mapping(spec.pop("$defs", {}))
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


def config_file_schema() -> Schema:
    """omni-sync.yaml: environments by name, each an Environment without its name."""
    from omni_sync.load.project import ENVIRONMENT_NAME_PATTERN
    from omni_sync.model.environment import Environment

    environment: Schema = Environment.model_json_schema(by_alias=True, mode="validation")
    definitions = _mapping(environment.pop("$defs", {}))
    _mapping(environment["properties"]).pop("name")
    required = environment.get("required", [])
    assert isinstance(required, list)
    environment["required"] = [key for key in required if key != "name"]
    if not environment["required"]:
        del environment["required"]
    definitions["Environment"] = environment
    shared_vars = dict(_mapping(_mapping(environment["properties"])["vars"]))
    shared_vars["description"] = (
        "Variables shared by every environment (vars.<name>); an environment's own vars "
        "win over them."
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": CONFIG_SCHEMA_ID,
        "title": "omni-sync.yaml",
        "description": "The environments of a repository: one Infobip account each.",
        "type": "object",
        "additionalProperties": False,
        "required": ["environments"],
        "properties": {
            "environments": {
                "type": "object",
                "minProperties": 1,
                "propertyNames": {"pattern": ENVIRONMENT_NAME_PATTERN},
                "additionalProperties": {
                    "anyOf": [{"$ref": "#/$defs/Environment"}, {"type": "null"}]
                },
            },
            "vars": shared_vars,
            "policy": {
                "$ref": "#/$defs/Policy",
                "description": "Rules for every environment's flows; each environment's own "
                "policy adds rules or overrides these, rule by rule.",
            },
        },
        "$defs": definitions,
    }


def _mapping(value: JsonValue) -> Schema:
    """A part of a schema that is an object, as pydantic writes it."""
    assert isinstance(value, dict)
    return value


@click.command()
@click.option("--config", "config", is_flag=True, help="The schema of omni-sync.yaml instead.")
@click.pass_obj
def cli(runtime: Runtime, config: bool) -> None:
    """Print the JSON Schema of scenario files (or of omni-sync.yaml), for editors.

    Save it (omni-sync schema > schema/scenario-file.schema.json) and point files at it with a
    first line `# yaml-language-server: $schema=../schema/scenario-file.schema.json`.
    """
    schema = config_file_schema() if config else scenario_file_schema()
    runtime.writer.out(json.dumps(schema, indent=2, sort_keys=True))
