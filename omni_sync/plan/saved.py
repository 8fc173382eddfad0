"""Saved plans (``plan --out FILE``, ``apply FILE``): a versioned JSON holding each environment's
changes, the upstream scenarios they were planned from, the files digest and the account's base
URL. Never a credential, nor anything derived from one.

Reading one checks its shape and its own consistency (each change must be what its ``before``
and ``spec`` give); damage is a one-line error naming the field. What the file may not be trusted
with, that the changes are what the files and the account give, ``plan.saved_check`` verifies.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from omni_sync import __version__
from omni_sync.errors import ConfigError, one_line
from omni_sync.plan.changes import Change, Plan, remote_body
from omni_sync.plan.environment_plan import EnvironmentPlan, from_plan
from omni_sync.plan.saved_schema import (
    Damaged,
    SavedDocument,
    SavedEnvironmentBody,
    check_one_change_each,
    json_path,
    no_duplicate_keys,
)
from omni_sync.source.files import write_whole

SAVED_PLAN_VERSION = 2
MARKER = "omni_sync_saved_plan"


def _change_body(change: Change) -> dict[str, object]:
    return {
        "action": change.action.value,
        "spec": change.spec.model_dump(mode="json", by_alias=True),
        "before": remote_body(change.before) if change.before is not None else None,
        "source": {"path": change.source.path, "line": change.source.line}
        if change.source is not None
        else None,
        "fingerprint": change.fingerprint,
    }


def _environment_body(item: EnvironmentPlan) -> dict[str, object]:
    plan = item.planned
    return {
        "environment": plan.environment,
        "account": item.account,
        "files_digest": plan.files_digest,
        "changes": [_change_body(change) for change in plan.changes],
        "default_cleared": remote_body(plan.cleared_default)
        if plan.cleared_default is not None
        else None,
        "upstream": [remote_body(remote) for remote in item.upstream],
        "targets": list(plan.targets),
    }


def dump_saved(environments: Sequence[EnvironmentPlan]) -> str:
    document = {
        MARKER: SAVED_PLAN_VERSION,
        "omni_sync_version": __version__,
        "environments": [_environment_body(item) for item in environments],
    }
    # Compact: json's C encoder writes no indented output, and the file is for apply and show
    # (`omni-sync show FILE` prints it for people); 10,000 scenarios take 0.05 s, not 0.3 s.
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_saved(path: Path, environments: Sequence[EnvironmentPlan]) -> None:
    try:
        write_whole(path, dump_saved(environments))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the plan ({exc.strerror})") from exc


def read_saved(path: Path, shown: str | None = None) -> list[EnvironmentPlan]:
    """``shown``: the path as the user wrote it, for messages (``path`` itself by default)."""
    where = shown or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read the saved plan ({exc.strerror})") from exc
    except UnicodeDecodeError:
        raise ConfigError(
            f"{where}: not a saved plan (not UTF-8 text); make one with omni-sync plan --out"
        ) from None
    return parse_saved(text, where)


def parse_saved(text: str, where: str) -> list[EnvironmentPlan]:
    """The environments of a saved plan's text; a ConfigError that names the field otherwise."""
    try:
        document = json.loads(text, object_pairs_hook=no_duplicate_keys)
    except Damaged as exc:
        raise _damaged(where, exc.path, exc.message) from None
    except (ValueError, RecursionError) as exc:
        raise ConfigError(
            one_line(f"{where}: not a saved plan (not JSON: {exc}); make one with plan --out")
        ) from None
    _check_versions(document, where)
    try:
        parsed = SavedDocument.model_validate_json(text, strict=True)
        raw = document["environments"]
        return [
            _environment(index, item, raw[index]["upstream"]) for index, item in _unique(parsed)
        ]
    except ValidationError as exc:
        first = exc.errors()[0]
        raise _damaged(where, json_path(first["loc"]), _reason(first)) from None
    except Damaged as exc:
        raise _damaged(where, exc.path, exc.message) from None


def _check_versions(document: object, where: str) -> None:
    if not isinstance(document, dict) or MARKER not in document:
        raise ConfigError(f"{where}: not an omni-sync saved plan (make one with plan --out)")
    made_by = document.get("omni_sync_version")
    if isinstance(made_by, str) and made_by != __version__:
        raise ConfigError(
            one_line(
                f"{where}: the saved plan was made by omni-sync {made_by}, this is omni-sync "
                f"{__version__}; make it again with this version (omni-sync plan --out)"
            )
        )
    version = document[MARKER]
    if isinstance(version, int) and version != SAVED_PLAN_VERSION:
        raise ConfigError(
            f"{where}: saved plan format {version} is not the one omni-sync {__version__} "
            f"reads ({SAVED_PLAN_VERSION}); make it again with omni-sync plan --out"
        )


_REASONS = {
    "missing": "missing",
    "extra_forbidden": "not a field of a saved plan",
    "too_short": "empty",
    "string_too_short": "empty",
}


def _reason(error: Any) -> str:
    """pydantic's message in JSON's words (an array, not a tuple)."""
    message = _REASONS.get(error["type"]) or str(error["msg"])
    for python, json_word in (("tuple", "array"), ("dictionary", "object")):
        message = message.replace(python, json_word)
    return message[:1].lower() + message[1:]


def _damaged(where: str, path: str, message: str) -> ConfigError:
    at = f" at {path}" if path else ""
    return ConfigError(
        one_line(
            f"{where}: the saved plan is damaged{at}: {message}; make it again with "
            "omni-sync plan --out"
        )
    )


def _unique(document: SavedDocument) -> Iterator[tuple[int, SavedEnvironmentBody]]:
    seen: set[str] = set()
    for index, item in enumerate(document.environments):
        if item.environment in seen:
            raise Damaged(
                f"environments[{index}].environment", f'"{item.environment}" is listed twice'
            )
        seen.add(item.environment)
        yield index, item


def _environment(index: int, item: SavedEnvironmentBody, raw: list[object]) -> EnvironmentPlan:
    at = f"environments[{index}]"
    upstream = item.upstream_scenarios(at, raw)
    changes = tuple(
        change.to_change(f"{at}.changes[{number}]", upstream)
        for number, change in enumerate(item.changes)
    )
    check_one_change_each(at, changes)
    plan = Plan(
        environment=item.environment,
        files_digest=item.files_digest,
        changes=changes,
        cleared_default=item.cleared_default(at, upstream, changes),
        targets=item.targets,
    )
    return from_plan(plan, item.account, tuple(upstream.values()))
