"""Small traps of reading a repository: `.yml` files, an empty scenarios.d/, unused variables
as warnings (errors under validate --strict), dynamic lookups and shared variables."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from omni_sync.cli import cli
from omni_sync.commands.schema import config_file_schema
from tests.load.helpers import ORDER_UPDATES, TWO_ENVIRONMENTS, write


def invoke(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["-C", str(root), *args])
    return result.exit_code, result.stdout, result.stderr


EMPTY_HINT = (
    "Warning: no scenario files in scenarios.d/ (*.yaml or *.yml): there is nothing to "
    "compare; write one, or adopt an account's scenarios with omni-sync import -e ENV\n"
)


def test_yml_files_are_read_like_yaml(repo: Path) -> None:
    write(repo, "omni-sync.yaml", TWO_ENVIRONMENTS)
    write(repo, "scenarios.d/orders.yml", ORDER_UPDATES)
    write(repo, "scenarios.d/more/otp.yml", "name: OTP\nflow: [{channel: SMS, from: Shop}]\n")
    code, out, err = invoke(repo, "validate")
    assert (code, err) == (0, "")
    assert out == "Valid: 4 scenarios in 2 environments (dev, prod).\n"
    code, out, _ = invoke(repo, "print", "-e", "dev", "--format", "json")
    sources = [item["source"] for item in json.loads(out)["environments"][0]["scenarios"]]
    assert sources == ["scenarios.d/more/otp.yml:1", "scenarios.d/orders.yml:1"]


def test_plan_with_no_scenario_files_says_so(repo: Path) -> None:
    code, out, err = invoke(repo, "plan")
    assert code == 0
    assert "No changes." in out
    assert err == EMPTY_HINT
    (repo / "scenarios.d").mkdir()
    write(repo, "scenarios.d/notes.txt", "not a scenario file")
    assert invoke(repo, "plan")[2] == EMPTY_HINT
    assert invoke(repo, "plan", "--detailed-exitcode")[0] == 0


def test_validate_with_no_scenario_files_says_so(repo: Path) -> None:
    code, out, err = invoke(repo, "validate")
    assert (code, out) == (0, "Valid: 0 scenarios in 1 environment (local).\n")
    assert err == EMPTY_HINT


def test_a_folder_with_scenarios_has_no_hint(repo: Path) -> None:
    write(
        repo,
        "scenarios.d/orders.yaml",
        ORDER_UPDATES.replace("vars.", "env.")
        .replace("env.sms_sender", "'Shop'")
        .replace("env.mail_domain", "'example.com'"),
    )
    code, _, err = invoke(repo, "plan")
    assert (code, err) == (2, "") or (code, err) == (0, "")
    assert "no scenario files" not in err


SPARE = TWO_ENVIRONMENTS.replace("mail_domain: example.com}", "mail_domain: example.com, spare: 1}")
UNUSED = (
    "omni-sync.yaml:7:56: variable 'spare' of environment 'prod' is used by no file; "
    "remove it or use it as vars.spare"
)


@pytest.fixture
def spare(repo: Path) -> Path:
    write(repo, "omni-sync.yaml", SPARE)
    write(repo, "scenarios.d/orders.yaml", ORDER_UPDATES)
    return repo


def test_an_unused_variable_is_a_warning(spare: Path) -> None:
    code, out, err = invoke(spare, "validate")
    assert code == 0
    assert out == "Valid: 2 scenarios in 2 environments (dev, prod).\n"
    assert err == f"Warning: {UNUSED}\n"


def test_an_unused_variable_is_an_error_with_strict(spare: Path) -> None:
    code, out, err = invoke(spare, "validate", "--strict")
    assert (code, out, err) == (1, UNUSED + "\n", "Error: 1 problem found\n")


def test_unused_variables_in_json_and_github_formats(spare: Path) -> None:
    code, out, _ = invoke(spare, "validate", "--format", "json")
    report = json.loads(out)
    assert (code, report["valid"], report["problems"]) == (0, True, [])
    assert [w["message"] for w in report["warnings"]] == [UNUSED.split(": ", 1)[1]]
    code, out, _ = invoke(spare, "validate", "--format", "github")
    assert code == 0
    assert out.startswith("::warning file=omni-sync.yaml,line=7,col=56::variable 'spare'")
    code, out, _ = invoke(spare, "validate", "--format", "json", "--strict")
    assert (code, json.loads(out)["valid"]) == (1, False)


@pytest.mark.parametrize(
    "lookup",
    [
        "{{ vars[env.name ~ '_sender'] }}",
        "{{ vars.get(env.name) }}",
        "{% for key, value in vars.items() %}{{ value }}{% endfor %}",
        "{{ vars | length }}",
    ],
)
def test_a_dynamic_lookup_marks_variables_as_possibly_used(spare: Path, lookup: str) -> None:
    config = SPARE.replace("spare: 1}", "spare: 1, prod_sender: P}").replace(
        "mail_domain: dev.example.com}", "mail_domain: dev.example.com, dev_sender: D}"
    )
    write(spare, "omni-sync.yaml", config)
    write(spare, "templates/note.yaml", note(lookup))
    code, out, err = invoke(spare, "validate", "--strict")
    assert (code, out, err) == (0, "Valid: 2 scenarios in 2 environments (dev, prod).\n", "")


def note(fallback: str) -> str:
    return f'scenarios: [Order updates]\nfallback: "{fallback}"\nemail: {{subject: Hi}}\n'


def test_a_literal_subscript_is_not_a_dynamic_lookup(spare: Path) -> None:
    write(spare, "templates/note.yaml", note("{{ vars['sms_sender'] }}"))
    code, out, _ = invoke(spare, "validate", "--strict")
    assert (code, out) == (1, UNUSED + "\n")


SHARED = """
    vars: {mail_domain: example.com, sms_sender: Shop}
    environments:
      dev:
        vars: {sms_sender: ShopDev}
      prod:
        base_url: https://xxxxx.api.infobip.com
        auth: {type: app, key_env: INFOBIP_PROD_API_KEY}
