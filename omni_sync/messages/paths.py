"""Where message templates are: the top-level ``*.yaml`` / ``*.yml`` files of ``templates/``.
Apart from their reading, so that a plan of a repository without templates imports none of it."""

from __future__ import annotations

from pathlib import Path

from omni_sync.model.layout import TEMPLATES_DIR, YAML_SUFFIXES


def template_paths(root: Path) -> list[Path]:
    folder = root / TEMPLATES_DIR
    if not folder.is_dir():
        return []
    # Top level only: sub-folders (``templates/samples/``) hold sample files, not templates.
    return sorted(p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file())
