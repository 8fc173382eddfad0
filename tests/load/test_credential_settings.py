"""Where the key may go, said where it is written: a base_url the credential may not be sent to
(validate, and every command that connects), a base_url with more than the address, and a
credential variable name that changes how programs run (validate and every command)."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from omni_sync.cli import cli
from omni_sync.emulator.harness import EmulatorHarness
from tests.conftest import run_cli_subprocess
from tests.load.helpers import write

KEY = "cred-test-key-9d3e71b0aa"
SCENARIO = "name: Orders\ndefault: true\nflow:\n  - {channel: SMS, from: Shop}\n"


def repository(repo: Path, base_url: str, auth: str = "{type: app, key_env: PROD_KEY}") -> Path:
    write(
        repo,
        "omni-sync.yaml",
        f"environments:\n  dev:\n  prod:\n    base_url: {base_url}\n    auth: {auth}\n",
    )
    write(repo, "scenarios.d/orders.yaml", SCENARIO)
    return repo


def invoke(repo: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["-C", str(repo), *args], env=env)
    return result.exit_code, result.stdout, result.stderr


FOREIGN_REFUSAL = (
    "omni-sync.yaml:4:15: base_url: evil.example.com is neither Infobip's API (api.infobip.com, "
    "*.api.infobip.com) nor loopback, so the credential is not sent there; if this host is yours, "
    "set OMNI_SYNC_ALLOWED_HOSTS=evil.example.com in the pipeline's environment (or your shell)"
)


def test_validate_refuses_a_foreign_host_at_its_line(repo: Path) -> None:
    repository(repo, "https://evil.example.com")
    code, out, err = invoke(repo, "validate")
    assert (code, out.splitlines(), err) == (1, [FOREIGN_REFUSAL], "Error: 1 problem found\n")


def test_validate_honours_the_operators_allowed_hosts(repo: Path) -> None:
    repository(repo, "https://evil.example.com")
    code, out, err = invoke(repo, "validate", env={"OMNI_SYNC_ALLOWED_HOSTS": "evil.example.com"})
    assert (code, err) == (0, "")
    assert out.startswith("Valid: 2 scenarios in 2 environments")


def test_validate_of_another_environment_does_not_judge_this_host(repo: Path) -> None:
    repository(repo, "https://evil.example.com")
    code, out, _ = invoke(repo, "validate", "-e", "dev")
    assert code == 0, out


def test_infobip_hosts_and_a_trailing_slash_are_valid(repo: Path) -> None:
    repository(repo, "https://xyz12.api.infobip.com/")
    code, out, err = invoke(repo, "validate")
    assert (code, err) == (0, ""), out


CONNECTING = {
    "plan": ["plan"],
    "apply": ["apply", "--auto-approve"],
    "import": ["import", "-e", "prod"],
    "keys": ["keys", "-e", "prod"],
    "render": ["render", "note", "-e", "prod", "--phone", "41790000000"],
    "send": ["send", "note", "-e", "prod", "--phone", "41790000000"],
}


@pytest.mark.parametrize("command", sorted(CONNECTING))
def test_a_command_that_connects_refuses_a_foreign_host(repo: Path, command: str) -> None:
    repository(repo, "https://evil.example.com")
    write(repo, "templates/note.yaml", "scenarios: [Orders]\nsms:\n  text: Hello\n")
    done = run_cli_subprocess(CONNECTING[command], cwd=repo, env={"PROD_KEY": KEY})
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert 'environment "prod": base_url: evil.example.com is neither' in output
    assert "set OMNI_SYNC_ALLOWED_HOSTS=evil.example.com" in output
    assert "does not exist" not in output  # refused, not tried and failed to resolve
    assert KEY not in output
    assert "Traceback" not in output


def test_a_saved_plan_made_where_the_host_was_allowed_is_refused_where_it_is_not(
    repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan is made with the host allowed (it resolves to the emulator here); applying
    that file where the operator has not allowed the host sends nothing."""
    account = emulator.add_account("app", KEY)
    port = emulator.base_url.rsplit(":", 1)[1]
    real = socket.getaddrinfo
    lookups: list[object] = []

    def lookup(host: object, *args: object, **kwargs: object) -> object:
        lookups.append(host)
        named = host in ("omni.example.com", b"omni.example.com")
        return real("127.0.0.1" if named else host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    monkeypatch.setenv("PROD_KEY", KEY)
    repository(repo, f"http://omni.example.com:{port}\n    allow_insecure_http: true")
    allowed = {"OMNI_SYNC_ALLOWED_HOSTS": "omni.example.com"}
    code, out, err = invoke(repo, "plan", "-e", "prod", "--out", "p.json", env=allowed)
    assert code == 0, err
    lookups.clear()
    code, out, err = invoke(repo, "apply", "p.json")
    assert code == 1
    assert 'environment "prod": base_url: omni.example.com is neither' in err
    assert lookups == []
    assert emulator.scenarios(account) == []
    assert KEY not in out + err


@pytest.mark.parametrize(
    ("base_url", "message"),
    [
        (
            "https://xyz12.api.infobip.com/omni/1",
            "base_url must not have a path (/omni/1: omni-sync adds the API's paths itself); "
            "write the address alone, https://xyz12.api.infobip.com",
        ),
        (
            "https://xyz12.api.infobip.com/?region=eu",
            "base_url must not have a query or fragment; write the address alone, "
            "https://xyz12.api.infobip.com",
        ),
        (
            "https://xyz12.api.infobip.com#top",
            "base_url must not have a query or fragment; write the address alone, "
            "https://xyz12.api.infobip.com",
        ),
        (
            "https://me:hunter2-secret@xyz12.api.infobip.com:8443",
            "base_url must not hold a user or password (it would be sent and logged); write "
            "https://xyz12.api.infobip.com:8443 and name the credential's variables under auth",
        ),
    ],
)
def test_base_url_is_the_address_alone(repo: Path, base_url: str, message: str) -> None:
    repository(repo, f"'{base_url}'")
    code, out, err = invoke(repo, "validate")
    assert (code, out.splitlines()) == (1, [f"omni-sync.yaml:4:15: {message}"])
    assert "hunter2" not in out + err


PYTHON_REFUSAL = (
    "omni-sync.yaml:5:32: auth.key_env: {name} is a variable that programs, the shell or CI read "
    "(PYTHON*); a credential exported under it would change how they run or where they connect. "
    "Use a name of your own, such as INFOBIP_PROD_API_KEY"
)


@pytest.mark.parametrize("name", ["PYTHONHOME", "PYTHONWARNINGS"])
@pytest.mark.parametrize(
    "command", [["validate"], ["plan"], ["environments", "--json", "--credentials"]]
)
def test_a_python_variable_cannot_hold_the_key(repo: Path, name: str, command: list[str]) -> None:
    """Through the real entry point: the workflows learn the names to export from
    ``environments --json``, so it must refuse them as validate and plan do."""
    repository(repo, "https://xyz12.api.infobip.com", f"{{type: app, key_env: {name}}}")
    done = run_cli_subprocess(command, cwd=repo, env={"PROD_KEY": KEY})
    assert done.returncode == 1, done.stdout + done.stderr
    assert PYTHON_REFUSAL.format(name=name) in (done.stdout + done.stderr).splitlines()
    assert name not in done.stdout.replace(PYTHON_REFUSAL.format(name=name), "")


@pytest.mark.parametrize(
    ("auth", "field", "name", "family"),
    [
        ("{type: app, key_env: LD_PRELOAD}", "key_env", "LD_PRELOAD", "LD_*"),
        ("{type: app, key_env: BASH_ENV}", "key_env", "BASH_ENV", ""),
        ("{type: app, key_env: PATH}", "key_env", "PATH", ""),
        ("{type: app, key_env: GITHUB_ENV}", "key_env", "GITHUB_ENV", "GITHUB_*"),
        ("{type: app, key_env: RUNNER_TEMP}", "key_env", "RUNNER_TEMP", "RUNNER_*"),
        ("{type: app, key_env: NODE_OPTIONS}", "key_env", "NODE_OPTIONS", "NODE_*"),
        ("{type: app, key_env: HTTPS_PROXY}", "key_env", "HTTPS_PROXY", ""),
        ("{type: app, key_env: OMNI_SYNC_ALLOWED_HOSTS}", "key_env", "OMNI_SYNC_ALLOWED_HOSTS",
         "OMNI_SYNC_*"),
        ("{type: bearer, token_env: SSL_CERT_FILE}", "token_env", "SSL_CERT_FILE", ""),
        ("{type: basic, username_env: U_NAME, password_env: GIT_ASKPASS}", "password_env",
         "GIT_ASKPASS", "GIT_*"),
        ("{type: basic, username_env: ENV, password_env: P_WORD}", "username_env", "ENV", ""),
    ],
)  # fmt: skip
def test_names_that_change_how_programs_run_are_refused(
    repo: Path, auth: str, field: str, name: str, family: str
) -> None:
    repository(repo, "https://xyz12.api.infobip.com", auth)
    code, out, _ = invoke(repo, "validate")
    assert code == 1
    [line] = out.splitlines()
    family = f" ({family})" if family else ""
    assert (
        f": auth.{field}: {name} is a variable that programs, the shell or CI read{family};" in line
    )
    assert line.startswith("omni-sync.yaml:5:")


@pytest.mark.parametrize("name", ["prod_key", "Prod_Key", "1KEY", "_KEY", "KEY-1"])
def test_a_name_must_be_plain_upper_case(repo: Path, name: str) -> None:
    repository(repo, "https://xyz12.api.infobip.com", f"{{type: app, key_env: '{name}'}}")
    code, out, _ = invoke(repo, "validate")
    assert code == 1
    assert "must be the name of an environment variable: upper-case letters" in out
    assert not re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", out)


def test_ordinary_names_are_fine(repo: Path) -> None:
    auth = "{type: basic, username_env: INFOBIP_USER, password_env: INFOBIP_PASSWORD_2}"
    repository(repo, "https://xyz12.api.infobip.com", auth)
    code, out, err = invoke(repo, "environments", "--json", "--credentials")
    assert (code, err) == (0, "")
    assert json.loads(out)["include"][0]["credentials"] == ["INFOBIP_USER", "INFOBIP_PASSWORD_2"]


def test_the_schema_gives_editors_the_name_rule() -> None:
    from omni_sync.commands.schema import config_file_schema

    key_env = config_file_schema()["$defs"]["Auth"]["properties"]["key_env"]
    plain, reserved = re.compile(key_env["pattern"]), re.compile(key_env["not"]["pattern"])
    assert key_env["not"]["type"] == "string"  # null stays valid
    for name in ("PYTHONHOME", "PYTHONWARNINGS", "LD_PRELOAD", "PATH", "GITHUB_TOKEN", "CI"):
        assert plain.match(name)
        assert reserved.match(name), name
    for name in ("PROD_KEY", "CIRCLE_KEY", "PATH_KEY", "INFOBIP_API_KEY"):
        assert plain.match(name)
        assert not reserved.match(name), name
    assert not plain.match("prod_key")


TWO_FOREIGN_ACCOUNTS = (
    "environments:\n"
    "  prod:\n"
    "    base_url: https://evil.example.com\n"
    "    auth: {type: app, key_env: PYTHONHOME}\n"
    "  stage:\n"
    "    base_url: https://evil2.example.com\n"
    "    auth: {type: app, key_env: LD_PRELOAD}\n"
)


def refused_name(line: int, name: str, family: str, suggestion: str) -> str:
    return (
        f"omni-sync.yaml:{line}:32: auth.key_env: {name} is a variable that programs, the shell "
        f"or CI read ({family}); a credential exported under it would change how they run or "
        f"where they connect. Use a name of your own, such as {suggestion}"
    )


def refused_host(line: int, host: str) -> str:
    return FOREIGN_REFUSAL.replace("evil.example.com", host).replace(":4:15:", f":{line}:15:")


def test_validate_reports_refused_names_and_hosts_of_every_environment_in_one_run(
    repo: Path,
) -> None:
    """As Terraform's validate does: every problem of the file at once, each at its place."""
    write(repo, "omni-sync.yaml", TWO_FOREIGN_ACCOUNTS)
    write(repo, "scenarios.d/orders.yaml", SCENARIO)
    code, out, err = invoke(repo, "validate")
    assert (code, err) == (1, "Error: 4 problems found\n")
    assert out.splitlines() == [
        refused_host(3, "evil.example.com"),
        refused_name(4, "PYTHONHOME", "PYTHON*", "INFOBIP_PROD_API_KEY"),
        refused_host(6, "evil2.example.com"),
        refused_name(7, "LD_PRELOAD", "LD_*", "INFOBIP_STAGE_API_KEY"),
    ]


def test_validate_of_one_environment_judges_only_its_host(repo: Path) -> None:
    write(repo, "omni-sync.yaml", TWO_FOREIGN_ACCOUNTS)
    code, out, _ = invoke(repo, "validate", "-e", "stage")
    assert code == 1
    assert refused_host(6, "evil2.example.com") in out.splitlines()
    assert "evil.example.com" not in out  # prod's host depends on where prod runs


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (  # a wrong type elsewhere hides neither the name nor the host
            "    page_limit: 0\n    auth: {type: app, key_env: PYTHONHOME}\n",
            [
                refused_host(3, "evil.example.com"),
                "omni-sync.yaml:4:17: page_limit: Input should be greater than or equal to 1",
                refused_name(5, "PYTHONHOME", "PYTHON*", "INFOBIP_PROD_API_KEY"),
            ],
        ),
        (  # auth unreadable: its own error and the host, nothing guessed about its names
            "    auth: {type: app, key_env: PYTHONHOME, key: s3cret}\n",
            [
                refused_host(3, "evil.example.com"),
                "omni-sync.yaml:4:44: unknown key 'key'; did you mean 'key_env'?",
            ],
        ),
        (  # whether plain http is allowed is unknown: neither the URL nor its host is judged
            "    allow_insecure_http: 'yes'\n    auth: {type: app, key_env: PYTHONHOME}\n",
            [
                "omni-sync.yaml:4:26: allow_insecure_http: expected true or false, not the text 'yes'",
                refused_name(5, "PYTHONHOME", "PYTHON*", "INFOBIP_PROD_API_KEY"),
            ],
        ),
    ],
)
def test_a_wrong_type_hides_no_other_problem_of_its_environment(
    repo: Path, settings: str, expected: list[str]
) -> None:
    write(
        repo,
        "omni-sync.yaml",
        f"environments:\n  prod:\n    base_url: https://evil.example.com\n{settings}",
    )
    code, out, _ = invoke(repo, "validate")
    assert code == 1
    assert out.splitlines() == expected


