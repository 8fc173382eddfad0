"""An OmniClient over httpx.MockTransport, for answers the emulator never gives."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from omni_sync.client.omni import OmniClient
from omni_sync.client.pacing import WriteWindow
from omni_sync.client.retry import RetryPolicy


def mock_client(handler: Callable[[httpx.Request], httpx.Response], tries: int = 3) -> OmniClient:
    http = httpx.AsyncClient(
        base_url="https://acct.api.infobip.com", transport=httpx.MockTransport(handler)
    )
    return OmniClient(
        http,
        environment="prod",
        page_limit=100,
        creates=WriteWindow(20, 600),
        updates=WriteWindow(40, 600),
        retry=RetryPolicy(tries=tries, base_seconds=0.001, cap_seconds=0.001),
    )
