"""OmniClient: the one object that talks to an account. Pages through lists, retries what is
safe to retry, paces writes, and never creates a scenario twice when an answer is lost."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable
from typing import Any

import httpx

from omni_sync.client.answers import (
    api_error,
    contradiction,
    json_of,
    page_of,
    scenario_from,
    where,
)
from omni_sync.client.pacing import WriteWindow
from omni_sync.client.retry import RETRY_STATUSES, RetryPolicy
from omni_sync.errors import ApiError, TransportError
from omni_sync.model.scenario import RemoteScenario, ScenarioSpec
from omni_sync.secrets import redact_header

SCENARIOS = "/omni/1/scenarios"
Log = Callable[[str], None]

# Far above any real answer (a page of 1,000 scenarios is well under 1 MB); more is refused
# unread rather than held in memory.
MAX_BODY_BYTES = 32 * 1024 * 1024

# The request never left: trying again cannot duplicate anything.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Name lookups that say the name does not exist; a lookup that failed for now (EAI_AGAIN) is
# retried like any connection error.
_NO_SUCH_NAME = frozenset(
    code
    for code in (getattr(socket, "EAI_NONAME", None), getattr(socket, "EAI_NODATA", None))
    if code
)


class Ambiguous(Exception):
    """A write failed without a clear answer: it may or may not have been committed."""

    def __init__(self, error: ApiError) -> None:
        super().__init__(str(error))
        self.error = error


class _TooLarge(Exception):
    pass


class OmniClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        environment: str,
        identity: str,
        page_limit: int,
        creates: WriteWindow,
        updates: WriteWindow,
        retry: RetryPolicy | None = None,
        log: Log | None = None,
    ) -> None:
        self.http = http
        self.environment = environment
        self.identity = identity
        self.page_limit = page_limit
        self.retry = retry or RetryPolicy()
        self._windows = {"POST": creates, "PUT": updates}
        self._log = log or (lambda _text: None)
        self.requests_sent = 0
        self.writes_sent = 0

    async def list_scenarios(self) -> list[RemoteScenario]:
        """Every scenario, page by page (``page_limit`` each) until a short page."""
        found: list[RemoteScenario] = []
        keys: set[str] = set()
        page = 0
        while True:
            params = {"page": page, "limit": self.page_limit}
            response = await self.request("GET", SCENARIOS, params=params)
            scenarios = page_of(response, self.environment)
            if scenarios and keys.issuperset(item.key for item in scenarios):
                raise TransportError(
                    f"{where(self.environment, None)}: listing scenarios, page {page} repeats "
                    "the same scenarios as earlier pages; the account's paging is broken",
                    environment=self.environment,
                )
            keys.update(item.key for item in scenarios)
            found.extend(scenarios)
            if len(scenarios) < self.page_limit:
                return found
            page += 1

    async def get_scenario(self, key: str, *, name: str | None = None) -> RemoteScenario:
        response = await self.request("GET", f"{SCENARIOS}/{key}", scenario=name or key)
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
        response = await self.request("PUT", f"{SCENARIOS}/{key}", json=body, scenario=name)
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
            raise self._contradicted(name, doing, found)
        return got

    def _contradicted(self, name: str, doing: str, found: str) -> ApiError:
        return ApiError(
            f"{where(self.environment, name)}: {doing} was answered with {found}; the service "
            "did not do what was sent, so it is not counted as applied: run plan to see what "
            "the account holds",
            environment=self.environment,
            scenario=name,
        )

    async def create_scenario(self, spec: ScenarioSpec) -> RemoteScenario:
        """Create ``spec``, never twice when an answer is lost. Names are not unique upstream:
        an apply running at the same time may create the same name; apply settles that once,
        after its creates (``apply.races``), rather than listing the account around each one."""
        return await self._post(spec)

    async def _post(self, spec: ScenarioSpec) -> RemoteScenario:
        """POST, adopting the scenario instead when a lost answer hides that it was created."""
        for attempt in range(1, self.retry.tries + 1):
            try:
                response = await self.request(
                    "POST", SCENARIOS, json=spec.to_api(), scenario=spec.name
                )
            except Ambiguous as lost:
                adopted = await self.find_created(spec)
                if adopted is not None:
                    self._log(
                        f'{self.environment}: adopted "{spec.name}" ({adopted.key}): '
                        "it was created before its answer was lost"
                    )
                    return adopted
                if attempt == self.retry.tries:
                    raise lost.error from lost
                await asyncio.sleep(self.retry.backoff(attempt))
                continue
            data = json_of(response, self.environment, spec.name, "creating")
            if isinstance(data, dict) and data.get("key") is not None:
                return self._checked(spec.to_api(), data, None, spec.name, "creating")
            adopted = await self.find_created(spec)
            if adopted is None:
                raise ApiError(
                    f"{where(self.environment, spec.name)}: created (201) without a key, and "
                    "no such scenario is listed; plan again to see the account's state",
                    environment=self.environment,
                    scenario=spec.name,
                )
            if adopted.default != spec.default:
                found = f"a scenario listed as default {str(adopted.default).lower()}"
                raise self._contradicted(spec.name, "creating", f"{found} ({adopted.key})")
            return adopted
        raise AssertionError("unreachable")  # pragma: no cover

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
        doing = f"{method} {path}"
        for attempt in range(1, self.retry.tries + 1):
            last = attempt == self.retry.tries
            try:
                response = await self._send(method, path, json, params)
            except _TooLarge as exc:
                raise TransportError(
                    f"{where(self.environment, scenario)}: {doing} answered with a body over "
                    f"{MAX_BODY_BYTES // 1_048_576} MB (too large); is base_url the account's "
                    "API address?",
                    environment=self.environment,
                    scenario=scenario,
                ) from exc
            except httpx.HTTPError as exc:
                if _host_unknown(exc):
                    raise self._unknown_host(doing, scenario) from exc
                error = self._transport_error(exc, doing, scenario, attempt)
                if method == "POST" and not isinstance(exc, _NOT_SENT):
                    raise Ambiguous(error) from exc
                if last:
                    raise error from exc
                await asyncio.sleep(self.retry.backoff(attempt))
                continue
            if response.status_code < 300:
                return response
            if response.status_code < 400:
                raise self._redirected(response, doing, scenario)
            refused = api_error(response, self.environment, scenario, doing)
            if response.status_code not in RETRY_STATUSES:
                raise refused
            if method == "POST" and response.status_code != 429:
                raise Ambiguous(refused)
            if last:
                raise refused
            await asyncio.sleep(self.retry.delay(attempt, response))
        raise AssertionError("unreachable")  # pragma: no cover

    def _redirected(self, response: httpx.Response, doing: str, scenario: str | None) -> ApiError:
        """Redirects are never followed: the credential must not travel to another address."""
        location = response.headers.get("Location", "nowhere")
        return ApiError(
            f"{where(self.environment, scenario)}: {doing} answered {response.status_code}, "
            f"a redirect to {location}; omni-sync does not follow redirects: set base_url to "
            "the account's API address",
            environment=self.environment,
            scenario=scenario,
            status=response.status_code,
        )

    def _unknown_host(self, doing: str, scenario: str | None) -> TransportError:
        host = self.http.base_url.host
        return TransportError(
            f"{where(self.environment, scenario)}: {doing} failed: the host {host} does not "
            "exist (DNS has no such name); check base_url in omni-sync.yaml",
            environment=self.environment,
            scenario=scenario,
        )

    def _transport_error(
        self, exc: httpx.HTTPError, doing: str, scenario: str | None, attempt: int
    ) -> TransportError:
        detail = str(exc) or type(exc).__name__
        return TransportError(
            f"{where(self.environment, scenario)}: {doing} failed after {attempt} "
            f"tr{'ies' if attempt > 1 else 'y'}: {type(exc).__name__}: {detail}",
            environment=self.environment,
            scenario=scenario,
        )

    async def _send(
        self, method: str, path: str, json: Any, params: dict[str, Any] | None
    ) -> httpx.Response:
        window = self._windows.get(method)
        if window is None:
            return await self._timed(method, path, json, params)
        async with window.slot():
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
        response = await _capped(await self.http.send(request, stream=True))
        elapsed = (time.monotonic() - started) * 1000
        self._log(f"{self.environment}: {response.status_code} in {elapsed:.0f} ms")
        return response


def _host_unknown(exc: BaseException) -> bool:
    """Whether a connection failed because the host name does not exist: trying again in a few
    seconds will not change that, so it is said at once instead of after every retry."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, socket.gaierror) and seen.errno in _NO_SUCH_NAME:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


async def _capped(response: httpx.Response) -> httpx.Response:
    """The response read whole, unless its (decoded) body passes ``MAX_BODY_BYTES``."""
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise _TooLarge(size)
            chunks.append(chunk)
    finally:
        await response.aclose()
    skip = {"content-encoding", "content-length", "transfer-encoding"}
    headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in skip]
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=b"".join(chunks),
        request=response.request,
        extensions=response.extensions,
    )
