"""The credential never appears: every command and output format, --debug HTTP logs, saved
plans, files written, 401s and internal errors, with a recognizable key (and, for Basic, its
base64 form) looked for in stdout, stderr and every file in the repository."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench.lib.chaos import fast_retries
from omni_sync import secrets
from omni_sync.cli import cli
from omni_sync.emulator.harness import EmulatorHarness
from tests.conftest import run_cli_subprocess

APP_KEY = "RELIABILITYAPPKEY0123456789abcdef"
BASIC_USER = "reliability-user"
BASIC_PASSWORD = "RELIABILITY-PASSWORD-9876543210"
WRONG_KEY = "RELIABILITYWRONGKEY00000000000000"

SCENARIO = """\
name: Order updates
default: true
flow:
  - {channel: SMS, from: Shop}
  - {channel: EMAIL, from: orders@example.com}
"""
TEMPLATE = """\
scenarios: [Order updates]
sample: {customer: Ana}
fallback: "Hi {{ customer }}"
email: {subject: "Hello", text: "Hi {{ customer }}"}
"""


@dataclass
class Setup:
    repo: Path
    env: dict[str, str]
    forbidden: list[str]


def forbidden_forms(*values: str) -> list[str]:
    forms = []
    for value in values:
        forms += [value, base64.b64encode(value.encode()).decode()]
    return forms


@pytest.fixture(params=["app", "basic"])
def setup(request: pytest.FixtureRequest, emulator: EmulatorHarness, repo: Path) -> Setup:
    if request.param == "app":
        emulator.add_account("app", secret=APP_KEY)
        auth = {"type": "app", "key_env": "REL_KEY"}
        env = {"REL_KEY": APP_KEY}
        forbidden = forbidden_forms(APP_KEY)
    else:
        emulator.add_account("basic", secret=f"{BASIC_USER}:{BASIC_PASSWORD}")
        auth = {"type": "basic", "username_env": "REL_USER", "password_env": "REL_PASSWORD"}
        env = {"REL_USER": BASIC_USER, "REL_PASSWORD": BASIC_PASSWORD}
        forbidden = forbidden_forms(BASIC_PASSWORD, f"{BASIC_USER}:{BASIC_PASSWORD}")
    config = {"environments": {"prod": {"base_url": emulator.base_url, "auth": auth}}}
    (repo / "omni-sync.yaml").write_text(json.dumps(config))
    (repo / "scenarios.d").mkdir()
    (repo / "scenarios.d" / "orders.yaml").write_text(SCENARIO)
    (repo / "templates").mkdir()
    (repo / "templates" / "order.yaml").write_text(TEMPLATE)
    return Setup(repo, env, forbidden)


MATRIX = [
    ["validate"],
    ["validate", "--format", "json"],
    ["validate", "--format", "github"],
    ["environments"],
    ["environments", "--json", "--credentials"],
    ["plan"],
    ["plan", "--format", "json"],
    ["plan", "--format", "markdown"],
    ["plan", "--detailed-exitcode", "--out", "plan.json"],
    ["apply", "--format", "json", "--auto-approve", "--force"],
    ["apply", "plan.json"],
    ["apply", "--auto-approve", "--force"],
    ["plan", "--format", "markdown", "--out", "again.json"],
    ["keys", "-e", "prod"],
    ["keys", "-e", "prod", "--format", "json"],
    ["keys", "-e", "prod", "--format", "env"],
    ["render", "order", "-e", "prod", "--email", "ana@example.com"],
    ["send", "order", "-e", "prod", "--email", "ana@example.com", "--poll-interval", "0.05"],
    ["import", "-e", "prod", "--force"],
    ["plan", "-e", "nowhere"],
]


def files_text(root: Path) -> Iterator[tuple[Path, str]]:
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield path, path.read_bytes().decode("utf-8", "replace")


def assert_hidden(forbidden: list[str], *texts: str) -> None:
    for text in texts:
        for secret in forbidden:
            assert secret not in text, f"{secret!r} leaked in: {text[:2000]}"


def invoke(setup: Setup, *args: str) -> tuple[int, str, str]:
    secrets.clear()  # each run must register and scrub on its own, as a fresh process does
    result = CliRunner().invoke(cli, ["-C", str(setup.repo), *args], env=setup.env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("debug", [False, True])
def test_every_command_and_format_hides_the_credential(setup: Setup, debug: bool) -> None:
    codes = {}
    for args in MATRIX:
        code, out, err = invoke(setup, *(["--debug"] if debug else []), *args)
        codes[" ".join(args)] = code
        assert "Traceback" not in out + err or debug
        assert_hidden(setup.forbidden, out, err)
    for path, text in files_text(setup.repo):
        assert_hidden(setup.forbidden, f"{path}: {text}")
    assert codes["apply plan.json"] == 0
    assert codes["keys -e prod"] == 0
    assert (setup.repo / "plan.json").exists()
    assert codes["plan -e nowhere"] == 1


def test_debug_logs_do_show_requests(setup: Setup) -> None:
    code, _, err = invoke(setup, "--debug", "plan")
    assert code == 0
    assert "GET " in err
    assert "Authorization: " in err


def test_a_401_names_nothing_secret(setup: Setup) -> None:
    setup.env = dict.fromkeys(setup.env, WRONG_KEY)
    code, out, err = invoke(setup, "--debug", "plan")
    assert code == 1
    assert "401" in err
    assert_hidden([*setup.forbidden, *forbidden_forms(WRONG_KEY)], out, err)
    code, out, err = invoke(setup, "--debug", "apply", "--format", "json", "--auto-approve")
    assert code == 1
    assert '"type": "failed"' in out
    assert "401" in out
    assert_hidden([*setup.forbidden, *forbidden_forms(WRONG_KEY)], out, err)


def test_an_internal_error_with_the_key_in_it_is_scrubbed(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = setup.env[next(iter(setup.env))] if len(setup.env) == 1 else BASIC_PASSWORD

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError(f"unexpected: Authorization: App {secret}")

    monkeypatch.setattr("omni_sync.plan.diff.make_plan", broken)
    monkeypatch.setattr("omni_sync.apply.planning.make_plan", broken, raising=False)
    code, out, err = invoke(setup, "--debug", "plan")
    assert code == 1, err
    assert "internal error" in err
    assert "Traceback" in err
    assert_hidden(setup.forbidden, out, err)


def test_the_real_entry_point_hides_the_credential(setup: Setup) -> None:
    done = run_cli_subprocess(["--debug", "plan", "--out", "p.json"], cwd=setup.repo, env=setup.env)
    assert done.returncode == 0, done.stderr
    assert_hidden(setup.forbidden, done.stdout, done.stderr, (setup.repo / "p.json").read_text())
    wrong = dict.fromkeys(setup.env, WRONG_KEY)
    done = run_cli_subprocess(["--debug", "apply", "--auto-approve"], cwd=setup.repo, env=wrong)
    assert done.returncode == 1
    assert_hidden(forbidden_forms(WRONG_KEY), done.stdout, done.stderr)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://example.com", False),
        ("http://10.0.0.1:8080", False),
        ("http://example.com", True),
    ],
)
def test_plain_http_off_loopback_is_refused_unless_allowed(
    repo: Path, url: str, allowed: bool
) -> None:
    settings = {"base_url": url, "auth": {"type": "app", "key_env": "REL_KEY"}}
    if allowed:
        settings["allow_insecure_http"] = True
    (repo / "omni-sync.yaml").write_text(json.dumps({"environments": {"prod": settings}}))
    (repo / "scenarios.d").mkdir()
    (repo / "scenarios.d" / "orders.yaml").write_text(SCENARIO)
    with fast_retries():
        # The hosts are allowed to receive the key, so only the clear-text rule is at stake.
        env = {"REL_KEY": APP_KEY, "OMNI_SYNC_ALLOWED_HOSTS": "example.com,10.0.0.1"}
        result = CliRunner().invoke(cli, ["-C", str(repo), "plan"], env=env)
    assert result.exit_code == 1
    refusal = "http:// sends credentials in clear text"
    if allowed:
        assert refusal not in result.stderr
        assert "non-loopback" in result.stderr or "failed" in result.stderr
    else:
        assert refusal in result.stderr
    assert APP_KEY not in result.stdout + result.stderr


def test_a_saved_plan_holds_no_hash_of_the_credential(setup: Setup) -> None:
    """The plan's account is its base URL: nothing derived from a secret is written."""
    assert invoke(setup, "plan", "--out", "plan.json")[0] == 0
    text = (setup.repo / "plan.json").read_text()
    (environment,) = json.loads(text)["environments"]
    base_url = json.loads((setup.repo / "omni-sync.yaml").read_text())["environments"]["prod"]
    assert environment["account"] == base_url["base_url"]
    headers = [f"App {APP_KEY}", "Basic " + forbidden_forms(f"{BASIC_USER}:{BASIC_PASSWORD}")[1]]
    for value in [*setup.forbidden, *headers]:
        digest = hashlib.sha256(value.encode()).hexdigest()
        combined = hashlib.sha256(f"{base_url['base_url']}\n{digest}".encode()).hexdigest()
        for derived in (digest, digest[:32], combined, combined[:32]):
            assert derived not in text
