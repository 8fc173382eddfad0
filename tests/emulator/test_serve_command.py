"""``omni-sync emulator serve``: a real process answering over loopback, stopped by Ctrl-C;
and its refusals, in-process."""

from __future__ import annotations

import signal
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from omni_sync.cli import cli
from tests.emulator.conftest import Served

BODY = {"name": "Orders", "flow": [{"from": "InfoSMS", "channel": "SMS"}], "default": True}
KEY = "k3y-for-tests-only"


def test_serves_every_credential_kind_and_stops_cleanly_on_ctrl_c(tmp_path: Path):
    served = Served(
        "--api-key", KEY, "--basic", "ann:s3cret-pw", "--bearer", "tok-123456", cwd=tmp_path
    )
    try:
        app = {"Authorization": f"App {KEY}"}
        created = httpx.post(served.base_url + "/omni/1/scenarios", json=BODY, headers=app)
        assert created.status_code == 201
        basic = httpx.get(served.base_url + "/omni/1/scenarios", auth=("ann", "s3cret-pw"))
        assert basic.json() == {"scenarios": []}
        bearer = {"Authorization": "Bearer tok-123456"}
        assert httpx.get(served.base_url + "/omni/1/scenarios", headers=bearer).status_code == 200
        assert httpx.get(served.base_url + "/omni/1/scenarios").status_code == 401
    finally:
        code, err = served.stop()
    assert code == 0
    assert '"POST /omni/1/scenarios" 201' in err
    assert "auth=App ***" in err
    assert "auth=Basic ***" in err
    assert KEY not in err
    assert "s3cret" not in err
    assert err.rstrip().endswith("OMNI emulator stopped.")


def test_sigterm_stops_it_as_ctrl_c_does(tmp_path: Path):
    """What a CI job's cancel, or ``timeout``, sends: the same clean stop and closing line."""
    served = Served("--api-key", KEY, "--quiet", cwd=tmp_path)
    try:
        listed = httpx.get(
            served.base_url + "/omni/1/scenarios", headers={"Authorization": f"App {KEY}"}
        )
    finally:
        code, err = served.stop(signal.SIGTERM)
    assert listed.json() == {"scenarios": []}
    assert code == 0, err
    assert err.rstrip().endswith("OMNI emulator stopped.")


def test_scenarios_survive_a_restart_with_a_db_file(tmp_path: Path):
    db = tmp_path / "emulator.db"
    headers = {"Authorization": f"App {KEY}"}
    first = Served("--api-key", KEY, "--db", str(db), cwd=tmp_path)
    try:
        key = httpx.post(first.base_url + "/omni/1/scenarios", json=BODY, headers=headers).json()[
            "key"
        ]
    finally:
        first.stop()
    second = Served("--api-key", KEY, "--db", str(db), "--quiet", cwd=tmp_path)
    try:
        listed = httpx.get(second.base_url + "/omni/1/scenarios", headers=headers).json()
    finally:
        _, err = second.stop()
    assert [s["key"] for s in listed["scenarios"]] == [key]
    assert "GET /omni/1/scenarios" not in err


def test_throttling_is_on_by_default_when_served(tmp_path: Path):
    served = Served("--api-key", KEY, "--quiet", cwd=tmp_path)
    try:
        url, headers = served.base_url + "/omni/1/scenarios", {"Authorization": f"App {KEY}"}
        codes = [
            httpx.post(url, json={**BODY, "default": False}, headers=headers).status_code
            for _ in range(21)
        ]
    finally:
        served.stop()
    assert codes == [201] * 20 + [429]


def _invoke_serve(monkeypatch, tmp_path: Path, *args: str) -> tuple[object, list[object]]:
    """The command in-process, with serving replaced by a few in-process calls."""
    seen: list[object] = []

    def fake_serve(app, sock):
        async def calls():
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                seen.append(
                    await client.get("/omni/1/scenarios", headers={"Authorization": f"App {KEY}"})
                )
                seen.append(await client.get("/omni/1/scenarios", auth=("ann", "pw1234")))
                seen.append(app.state.emulator)

        import asyncio

        asyncio.run(calls())

    monkeypatch.setattr("omni_sync.emulator.server.serve_forever", fake_serve)
    result = CliRunner().invoke(
        cli, ["-C", str(tmp_path), "emulator", "serve", "--port", "0", *args]
    )
    return result, seen


