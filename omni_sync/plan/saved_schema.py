"""The shape of a saved plan file, checked strictly (every field present, of its JSON type,
nothing unknown), and each change checked against what its own ``before`` and ``spec`` give.

Damage raises ``Damaged`` with the JSON path of the field (``environments[0].changes[2].spec``),
or pydantic's ValidationError, whose location ``json_path`` spells the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from omni_sync.model.desired import SourceRef
from omni_sync.model.scenario import Channel, RemoteScenario, ScenarioSpec, Step
from omni_sync.plan.changes import Action, Change
from omni_sync.plan.diff import change_for


class Damaged(Exception):
    """A saved plan that does not hold together, at ``path`` (a JSON path; "" for the text)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """``json.loads``' object hook: a key written twice is damage, never "the last one wins"."""
    document: dict[str, object] = {}
    for key, value in pairs:
        if key in document:
            raise Damaged("", f'the key "{key}" appears twice in one object')
        document[key] = value
    return document


def json_path(location: Sequence[int | str]) -> str:
    """``("environments", 0, "changes")`` -> ``environments[0].changes``."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class SavedStep(_Strict):
    channel: Channel
    sender: str = Field(alias="from", min_length=1)

    def step(self) -> Step:
        """Built without validating again: this model checked every field already."""
        return Step.model_construct(channel=self.channel, sender=self.sender)


class SavedScenario(_Strict):
    """A scenario as the account held it."""

    key: str = Field(min_length=1)
    name: str
    flow: tuple[SavedStep, ...]
    default: bool

    def remote(self) -> RemoteScenario:
        flow = tuple(step.step() for step in self.flow)
        return RemoteScenario.model_construct(
            key=self.key, name=self.name, flow=flow, default=self.default
        )


class SavedSpec(_Strict):
    """A change's ``spec``: every field of ScenarioSpec (a test keeps the two alike)."""

    name: str = Field(min_length=1)
    flow: tuple[SavedStep, ...] = Field(min_length=1)
    default: bool
    environments: tuple[str, ...] | None
    renamed_from: tuple[str, ...]
    key: str | None

    def spec(self) -> ScenarioSpec:
        """Built without ScenarioSpec's checks: a retirement keeps the account's own flow, and
        apply compares every spec with what the files and the account give before using it."""
        return ScenarioSpec.model_construct(
            name=self.name,
            flow=tuple(step.step() for step in self.flow),
            default=self.default,
            environments=self.environments,
            renamed_from=self.renamed_from,
            key=self.key,
        )


class SavedSource(_Strict):
    path: str = Field(min_length=1)
    line: int = Field(ge=1)


class SavedChange(_Strict):
    action: Action
    spec: SavedSpec
    before: SavedScenario | None
    source: SavedSource | None
    fingerprint: str

    def to_change(self, at: str, upstream: dict[str, RemoteScenario]) -> Change:
        before = self.before.remote() if self.before is not None else None
        if before is not None and upstream.get(before.key) != before:
            raise Damaged(f"{at}.before", "not among the upstream scenarios the plan read")
        source = SourceRef(self.source.path, self.source.line) if self.source else None
        change = change_for(self.spec.spec(), before, source)
        if change is None:
            raise Damaged(at, "a change that changes nothing")
        if change.action is not self.action:
            raise Damaged(
                f"{at}.action", f'"{self.action}", where its before gives "{change.action}"'
            )
        if change.fingerprint != self.fingerprint:
            raise Damaged(f"{at}.fingerprint", "does not match its before")
        return change


def check_one_change_each(at: str, changes: Sequence[Change]) -> None:
    """One change per upstream scenario, and one per name."""
    seen: set[str] = set()
    for number, change in enumerate(changes):
        targets = {f"name {change.name}"} | ({f"key {change.key}"} if change.key else set())
        if seen & targets:
            raise Damaged(
                f"{at}.changes[{number}]", f'a second change for scenario "{change.name}"'
            )
        seen |= targets


class SavedEnvironmentBody(_Strict):
    environment: str = Field(min_length=1)
    account: str = Field(min_length=1)
    files_digest: str = Field(min_length=1)
    changes: tuple[SavedChange, ...]
    default_cleared: SavedScenario | None
    upstream: tuple[SavedScenario, ...]
    targets: tuple[str, ...]
    """The ``--scenario`` patterns the plan was limited to (none: every scenario)."""

    def upstream_scenarios(self, at: str, raw: list[object]) -> dict[str, RemoteScenario]:
        """``raw``: this environment's ``upstream`` as JSON gave it, which this model has
        checked; read in one pass of pydantic's own code (10,000 in 0.1 s, not 0.4 s)."""
        seen: set[str] = set()
        for number, body in enumerate(self.upstream):
            if body.key in seen:
                raise Damaged(f"{at}.upstream[{number}].key", f'"{body.key}" is listed twice')
            seen.add(body.key)
        return {remote.key: remote for remote in _REMOTES.validate_python(raw)}

    def cleared_default(
        self, at: str, upstream: dict[str, RemoteScenario], changes: Sequence[Change]
    ) -> RemoteScenario | None:
        if self.default_cleared is None:
            return None
        cleared = self.default_cleared.remote()
        if upstream.get(cleared.key) != cleared:
            raise Damaged(f"{at}.default_cleared", "not among the upstream scenarios the plan read")
        if not any(change.promotes_default for change in changes):
            raise Damaged(f"{at}.default_cleared", "set, but no change promotes another default")
        return cleared


_REMOTES = TypeAdapter(list[RemoteScenario])


class SavedDocument(_Strict):
    omni_sync_saved_plan: int
    omni_sync_version: str
    environments: tuple[SavedEnvironmentBody, ...] = Field(min_length=1)
