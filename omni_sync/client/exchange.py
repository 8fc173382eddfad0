"""One HTTP exchange: the request sent and its answer read whole, within one deadline that covers
connecting, sending and every byte of the body (httpx's own timeouts are per read, so a server
sending one byte a second would never trip them), and no larger than ``MAX_BODY_BYTES``."""

from __future__ import annotations

import asyncio
import socket

import httpx

# Far above any real answer (a page of 1,000 scenarios is well under 1 MB); more is refused
# unread rather than held in memory.
MAX_BODY_BYTES = 32 * 1024 * 1024

# The request never left: trying again cannot duplicate anything.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Name lookups that say the name does not exist; a lookup that failed for now (EAI_AGAIN) is
# retried like any connection error.
_NO_SUCH_NAME = frozenset(
    code
    for code in (getattr(socket, "EAI_NONAME", None), getattr(socket, "EAI_NODATA", None))
    if code
)


class TooLarge(Exception):
    pass


class DeadlineExceeded(httpx.TimeoutException):
    """The whole answer did not arrive within the request's deadline."""


async def exchange(
    http: httpx.AsyncClient, request: httpx.Request, deadline: float | None
) -> httpx.Response:
    """``request`` sent and its answer read whole within ``deadline`` seconds (None: no limit
    beyond httpx's per-read timeouts)."""
    try:
        async with asyncio.timeout(deadline):
            return await _capped(await http.send(request, stream=True))
    except TimeoutError as exc:
        raise DeadlineExceeded(
            f"no complete answer within {deadline:g} s (timeout_seconds)", request=request
        ) from exc


async def _capped(response: httpx.Response) -> httpx.Response:
    """The response read whole, unless its (decoded) body passes ``MAX_BODY_BYTES``."""
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise TooLarge(size)
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


def host_unknown(exc: BaseException) -> bool:
    """Whether a connection failed because the host name does not exist: trying again in a few
    seconds will not change that, so it is said at once instead of after every retry."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, socket.gaierror) and seen.errno in _NO_SUCH_NAME:
            return True
        seen = seen.__cause__ or seen.__context__
    return False