"""


def test_shared_vars_are_every_environments_own_over_them(repo: Path) -> None:
    write(repo, "omni-sync.yaml", SHARED)
    write(repo, "scenarios.d/orders.yaml", ORDER_UPDATES)
    code, out, err = invoke(repo, "validate", "--strict")
    assert (code, err) == (0, ""), out
    code, out, _ = invoke(repo, "print", "--format", "json")
    flows = {
        env["name"]: [step["from"] for step in env["scenarios"][0]["flow"]]
        for env in json.loads(out)["environments"]
    }
    assert flows == {
        "dev": ["ShopDev", "orders@example.com"],
        "prod": ["Shop", "orders@example.com"],
    }


def test_an_unused_shared_variable_is_reported_once_at_its_line(repo: Path) -> None:
    write(repo, "omni-sync.yaml", SHARED.replace("sms_sender: Shop}", "sms_sender: Shop, x: 1}"))
    write(repo, "scenarios.d/orders.yaml", ORDER_UPDATES)
    code, out, _ = invoke(repo, "validate", "--strict")
    assert code == 1
    assert out == (
        "omni-sync.yaml:1:52: shared variable 'x' is used by no file; "
        "remove it or use it as vars.x\n"
    )


def test_shared_vars_must_be_a_mapping(repo: Path) -> None:
    write(repo, "omni-sync.yaml", "vars: [a, b]\nenvironments:\n  dev: {}\n")
    code, out, _ = invoke(repo, "validate")
    assert code == 1
    assert out == "omni-sync.yaml:1:7: vars: expected a mapping (key: value), not a list\n"


def test_the_config_schema_knows_shared_vars(repo: Path) -> None:
    schema = config_file_schema()
    assert schema["properties"]["vars"]["type"] == "object"  # type: ignore[index,call-overload]
    code, out, _ = invoke(repo, "schema", "--config")
    assert code == 0
    assert json.loads(out)["properties"]["vars"]["type"] == "object"
