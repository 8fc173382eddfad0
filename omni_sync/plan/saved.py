"""Saved plans (``plan --out FILE``, ``apply FILE``): a versioned JSON holding each environment's
changes, the fingerprints of what they read, the files digest and the account's identity.

Applying one first re-plans against the account and the files; any difference makes it stale.
There is deliberately no way to skip that check.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from omni_sync import __version__
from omni_sync.errors import ConfigError, StalePlan
from omni_sync.model.desired import SourceRef
from omni_sync.model.scenario import RemoteScenario, ScenarioSpec
from omni_sync.plan.changes import Action, Change, Plan, remote_body
from omni_sync.plan.diff import change_for

SAVED_PLAN_VERSION = 2
_MARKER = "omni_sync_saved_plan"


_DEFAULT_PORTS = {"https": 443, "http": 80}


def account_identity(base_url: str) -> str:
    """Which account a plan is for: the environment's base URL, normalised (scheme and host in
    lower case, no default port, no trailing slash), or ``embedded``.

    Never the credential nor a hash of it: a plan made with a read-only key is applied with the
    same account's write key, and a plan file holds nothing derived from a secret.
    """
    parts = urlsplit(base_url.strip())
    try:
        port = parts.port
    except ValueError:
        port = None
    host = parts.hostname
    if not parts.scheme or not host:
        return base_url.strip().rstrip("/")
    scheme = parts.scheme.lower()
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    return f"{scheme}://{host}{parts.path.rstrip('/')}"


@dataclass(frozen=True)
class SavedEnvironment:
    """One environment's plan and the account it is for; ``from_file``: read by ``apply FILE``
    (else the plan ``apply`` just showed)."""

    plan: Plan
    account: str
    from_file: bool = False


def _change_body(change: Change) -> dict[str, object]:
    return {
        "action": change.action.value,
        "spec": {**change.spec.to_api(), "renamed_from": list(change.spec.renamed_from)},
        "before": remote_body(change.before) if change.before is not None else None,
        "source": {"path": change.source.path, "line": change.source.line}
        if change.source is not None
        else None,
        "fingerprint": change.fingerprint,
    }


def dump_saved(environments: Sequence[SavedEnvironment]) -> str:
    document = {
        _MARKER: SAVED_PLAN_VERSION,
        "omni_sync_version": __version__,
        "environments": [
            {
                "environment": item.plan.environment,
                "account": item.account,
                "files_digest": item.plan.files_digest,
                "changes": [_change_body(change) for change in item.plan.changes],
                "default_cleared": remote_body(item.plan.cleared_default)
                if item.plan.cleared_default is not None
                else None,
            }
            for item in environments
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_saved(path: Path, environments: Sequence[SavedEnvironment]) -> None:
    try:
        path.write_text(dump_saved(environments), encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the plan ({exc.strerror})") from exc


def read_saved(path: Path) -> list[SavedEnvironment]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the saved plan ({exc.strerror})") from exc
    except ValueError as exc:
        raise ConfigError(f"{path}: not a saved plan (not JSON: {exc})") from exc
    return parse_saved(document, str(path))


def parse_saved(document: Any, where: str) -> list[SavedEnvironment]:
    if not isinstance(document, dict) or _MARKER not in document:
        raise ConfigError(f"{where}: not an omni-sync saved plan (make one with plan --out)")
    if document[_MARKER] != SAVED_PLAN_VERSION:
        raise ConfigError(
            f"{where}: saved plan version {document[_MARKER]!r} is not supported by omni-sync "
            f"{__version__} (it reads version {SAVED_PLAN_VERSION}); plan again with this version"
        )
    try:
        return [_environment(item) for item in document["environments"]]
    except (KeyError, TypeError, ValueError, ValidationError) as exc:
        raise ConfigError(
            f"{where}: the saved plan is damaged ({type(exc).__name__}); plan again"
        ) from exc


def _environment(item: dict[str, Any]) -> SavedEnvironment:
    cleared = item["default_cleared"]
    plan = Plan(
        environment=str(item["environment"]),
        files_digest=str(item["files_digest"]),
        changes=tuple(_change(body) for body in item["changes"]),
        cleared_default=RemoteScenario.model_validate(cleared) if cleared is not None else None,
    )
    return SavedEnvironment(plan=plan, account=str(item["account"]), from_file=True)


def _change(body: dict[str, Any]) -> Change:
    spec = ScenarioSpec.model_validate(body["spec"])
    before = RemoteScenario.model_validate(body["before"]) if body["before"] else None
    source = SourceRef(**body["source"]) if body["source"] else None
    change = change_for(spec, before, source)
    if change is None:
        raise ValueError("a change that changes nothing")
    if change.action.value != body["action"] or change.fingerprint != body["fingerprint"]:
        raise ValueError("a change does not match its fingerprint")
    return change


def _identity(change: Change) -> tuple[str, str]:
    return (change.action.value, change.key or change.name)


def _describe(change: Change) -> str:
    key = f" ({change.key})" if change.key else ""
    return f'scenario "{change.name}"{key}'


def stale_reasons(saved: SavedEnvironment, fresh: Plan, account: str) -> Iterator[str]:
    """Why ``saved`` no longer matches the account and files ``fresh`` was made from."""
    if saved.account != account:
        yield (
            f"it was made for the account at {saved.account}, and the environment now points "
            f"at {account}"
        )
        return
    if saved.plan.files_digest != fresh.files_digest:
        yield "the scenario files changed since"
        return
    now = {_identity(change): change for change in fresh.changes}
    for change in saved.plan.changes:
        current = now.pop(_identity(change), None)
        if current is None and change.action is Action.CREATE:
            yield f"{_describe(change)} now exists upstream"
        elif current is None or current.fingerprint != change.fingerprint:
            yield f"{_describe(change)} changed upstream"
    for change in now.values():
        yield f"{_describe(change)} changed upstream"
    before = saved.plan.cleared_default
    after = fresh.cleared_default
    if (before and before.key) != (after and after.key):
        yield "the default scenario changed upstream"


def check_fresh(saved: SavedEnvironment, fresh: Plan, account: str) -> None:
    """Refuse a plan the account or the files moved away from: a saved plan as stale, the plan
    ``apply`` just showed as a change while applying (a race, not a saved plan)."""
    reasons = list(stale_reasons(saved, fresh, account))
    if not reasons:
        return
    where = f'environment "{saved.plan.environment}"'
    if saved.from_file:
        raise StalePlan(f"Saved plan is stale: {where}: {'; '.join(reasons)}. {_AGAIN}")
    if saved.plan.files_digest != fresh.files_digest:
        moved = "the scenario files changed while applying"
    else:
        moved = f"the account changed while applying: {'; '.join(reasons)}"
    raise StalePlan(f"{where}: {moved}; nothing was applied. {_AGAIN}")


_AGAIN = "Run omni-sync plan again."