@pytest.mark.parametrize("command", ["plan", "apply", "keys", "import"])
def test_commands_that_connect_refuse_the_names_before_connecting(repo: Path, command: str) -> None:
    write(repo, "omni-sync.yaml", TWO_FOREIGN_ACCOUNTS)
    write(repo, "scenarios.d/orders.yaml", SCENARIO)
    done = run_cli_subprocess(CONNECTING[command], cwd=repo)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert refused_name(4, "PYTHONHOME", "PYTHON*", "INFOBIP_PROD_API_KEY") in output.splitlines()
    assert "does not exist" not in output
    assert "Traceback" not in output


@pytest.mark.parametrize(
    ("environment", "auth", "suggested"),
    [
        ("stage", "{type: app, key_env: PATH}", ["INFOBIP_STAGE_API_KEY"]),
        ("eu-west", "{type: bearer, token_env: GH_TOKEN}", ["INFOBIP_EU_WEST_TOKEN"]),
        ("eu.1", "{type: ibsso, token_env: 'bad name'}", ["INFOBIP_EU_1_TOKEN"]),
        (
            "Test_2",
            "{type: basic, username_env: USER, password_env: PWD}",
            ["INFOBIP_TEST_2_USERNAME", "INFOBIP_TEST_2_PASSWORD"],
        ),
    ],
)
def test_the_suggested_name_follows_the_environment_and_the_field(
    repo: Path, environment: str, auth: str, suggested: list[str]
) -> None:
    write(
        repo,
        "omni-sync.yaml",
        f"environments:\n  {environment}:\n    base_url: https://x.api.infobip.com\n"
        f"    auth: {auth}\n",
    )
    code, out, _ = invoke(repo, "validate")
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == len(suggested)  # one line per refused name
    for line, name in zip(lines, suggested, strict=True):
        assert re.search(rf"(such as|e\.g\.) {name}\b", line), line
