"""Where the emulator follows the spec to the letter: a 405 lists every method its path
answers, and ``limit`` on logs and reports has the spec's maximum but no minimum."""

from __future__ import annotations

import httpx
import pytest

from tests.emulator.test_sending import CONTENT, FLOW, PHONE

KEY = "A" * 32


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/omni/1/scenarios", "GET, HEAD, POST"),
        ("PUT", "/omni/1/scenarios", "GET, HEAD, POST"),
        ("DELETE", f"/omni/1/scenarios/{KEY}", "GET, HEAD, PUT"),
        ("POST", f"/omni/1/scenarios/{KEY}", "GET, HEAD, PUT"),
        ("GET", "/omni/1/advanced", "POST"),
        ("POST", "/omni/1/logs", "GET, HEAD"),
        ("DELETE", "/omni/1/reports", "GET, HEAD"),
    ],
)
def test_a_405_allows_every_method_of_its_path(
    client: httpx.Client, method: str, path: str, allow: str
) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["Allow"] == allow
    assert response.json()["requestError"]["serviceException"]["messageId"] == (
        "METHOD_NOT_ALLOWED"
    )
    for allowed in allow.split(", "):
        assert client.request(allowed, path, json={}).status_code != 405, allowed


@pytest.mark.parametrize("path", ["/omni/1/logs", "/omni/1/reports"])
@pytest.mark.parametrize("limit", ["-1", "-1000"])
def test_a_negative_limit_on_logs_and_reports_reads_as_the_default(
    client: httpx.Client, path: str, limit: str
) -> None:
    key = client.post("/omni/1/scenarios", json={"name": "O", "flow": FLOW}).json()["key"]
    destinations = [{"to": {"phoneNumber": PHONE}}]
    for _ in range(3):
        sent = client.post(
            "/omni/1/advanced", json={"scenarioKey": key, "destinations": destinations, **CONTENT}
        )
        assert sent.status_code == 200
    response = client.get(path, params={"limit": limit})
    assert response.status_code == 200, response.text
    assert len(response.json()["results"]) == 3
    assert client.get(path, params={"limit": "1001"}).status_code == 400
    assert client.get("/omni/1/logs", params={"limit": "0"}).json()["results"] == []
