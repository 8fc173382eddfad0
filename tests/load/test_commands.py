import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from omni_sync.cli import cli
from omni_sync.commands.schema import config_file_schema, scenario_file_schema
from omni_sync.commands.validate import github_annotation
from omni_sync.errors import Problem
from omni_sync.load.validation import CHECKERS
from tests.conftest import REPO_ROOT, run_cli_subprocess
from tests.load.helpers import ORDER_UPDATES, TWO_ENVIRONMENTS, write


def invoke(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["-C", str(root), *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def two(repo: Path) -> Path:
    write(repo, "omni-sync.yaml", TWO_ENVIRONMENTS)
    write(repo, "scenarios.d/orders.yaml", ORDER_UPDATES)
    return repo


def test_example_repository_is_valid_in_every_environment() -> None:
    code, out, err = invoke(REPO_ROOT, "validate")
    assert (code, err) == (0, "")
    assert out.startswith("Valid: ")
    assert "in 3 environments (dev, staging, prod)." in out


def test_committed_schemas_match_the_models() -> None:
    committed = json.loads((REPO_ROOT / "schema" / "scenario-file.schema.json").read_text())
    assert committed == scenario_file_schema()
    committed = json.loads((REPO_ROOT / "schema" / "omni-sync.schema.json").read_text())
    assert committed == config_file_schema()


def test_config_schema_describes_environments_without_their_name(repo: Path) -> None:
    code, out, _ = invoke(repo, "schema", "--config")
    schema = json.loads(out)
    environment = schema["$defs"]["Environment"]
    assert code == 0
    assert "name" not in environment["properties"]
    assert "required" not in environment
    assert environment["additionalProperties"] is False
    assert {"base_url", "auth", "vars", "safety", "limits"} <= set(environment["properties"])
    assert schema["properties"]["environments"]["propertyNames"]["pattern"].startswith("^")


def test_schema_command_prints_the_schema(repo: Path) -> None:
    code, out, _ = invoke(repo, "schema")
    schema = json.loads(out)
    assert code == 0
    assert schema["$defs"]["ScenarioSpec"]["additionalProperties"] is False
    assert "from" in schema["$defs"]["Step"]["properties"]


def test_valid_repository(two: Path) -> None:
    assert invoke(two, "validate") == (0, "Valid: 2 scenarios in 2 environments (dev, prod).\n", "")
    assert invoke(two, "validate", "-e", "prod") == (
        0,
        "Valid: 1 scenario in 1 environment (prod).\n",
        "",
    )


def test_problems_name_the_environments_they_occur_in(two: Path) -> None:
    write(
        two,
        "scenarios.d/b.yaml",
        "name: B\nflow:\n  - {channel: SMS, from: '{{ vars.sms_sender }}{{ vars.sms_sender }}'}\n",
    )
    write(two, "scenarios.d/c.yaml", "name: C\nflow: []\n")
    code, out, err = invoke(two, "validate")
    assert code == 1
    assert out.splitlines() == [
        "scenarios.d/b.yaml:3:26: SMS sender 'ShopDevShopDev' is 14 characters; alphanumeric "
        "senders are at most 11 (or use a phone number) [dev]",
        "scenarios.d/c.yaml:2:7: flow must not be empty",
    ]
    assert err == "Error: 2 problems found\n"


def test_json_format(two: Path) -> None:
    write(two, "scenarios.d/c.yaml", "name: C\nflow: []\n")
    code, out, _ = invoke(two, "validate", "--format", "json")
    report = json.loads(out)
    assert code == 1
    assert report["valid"] is False
    assert report["problems"] == [
        {
            "path": "scenarios.d/c.yaml",
            "line": 2,
            "column": 7,
            "message": "flow must not be empty",
            "environment": None,
        }
    ]
    code, out, _ = invoke(two, "validate", "--format", "json", "-e", "dev")
    assert json.loads(out)["environments"] == {}


def test_json_format_when_valid(two: Path) -> None:
    code, out, _ = invoke(two, "validate", "--format", "json")
    report = json.loads(out)
    assert (code, report["valid"], report["problems"]) == (0, True, [])
    assert report["environments"]["dev"]["scenarios"] == 1
    assert len(report["environments"]["prod"]["files_digest"]) == 64


def test_github_format(two: Path) -> None:
    write(two, "scenarios.d/c.yaml", "name: C\nflow: []\n")
    code, out, _ = invoke(two, "validate", "--format", "github")
    assert code == 1
    assert out == "::error file=scenarios.d/c.yaml,line=2,col=7::flow must not be empty\n"


def test_github_annotation_escapes() -> None:
    problem = Problem("a,b:c.yaml", 1, 2, "50% bad\nnext", "dev")
    assert (
        github_annotation(problem)
        == "::error file=a%2Cb%3Ac.yaml,line=1,col=2::50%25 bad%0Anext [dev]"
    )


def test_config_problems_are_reported_as_problems(repo: Path) -> None:
    write(repo, "omni-sync.yaml", "environments:\n  dev:\n    vars: 3\n")
    code, out, err = invoke(repo, "validate")
    assert code == 1
    assert out == "omni-sync.yaml:3:11: vars: expected a mapping (key: value), not the number 3\n"
    assert err == "Error: 1 problem found\n"


def test_unused_variables(two: Path) -> None:
    write(
        two,
        "omni-sync.yaml",
        TWO_ENVIRONMENTS.replace(
            "mail_domain: example.com}", "mail_domain: example.com, spare: 1, in_template: x}"
        ),
    )
    write(
        two,
        "templates/order.yaml",
        "scenarios: [Order updates]\nfallback: \"{{ vars.in_template | default('') }}.\"\n"
        "email: {subject: Hi}\n",
    )
    write(two, "templates/notes/broken.yaml", "{% if %}")
    (two / "templates" / "binary.bin").write_bytes(b"\xff\xfe")
    code, out, _ = invoke(two, "validate", "--strict")
    assert code == 1
    assert out == (
        "omni-sync.yaml:7:56: variable 'spare' of environment 'prod' is used by no file; "
        "remove it or use it as vars.spare\n"
    )
    assert invoke(two, "validate", "--strict", "-e", "dev")[0] == 0


def test_checkers_are_extensible(two: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []

    def checker(project: object, desired: dict[str, object]) -> list[Problem]:
        seen.append(list(desired))
        return [Problem("templates/x.yaml", 1, 1, "template problem", "prod")]

    monkeypatch.setattr("omni_sync.load.validation.CHECKERS", [*CHECKERS, checker])
    code, out, _ = invoke(two, "validate")
    assert (code, out) == (1, "templates/x.yaml:1:1: template problem [prod]\n")
    assert seen == [["dev", "prod"]]


def test_unknown_environment(two: Path) -> None:
    code, out, err = invoke(two, "validate", "-e", "qa")
    assert (code, out) == (1, "")
    assert err == "Error: unknown environment qa (known in omni-sync.yaml: dev, prod)\n"


def test_environments_command(two: Path) -> None:
    write(
        two,
        "omni-sync.yaml",
        textwrap.dedent(TWO_ENVIRONMENTS)
        + "  staging:\n    base_url: https://s.example\n    auth: {type: basic, username_env: U, password_env: P}\n",
    )
    code, out, _ = invoke(two, "environments")
    assert code == 0
    assert out.splitlines() == [
        "dev      embedded",
        "prod     https://xxxxx.api.infobip.com  (app from $INFOBIP_PROD_API_KEY)",
        "staging  https://s.example  (basic from $U, $P)",
    ]
    code, out, _ = invoke(two, "environments", "--json", "--include-embedded")
    assert json.loads(out) == {"environment": ["dev", "prod", "staging"]}
    code, out, _ = invoke(two, "environments", "--json")
    assert json.loads(out) == {"environment": ["prod", "staging"]}  # dev is embedded


def test_environments_without_config(repo: Path) -> None:
    assert invoke(repo, "environments") == (0, "local  embedded\n", "")


def test_config_flag_and_variable_through_the_real_entry_point(two: Path, tmp_path: Path) -> None:
    other = write(tmp_path, "other.yaml", "environments:\n  qa: {}\n")
    json_args = ["environments", "--json", "--include-embedded"]
    result = run_cli_subprocess(["--config", str(other), *json_args], cwd=two)
    assert (result.returncode, result.stdout) == (0, '{"environment": ["qa"]}\n')
    result = run_cli_subprocess(json_args, cwd=two, env={"OMNI_SYNC_CONFIG": str(other)})
    assert result.stdout == '{"environment": ["qa"]}\n'
    result = run_cli_subprocess(["--config", "nope.yaml", "validate"], cwd=two)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: config file ")


def complete(root: Path, words: str) -> list[str]:
    env = {
        "_OMNI_SYNC_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split(" ")) - 1),
    }
    result = CliRunner().invoke(cli, [], env=env, prog_name="omni-sync")
    return [line.split(",", 1)[1] for line in result.stdout.splitlines() if line]


def test_environment_names_complete_in_the_shell(two: Path, tmp_path: Path) -> None:
    assert complete(two, f"omni-sync -C {two} validate -e ") == ["dev", "prod"]
    assert complete(two, f"omni-sync -C {two} validate -e pr") == ["prod"]
    other = write(tmp_path, "other.yaml", "environments:\n  qa: {}\n")
    assert complete(two, f"omni-sync -C {two} -c {other} validate -e ") == ["qa"]
    write(two, "omni-sync.yaml", "environments: [\n")
    assert complete(two, f"omni-sync -C {two} validate -e ") == []


def test_chdir_from_the_environment(two: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["environments", "--json", "--include-embedded"],
        env={"OMNI_SYNC_CHDIR": str(two)},
        auto_envvar_prefix="OMNI_SYNC",
    )
    assert json.loads(result.stdout) == {"environment": ["dev", "prod"]}
