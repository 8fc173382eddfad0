"""plan and apply against Stoplight Prism's dynamic mock of Infobip's OpenAPI spec (`prism mock
-d`): answers generated from the spec's schemas (integer keys, several defaults, extra fields),
not from our emulator, and every request checked against the spec (`--errors`: a request the
spec does not allow is refused). A fixed seed makes each answer the same on every run."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, run_cli_subprocess

INSTALL = REPO_ROOT / ".ci" / "install-prism"
PRISM = REPO_ROOT / ".ci" / "prism" / "node_modules" / ".bin" / "prism"
SPEC = REPO_ROOT / "spec" / "infobip-omni-failover-openapi.json"
STARTUP_SECONDS = 60
SCENARIO = "name: Order updates\ndefault: true\nflow:\n  - {channel: SMS, from: Shop}\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_listening(process: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, "prism exited before listening"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"prism did not listen within {STARTUP_SECONDS} s")


@pytest.fixture(scope="module")
def prism() -> Iterator[str]:
    """Prism serving the spec's dynamic mock on a loopback port (installed by .ci/run, or
    here by the same script when missing)."""
    subprocess.run([str(INSTALL)], check=True, capture_output=True, timeout=600)
    port = free_port()
    command = [str(PRISM), "mock", "-d", "--errors", "--seed", "omni-sync"]
    command += ["-h", "127.0.0.1", "-p", str(port), str(SPEC)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_listening(process, port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def project(repo: Path, prism: str) -> Path:
    settings = {"base_url": prism, "auth": {"type": "app", "key_env": "PRISM_KEY"}}
    (repo / "omni-sync.yaml").write_text(json.dumps({"environments": {"prod": settings}}))
    (repo / "scenarios.d").mkdir()
    (repo / "scenarios.d" / "orders.yaml").write_text(SCENARIO)
    return repo


def test_plan_reads_what_the_spec_allows(project: Path) -> None:
    done = run_cli_subprocess(["plan"], cwd=project, env={"PRISM_KEY": "prism-key"})
    assert done.returncode == 0, done.stderr
    assert '# scenario "Order updates" will be created' in done.stdout
    assert "Plan: 1 to add" in done.stdout
    unmanaged = done.stdout.partition("Unmanaged:")[2]
    assert re.search(r'^  "[^"]+" \(-?[0-9]+, the default\)$', unmanaged, re.MULTILINE), done.stdout


def test_apply_gets_past_listing_and_refuses_the_mocks_answer(project: Path) -> None:
    """The mock answers a create with a made-up scenario (another name and flow): that is a
    failure naming what came back, never "+ created"."""
    done = run_cli_subprocess(
        ["apply", "--auto-approve", "--force"], cwd=project, env={"PRISM_KEY": "prism-key"}
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Plan: 1 to add" in done.stdout
    assert '! failed "Order updates": ' in done.stdout
    assert "creating was answered with name" in done.stdout
    assert "not counted as applied" in done.stdout
    assert "Traceback" not in done.stderr
