"""OmniClient: the one object that talks to an account. Pages through lists, retries what is
safe to retry, paces writes, and never creates a scenario twice when an answer is lost."""

from __future__ import annotations

import asyncio
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from omni_sync.client.answers import (
    api_error,
    contradiction,
    json_of,
    noted,
    page_of,
    scenario_from,
    tried,
    where,
)
from omni_sync.client.exchange import (
    NOT_SENT,
    TooLarge,
    exchange,
    host_unknown,
)
from omni_sync.client.pacing import Interrupted, WriteWindow, pause
from omni_sync.client.refusals import (
    contradicted,
    no_answer,
    pages_overlap,
    redirected,
    too_large,
    unknown_host,
)
from omni_sync.client.retry import RETRY_STATUSES, RetryPolicy, retry_after
from omni_sync.errors import ApiError, OmniSyncError, TransportError
from omni_sync.model.scenario import RemoteScenario, ScenarioSpec
from omni_sync.secrets import redact_header

SCENARIOS = "/omni/1/scenarios"


def _scenario_path(key: str) -> str:
    """One scenario's path. A key comes from the service too: quoted, so that no answer can turn
    a GET or PUT into a request for another path of the account's host."""
    return f"{SCENARIOS}/{urllib.parse.quote(key, safe='')}"


Log = Callable[[str], None]
# Shorter waits before a retry go to the debug log only; from this long on they are shown.
NOTICE_WAITS_FROM_SECONDS = 1.0