def test_credentials_can_come_from_the_environment(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("OMNI_SYNC_EMULATOR_API_KEYS", f"other-key {KEY}")
    monkeypatch.setenv("OMNI_SYNC_EMULATOR_BASIC", "ann:pw1234")
    result, seen = _invoke_serve(monkeypatch, tmp_path)
    assert result.exit_code == 0, result.output
    assert [r.status_code for r in seen[:2]] == [200, 200]
    assert "(3 accounts," in result.output


def test_serve_in_process_builds_accounts_faults_and_reachability(monkeypatch, tmp_path: Path):
    accounts = tmp_path / "accounts.yaml"
    accounts.write_text("accounts:\n  - name: ann\n    basic: ann:pw1234\n")
    result, seen = _invoke_serve(
        monkeypatch, tmp_path, "--api-key", KEY, "--accounts-file", str(accounts),
        "--reachable", "41793026727=SMS,EMAIL", "--share-503", "0.5", "--seed", "3",
        "--no-throttle", "--admin-token", "adm1n-token", "--host", "127.0.0.1",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [r.status_code for r in seen[:2]] in ([200, 200], [200, 503], [503, 200], [503, 503])
    state = seen[2]
    assert state.faults.settings.share_503 == 0.5
    assert state.reachability.snapshot() == {"41793026727": ["EMAIL", "SMS"]}
    assert state.throttle.settings.enabled is False
    assert "(2 accounts, db :memory:, throttling off)" in result.output
    assert "OMNI emulator stopped." in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "no account: give --api-key KEY"),
        (["--basic", "nocolon"], "--basic: a Basic credential is written USER:PASSWORD"),
        (
            ["--api-key", KEY, "--reachable", "nowhere"],
            "--reachable nowhere: write ADDRESS=CHANNEL",
        ),
        (["--api-key", KEY, "--reachable", "1=PIGEON"], "--reachable 1=PIGEON"),
        (["--api-key", KEY, "--share-500", "2"], "fault options: shares are between 0 and 1"),
        (["--api-key", KEY, "--throttle-window", "0"], "--throttle-window must be more than 0"),
        (["--api-key", KEY, "--host", "192.0.2.1"], "cannot listen on 192.0.2.1:0"),
    ],
)
def test_serve_refuses_bad_options_in_one_line(monkeypatch, tmp_path, args, message):
    result, _ = _invoke_serve(monkeypatch, tmp_path, *args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("accounts: 3\n", "expected a mapping with an 'accounts' list"),
        ("accounts:\n  - 5\n", "accounts[0]: write name and one of"),
        ("accounts:\n  - api_key: a\n    bearer: b\n", "accounts[0]: give exactly one of"),
        ("accounts:\n  - basic: x\n", "accounts[0]: a Basic credential is written"),
        ("accounts: [\n", "cannot read the accounts file"),
    ],
)
def test_bad_accounts_files_are_refused(monkeypatch, tmp_path, content, message):
    path = tmp_path / "accounts.yaml"
    path.write_text(content)
    result, _ = _invoke_serve(monkeypatch, tmp_path, "--accounts-file", str(path))
    assert result.exit_code == 1
    assert message in result.output


def test_a_non_loopback_host_is_warned_about(capsys):
    from omni_sync.commands.emulator import _announce
    from omni_sync.emulator.throttle import ThrottleSettings
    from omni_sync.output import Writer

    for host in ("192.0.2.1", "example.test"):
        _announce(
            Writer(), host=host, port=1, db=":memory:", accounts=1, throttle=ThrottleSettings()
        )
    _announce(Writer(), host="::1", port=1, db="x", accounts=2, throttle=ThrottleSettings())
    err = capsys.readouterr().err
    assert err.count("is not a loopback address") == 2
    assert "http://[::1]:1" in err
