"""What the client says when an exchange did not give what was asked: a redirect, a host that
does not exist, no answer, pages that overlap, a write answered with something else. Each
message names the environment (and the scenario), says what happened and what to do."""

from __future__ import annotations

import httpx

from omni_sync.client.answers import where
from omni_sync.client.exchange import MAX_BODY_BYTES, DeadlineExceeded
from omni_sync.errors import ApiError, TransportError


def redirected(
    environment: str, response: httpx.Response, doing: str, scenario: str | None
) -> ApiError:
    """Redirects are never followed: the credential must not travel to another address."""
    location = response.headers.get("Location", "nowhere")
    return ApiError(
        f"{where(environment, scenario)}: {doing} answered {response.status_code}, "
        f"a redirect to {location}; omni-sync does not follow redirects: set base_url to "
        "the account's API address",
        environment=environment,
        scenario=scenario,
        status=response.status_code,
    )


def unknown_host(environment: str, host: str, doing: str, scenario: str | None) -> TransportError:
    return TransportError(
        f"{where(environment, scenario)}: {doing} failed: the host {host} does not "
        "exist (DNS has no such name); check base_url in omni-sync.yaml",
        environment=environment,
        scenario=scenario,
    )


def too_large(environment: str, doing: str, scenario: str | None) -> TransportError:
    return TransportError(
        f"{where(environment, scenario)}: {doing} answered with a body over "
        f"{MAX_BODY_BYTES // 1_048_576} MB (too large); is base_url the account's API address?",
        environment=environment,
        scenario=scenario,
    )


def no_answer(
    environment: str, exc: httpx.HTTPError, doing: str, scenario: str | None, made: int
) -> TransportError:
    """No usable answer after ``made`` tries: the connection failed or the deadline passed."""
    name = type(exc).__name__
    detail = str(exc)
    said = detail if isinstance(exc, DeadlineExceeded) else f"{name}: {detail or name}"
    return TransportError(
        f"{where(environment, scenario)}: {doing} failed after {made} "
        f"tr{'ies' if made > 1 else 'y'}: {said}",
        environment=environment,
        scenario=scenario,
        attempts=made,
    )


def pages_overlap(environment: str, key: str, first: int, again: int) -> TransportError:
    """A key listed twice: the account's paging went wrong; it is never two scenarios."""
    where_again = "again on that page" if first == again else f"again on page {again}"
    return TransportError(
        f"{where(environment, None)}: listing scenarios, the scenario {key} is listed "
        f"on page {first} and {where_again}; the account's paging is inconsistent (it "
        "changed while being read, or the service pages wrongly): run plan again",
        environment=environment,
    )


def contradicted(environment: str, name: str, doing: str, found: str) -> ApiError:
    """A write answered with something else than what was sent: it did not happen as asked."""
    return ApiError(
        f"{where(environment, name)}: {doing} was answered with {found}; the service "
        "did not do what was sent, so it is not counted as applied: run plan to see what "
        "the account holds",
        environment=environment,
        scenario=name,
    )