class Ambiguous(Exception):
    """A write failed without a clear answer: it may or may not have been committed."""

    def __init__(self, error: ApiError, response: httpx.Response | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.response = response


class OutcomeUnknown(ApiError):
    """A create whose outcome is unknown: it was sent, and what became of it could not be read."""


@dataclass
class _Tries:
    """The tries of one request so far (a create that lost its answers counts across them)."""

    made: int = 0
    started: float = field(default_factory=time.monotonic)
    paced: float = 0.0  # seconds spent waiting for the write limit: not the retry budget's

    def spent(self) -> float:
        return time.monotonic() - self.started - self.paced


class OmniClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        environment: str,
        page_limit: int,
        creates: WriteWindow,
        updates: WriteWindow,
        retry: RetryPolicy | None = None,
        log: Log | None = None,
        notice: Log | None = None,
        deadline_seconds: float | None = None,
        credential: str | None = None,
    ) -> None:
        """``log``: every request (--debug); ``notice``: waits before trying again, as they
        begin. ``deadline_seconds``: the most one try may take, from connecting to the
        answer's last byte. ``credential``: what a 401 tells the user to check."""
        self.http = http
        self.environment = environment
        self.page_limit = page_limit
        self.retry = retry or RetryPolicy()
        self.deadline_seconds = deadline_seconds
        self.credential = credential
        self._windows = {"POST": creates, "PUT": updates}
        # Set to stop (Ctrl-C, SIGTERM): waits end at once and nothing new is sent; requests
        # in flight finish. What was stopped raises pacing.Interrupted.
        self.stop = asyncio.Event()
        self._log = log or (lambda _text: None)
        self._notice = notice or (lambda _text: None)
        self.requests_sent = 0
        self.writes_sent = 0

    @property
    def write_windows(self) -> dict[str, WriteWindow]:
        """The pacing of ``creates`` and ``updates``, for showing their waits."""
        return {"creates": self._windows["POST"], "updates": self._windows["PUT"]}

    async def list_scenarios(self) -> list[RemoteScenario]:
        """Every scenario, page by page (``page_limit`` each) until a short page. A key listed
        twice is the account's paging going wrong, never two scenarios."""
        found: list[RemoteScenario] = []
        pages: dict[str, int] = {}
        page = 0
        while True:
            params = {"page": page, "limit": self.page_limit}
            response = await self.request("GET", SCENARIOS, params=params)
            scenarios = page_of(response, self.environment, page)
            for item in scenarios:
                if item.key in pages:
                    raise pages_overlap(self.environment, item.key, pages[item.key], page)
                pages[item.key] = page
            found.extend(scenarios)
            if len(scenarios) < self.page_limit:
                return found
            page += 1

    async def get_scenario(self, key: str, *, name: str | None = None) -> RemoteScenario:
        response = await self.request("GET", _scenario_path(key), scenario=name or key)
        body = json_of(response, self.environment, name, "reading the scenario")
        got = scenario_from(body, self.environment, name, "reading the scenario")
        if got.key != key:
            raise TransportError(
                f"{where(self.environment, name or key)}: reading the scenario {key} was "
                f"answered with the scenario {got.key}; the account's answer cannot be trusted",
                environment=self.environment,
                scenario=name or key,
            )
        return got

    async def update_scenario(
        self, key: str, body: dict[str, object], *, name: str
    ) -> RemoteScenario:
        response = await self.request("PUT", _scenario_path(key), json=body, scenario=name)
        data = json_of(response, self.environment, name, "updating")
        return self._checked(body, data, key, name, "updating")

    def _checked(
        self, sent: dict[str, object], data: Any, key: str | None, name: str, doing: str
    ) -> RemoteScenario:
        """The scenario a write's answer holds, unless it contradicts what was sent: then the
        write failed, whatever the status said."""
        got = scenario_from(data, self.environment, name, doing)
        found = contradiction(sent, got, data, key)
        if found is not None:
            raise contradicted(self.environment, name, doing, found)
        return got

    async def create_scenario(self, spec: ScenarioSpec) -> RemoteScenario:
        """Create ``spec``, never twice when an answer is lost. Names are not unique upstream:
        an apply running at the same time may create the same name; apply settles that once,
        after its creates (``apply.races``), rather than listing the account around each one."""
        return await self._post(spec)

    async def _post(self, spec: ScenarioSpec) -> RemoteScenario:
        """POST, adopting the scenario instead when a lost answer hides that it was created."""
        tries = _Tries()
        while True:
            try:
                response = await self._request(
                    "POST",
                    SCENARIOS,
                    json=spec.to_api(),
                    params=None,
                    scenario=spec.name,
                    tries=tries,
                )
            except Ambiguous as lost:
                adopted = await self._found_after(spec, f"the answer was lost ({lost.error})")
                if adopted is not None:
                    self._log(
                        f'{self.environment}: adopted "{spec.name}" ({adopted.key}): '
                        "it was created before its answer was lost"
                    )
                    return adopted
                await self._pause(lost.error, tries, lost.response)
                continue
            return await self._created(spec, response)

    async def _created(self, spec: ScenarioSpec, response: httpx.Response) -> RemoteScenario:
        data = json_of(response, self.environment, spec.name, "creating")
        if isinstance(data, dict) and data.get("key") is not None:
            return self._checked(spec.to_api(), data, None, spec.name, "creating")
        answered = f"the create was answered {response.status_code}"
        answered += f" {response.reason_phrase} without a key"
        adopted = await self._found_after(spec, answered)
        if adopted is None:
            raise ApiError(
                f"{where(self.environment, spec.name)}: {answered}, and no such scenario is "
                "listed; plan again to see the account's state",
                environment=self.environment,
                scenario=spec.name,
            )
        if adopted.default != spec.default:
            found = f"a scenario listed as default {str(adopted.default).lower()}"
            raise contradicted(self.environment, spec.name, "creating", f"{found} ({adopted.key})")
        return adopted

    async def _found_after(self, spec: ScenarioSpec, sent: str) -> RemoteScenario | None:
        """The scenario a POST created, found by listing (``sent``: why its answer did not
        say, as "the answer was lost (...)"); a listing that fails leaves the outcome unknown."""
        try:
            return await self.find_created(spec)
        except (OmniSyncError, Interrupted) as exc:
            raise OutcomeUnknown(
                f"{where(self.environment, spec.name)}: {sent}, and listing to find it failed "
                f"({exc}); it may have been created: run plan to see the account's state",
                environment=self.environment,
                scenario=spec.name,
            ) from exc

    async def find_created(self, spec: ScenarioSpec) -> RemoteScenario | None:
        matching = [
            remote
            for remote in await self.list_scenarios()
            if remote.name == spec.name and remote.flow == spec.flow
        ]
        return min(matching, key=lambda remote: remote.key) if matching else None

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        scenario: str | None = None,
    ) -> httpx.Response:
        """One call, retried while that is safe; a POST that may have landed raises Ambiguous."""
        tries = _Tries()
        return await self._request(
            method, path, json=json, params=params, scenario=scenario, tries=tries
        )

    async def _request(
        self,
        method: str,
        path: str,
        *,
        json: Any,
        params: dict[str, Any] | None,
        scenario: str | None,
        tries: _Tries,
    ) -> httpx.Response:
        doing = f"{method} {path}"
        while True:
            tries.made += 1
            try:
                response = await self._send(method, path, json, params, tries)
            except TooLarge as exc:
                raise too_large(self.environment, doing, scenario) from exc
            except httpx.HTTPError as exc:
                if host_unknown(exc):
                    raise unknown_host(
                        self.environment, self.http.base_url.host, doing, scenario
                    ) from exc
                error = no_answer(self.environment, exc, doing, scenario, tries.made)
                if method == "POST" and not isinstance(exc, NOT_SENT):
                    raise Ambiguous(error) from exc
                await self._pause(error, tries, None)
                continue
            if response.status_code < 300:
                return response
            if response.status_code < 400:
                raise redirected(self.environment, response, doing, scenario)
            refused = api_error(
                response, self.environment, scenario, doing, self._advice(response.status_code)
            )
            if response.status_code not in RETRY_STATUSES:
                refused.attempts = tries.made
                raise refused
            counted = tried(refused, tries.made)
            if method == "POST" and response.status_code != 429:
                raise Ambiguous(counted, response)
            await self._pause(counted, tries, response)

    async def _pause(self, error: ApiError, tries: _Tries, response: httpx.Response | None) -> None:
        """Wait before the next try, or raise ``error`` (which says how often it was tried)
        when the tries are spent, the wait would pass the retry budget, or the service asks
        for a wait longer than omni-sync makes."""
        if tries.made >= self.retry.tries:
            raise error
        wait = self.retry.delay(tries.made, response)
        asked = response is not None and retry_after(response) is not None
        cap = self.retry.retry_after_cap_seconds
        if asked and wait > cap:
            raise noted(
                error,
                f"; the service asks to wait {_seconds(wait)} (Retry-After), more than the "
                f"{cap:g} s omni-sync waits: try again later",
            )
        spent = tries.spent()
        budget = self.retry.budget_seconds
        if spent + wait > budget:
            raise noted(
                error,
                f" in {spent:.1f} s; waiting {_seconds(wait)} more would pass the {budget:g} s "
                "retry budget: try again later",
            )
        then = f"trying again in {_seconds(wait)} ({'Retry-After' if asked else 'back-off'}), "
        then += f"try {tries.made + 1} of {self.retry.tries}"
        if wait >= NOTICE_WAITS_FROM_SECONDS:
            self._notice(f"{error}; {then}")
        else:
            self._log(f"{self.environment}: {then}")
        await pause(wait, self.stop, error)

    def _advice(self, status: int) -> str | None:
        if self.credential is None:
            return None
        if status == 401:
            return f"check {self.credential}"
        if status == 403:
            return f"check what {self.credential} is allowed to do"
        return None

    async def _send(
        self, method: str, path: str, json: Any, params: dict[str, Any] | None, tries: _Tries
    ) -> httpx.Response:
        if self.stop.is_set():
            raise Interrupted
        window = self._windows.get(method)
        if window is None:
            return await self._timed(method, path, json, params)
        queued = time.monotonic()
        async with window.slot(self.stop):
            tries.paced += time.monotonic() - queued
            return await self._timed(method, path, json, params)

    async def _timed(
        self, method: str, path: str, json: Any, params: dict[str, Any] | None
    ) -> httpx.Response:
        request = self.http.build_request(method, path, json=json, params=params)
        auth = redact_header(request.headers.get("Authorization", ""))
        self._log(f"{self.environment}: {method} {request.url} (Authorization: {auth})")
        started = time.monotonic()
        self.requests_sent += 1
        if method in self._windows:
            self.writes_sent += 1
        response = await exchange(self.http, request, self.deadline_seconds)
        elapsed = (time.monotonic() - started) * 1000
        self._log(f"{self.environment}: {response.status_code} in {elapsed:.0f} ms")
        return response


def _seconds(value: float) -> str:
    """A wait as people read it: ``100000 s``, ``2 s``, ``0.25 s``."""
    return f"{value:.0f} s" if value >= 10 else f"{value:.3g} s"
