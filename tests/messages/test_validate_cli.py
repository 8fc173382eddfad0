"""``omni-sync validate`` checks the example repository's templates in every environment."""

import shutil
from pathlib import Path

from click.testing import CliRunner

from omni_sync.cli import cli
from tests.conftest import REPO_ROOT


def example(tmp_path: Path) -> Path:
    root = tmp_path / "example"
    root.mkdir()
    shutil.copy(REPO_ROOT / "omni-sync.yaml", root)
    for folder in ("scenarios.d", "templates"):
        shutil.copytree(REPO_ROOT / folder, root / folder)
    return root


def validate(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["-C", str(root), "validate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_example_templates_fit_every_channel_in_every_environment(tmp_path: Path) -> None:
    root = example(tmp_path)
    assert validate(root) == (
        0,
        "Valid: 17 scenarios in 3 environments (dev, staging, prod).\n",
        "",
    )
    # The Newsletter scenario is not in dev: checking dev alone is no reason to complain.
    assert validate(root, "--env", "dev")[0] == 0


def test_a_template_that_grows_past_one_sms_part_in_one_environment(tmp_path: Path) -> None:
    root = example(tmp_path)
    template = root / "templates" / "delivery-alert.yaml"
    text = template.read_text(encoding="utf-8")
    template.write_text(
        text.replace(
            "Reply STOP to opt out.", "Reply STOP to opt out of {{ vars.sms_sender }} " + "x" * 84
        ),
        encoding="utf-8",
    )
    code, out, err = validate(root)
    assert code == 1
    assert out.splitlines() == [
        "templates/delivery-alert.yaml:10:9: SMS text is 161 GSM-7 characters: 2 parts,"
        " the template allows 1 [staging]",
    ]
    assert err == "Error: 1 problem found\n"


def test_a_scenario_name_no_environment_has(tmp_path: Path) -> None:
    root = example(tmp_path)
    template = root / "templates" / "security-code.yaml"
    template.write_text(
        template.read_text(encoding="utf-8").replace("[Security codes]", "[Security code]"),
        encoding="utf-8",
    )
    code, out, _ = validate(root)
    assert code == 1
    assert out.splitlines() == [
        'templates/security-code.yaml:4:13: scenario "Security code" is in no environment\'s'
        " scenarios.d/: check its name"
    ]
