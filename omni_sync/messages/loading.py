"""Finding and reading the template files under ``templates/``, every problem located."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from omni_sync.errors import ConfigError, Problem, ProblemsFound
from omni_sync.messages.source import Document, KeyPath, Position, ProblemError, parse_yaml
from omni_sync.messages.template import RESERVED_SAMPLE_KEYS, MessageTemplate

TEMPLATES_DIR = "templates"
SUFFIXES = (".yaml", ".yml")


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


def template_paths(root: Path) -> list[Path]:
    folder = root / TEMPLATES_DIR
    if not folder.is_dir():
        return []
    # Top level only: sub-folders (``templates/samples/``) hold sample files, not templates.
    return sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES and p.is_file())


def _relative(root: Path, file: Path) -> str:
    try:
        return file.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return file.as_posix()


def _validation_problems(error: ValidationError, path: str, document: Document) -> list[Problem]:
    problems = []
    for item in error.errors():
        loc: KeyPath = tuple(item["loc"])
        unknown = item["type"] == "extra_forbidden"
        position = document.locate(loc, key=unknown)
        field = ".".join(str(part) for part in loc) or "template"
        message = str(item["msg"]).removeprefix("Value error, ")
        if unknown:
            message = "unknown key; see the template file shape in the README"
        problems.append(Problem(path, position.line, position.column, f"{field}: {message}"))
    return problems


def _read_sample(
    root: Path, file: Path, template: MessageTemplate, path: str, at: Position
) -> dict[str, Any]:
    if template.sample_file is None:
        return dict(template.sample or {})
    sample_path = file.parent / template.sample_file
    if not sample_path.is_file():
        message = f"sample_file: {template.sample_file} not found beside the template"
        raise ProblemError(Problem(path, at.line, at.column, message))
    sample_rel = _relative(root, sample_path)
    value = parse_yaml(sample_path.read_text(encoding="utf-8"), sample_rel).data
    if not isinstance(value, dict):
        raise ProblemError(Problem(sample_rel, 1, 1, "a sample file holds a mapping of variables"))
    reserved = sorted(RESERVED_SAMPLE_KEYS & set(value))
    if reserved:
        message = f"sample keys {reserved} are reserved (the environment's)"
        raise ProblemError(Problem(sample_rel, 1, 1, message))
    return value


def read_template(root: Path, file: Path) -> TemplateFile:
    """One template file, or ``ProblemsFound`` with everything wrong in it."""
    path = _relative(root, file)
    try:
        text = file.read_text(encoding="utf-8")
        document = parse_yaml(text, path)
        value = document.data
        if not isinstance(value, dict):
            raise ProblemError(Problem(path, 1, 1, "a template file holds a mapping"))
        try:
            template = MessageTemplate.model_validate(value)
        except ValidationError as exc:
            raise ProblemsFound(_validation_problems(exc, path, document)) from exc
        at = document.locate(("sample_file",))
        sample = _read_sample(root, file, template, path, at)
    except ProblemError as exc:
        raise ProblemsFound([exc.problem]) from exc
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
    if candidate.suffix in SUFFIXES and candidate.is_file():
        return read_template(root, candidate)
    matches = [file for file in template_paths(root) if file.stem == ref]
    if not matches:
        known = ", ".join(file.stem for file in template_paths(root)) or "none"
        raise ConfigError(f'no template "{ref}" under {TEMPLATES_DIR}/ (templates: {known})')
    if len(matches) > 1:
        paths = ", ".join(_relative(root, file) for file in matches)
        raise ConfigError(f'template name "{ref}" is ambiguous ({paths}): give its path')
    return read_template(root, matches[0])
