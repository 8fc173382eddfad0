""" "No default scenario" is reported where it can be fixed: at the environment in
omni-sync.yaml (naming its scenario files), or at the only scenario there is; never at
whichever file happens to sort first."""

from pathlib import Path

from click.testing import CliRunner

from omni_sync.cli import cli
from tests.load.helpers import TWO_ENVIRONMENTS, write


def invoke(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["-C", str(root), *args])
    return result.exit_code, result.stdout, result.stderr


def scenario(name: str) -> str:
    return f"name: {name}\nflow: [{{channel: SMS, from: Shop}}]\n"


def test_several_scenarios_and_no_default_is_at_the_environment(repo: Path) -> None:
    write(repo, "omni-sync.yaml", TWO_ENVIRONMENTS)
    for name in ("alerts", "billing", "orders", "otp"):
        write(repo, f"scenarios.d/{name}.yaml", scenario(name.title()))
    code, out, _ = invoke(repo, "validate", "-e", "dev")
    assert code == 1
    assert out == (
        "omni-sync.yaml:2:3: environment 'dev' has no default scenario among its 4 "
        "(scenarios.d/alerts.yaml:1, scenarios.d/billing.yaml:1, scenarios.d/orders.yaml:1 "
        "and 1 more); mark exactly one with default: true\n"
    )
    code, _, err = invoke(repo, "plan", "-e", "dev")
    assert code == 1
    assert "omni-sync.yaml:2:3: environment 'dev' has no default scenario among its 4" in err


def test_the_only_scenario_is_the_one_to_mark(repo: Path) -> None:
    write(repo, "omni-sync.yaml", TWO_ENVIRONMENTS)
    write(repo, "scenarios.d/orders.yaml", "# Orders\n" + scenario("Orders"))
    code, out, _ = invoke(repo, "validate")
    assert code == 1
    assert out == (
        "scenarios.d/orders.yaml:2:1: environment 'dev' has no default scenario; "
        "mark this one, its only scenario, with default: true [dev]\n"
        "scenarios.d/orders.yaml:2:1: environment 'prod' has no default scenario; "
        "mark this one, its only scenario, with default: true [prod]\n"
    )


def test_without_omni_sync_yaml_the_folder_is_named(repo: Path) -> None:
    write(repo, "scenarios.d/a.yaml", scenario("A"))
    write(repo, "scenarios.d/b.yaml", scenario("B"))
    code, out, _ = invoke(repo, "validate")
    assert code == 1
    assert out == (
        "scenarios.d: environment 'local' has no default scenario among its 2 "
        "(scenarios.d/a.yaml:1, scenarios.d/b.yaml:1); mark exactly one with default: true\n"
    )
    code, out, _ = invoke(repo, "validate", "--format", "github")
    assert out.startswith("::error file=scenarios.d::environment 'local' has no default")
