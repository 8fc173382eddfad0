"""Finding and reading the template files under ``templates/``, every problem located."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from omni_sync.errors import ConfigError, Problem, ProblemsFound
from omni_sync.messages.paths import template_paths
from omni_sync.messages.template import (
    RESERVED_SAMPLE_KEYS,
    EmailContent,
    MessageTemplate,
    ViberContent,
    VoiceContent,
)
from omni_sync.model.layout import TEMPLATES_DIR, YAML_SUFFIXES
from omni_sync.source.locate import field_names, relative_name, validation_problems
from omni_sync.source.safe_yaml import Document, Position, YamlError, YamlPath, loads, read_text

_KNOWN_KEYS = field_names(MessageTemplate, ViberContent, EmailContent, VoiceContent)
KeyPath = YamlPath


class _Refused(Exception):
    """Internal: the located problems that stop reading one file."""

    def __init__(self, *problems: Problem) -> None:
        self.problems = problems
        super().__init__(str(problems[0]))


@dataclass(frozen=True)
class TemplateFile:
    """A template as read: its name (the file name without suffix), its path relative to the
    root, the validated model, its sample data, and where every value stands in the file."""

    name: str
    path: str
    template: MessageTemplate
    sample: dict[str, Any]
    document: Document
    lines: tuple[str, ...] = ()

    def indentation(self, line: int) -> int:
        """How many spaces open ``line`` (1-based) of the file."""
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return len(text) - len(text.lstrip(" "))

    def where(self, *keys: str | int) -> Position:
        """Where ``keys`` is written, or its nearest parent that the file spells out."""
        return self.document.locate(keys)

    def is_block(self, position: Position) -> bool:
        """A ``|`` or ``>`` scalar starts there: its text begins on the next line."""
        text = self.lines[position.line - 1] if position.line <= len(self.lines) else ""
        return text[position.column - 1 : position.column] in ("|", ">")

    def problem(self, keys: KeyPath, message: str, environment: str | None = None) -> Problem:
        position = self.where(*keys)
        return Problem(self.path, position.line, position.column, message, environment)


def _parse(file: Path, path: str) -> tuple[str, Document]:
    try:
        text = read_text(file)
        return text, loads(text)
    except YamlError as exc:
        where = exc.position
        raise _Refused(Problem(path, where.line, where.column, exc.message)) from exc


def _read_sample(root: Path, file: Path, template: MessageTemplate, at: Problem) -> dict[str, Any]:
    if template.sample_file is None:
        return dict(template.sample or {})
    sample_path = file.parent / template.sample_file
    folder = (root / TEMPLATES_DIR).resolve()
    if not sample_path.resolve().is_relative_to(folder):
        message = (
            f"sample_file: {template.sample_file} leads outside {TEMPLATES_DIR}/; keep sample "
            f"files under {TEMPLATES_DIR}/ (for example {TEMPLATES_DIR}/samples/)"
        )
        raise _Refused(Problem(at.path, at.line, at.column, message))
    if not sample_path.is_file():
        message = f"sample_file: {template.sample_file} not found beside the template"
        raise _Refused(Problem(at.path, at.line, at.column, message))
    sample_rel = relative_name(root, sample_path)
    value = _parse(sample_path, sample_rel)[1].data
    if not isinstance(value, dict):
        raise _Refused(Problem(sample_rel, 1, 1, "a sample file holds a mapping of variables"))
    reserved = sorted(RESERVED_SAMPLE_KEYS & set(value))
    if reserved:
        message = f"sample keys {reserved} are the environment's"
        raise _Refused(Problem(sample_rel, 1, 1, message))
    return value


def read_template(root: Path, file: Path) -> TemplateFile:
    """One template file, or ``ProblemsFound`` with everything wrong in it."""
    path = relative_name(root, file)
    try:
        text, document = _parse(file, path)
        if not isinstance(document.data, dict):
            raise _Refused(Problem(path, 1, 1, "a template file holds a mapping"))
        try:
            template = MessageTemplate.model_validate(document.data)
        except ValidationError as exc:
            found = validation_problems(exc, document, path=path, known_keys=_KNOWN_KEYS)
            raise _Refused(*found) from exc
        at = document.locate(("sample_file",))
        sample = _read_sample(root, file, template, Problem(path, at.line, at.column, ""))
    except _Refused as exc:
        raise ProblemsFound(exc.problems) from exc
    return TemplateFile(file.stem, path, template, sample, document, tuple(text.splitlines()))


def load_templates(root: Path) -> tuple[list[TemplateFile], list[Problem]]:
    """Every template under ``templates/``, and the problems of those that could not be read."""
    files: list[TemplateFile] = []
    problems: list[Problem] = []
    for file in template_paths(root):
        try:
            files.append(read_template(root, file))
        except ProblemsFound as exc:
            problems.extend(exc.problems)
    return files, problems


def find_template(root: Path, ref: str) -> TemplateFile:
    """A template by name (``order-shipped``) or by path (``templates/order-shipped.yaml``)."""
    candidate = root / ref
    if candidate.suffix in YAML_SUFFIXES and candidate.is_file():
        return read_template(root, candidate)
    matches = [file for file in template_paths(root) if file.stem == ref]
    if not matches:
        known = ", ".join(file.stem for file in template_paths(root)) or "none"
        raise ConfigError(f'no template "{ref}" under {TEMPLATES_DIR}/ (templates: {known})')
    if len(matches) > 1:
        paths = ", ".join(relative_name(root, file) for file in matches)
        raise ConfigError(f'template name "{ref}" is ambiguous ({paths}): give its path')
    return read_template(root, matches[0])
