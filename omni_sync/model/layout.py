"""Where a repository keeps its files: the facts that load/, messages/ and adopt/ all read."""

from __future__ import annotations

SCENARIO_DIR = "scenarios.d"
TEMPLATES_DIR = "templates"
YAML_SUFFIXES = (".yaml", ".yml")
"""What scenario and template files end with."""
