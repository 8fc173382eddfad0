"""Types as the README and the JSON Schema state them: YAML's true/false only, senders as text,
no field aliases, names without surrounding spaces or control characters."""

from pathlib import Path

import pytest

from omni_sync.errors import ProblemsFound
from omni_sync.load.project import load_project
from omni_sync.load.scenarios import load_desired
from tests.load.helpers import write


def scenario_problems(root: Path, text: str) -> list[str]:
    write(root, "scenarios.d/s.yaml", text)
    project = load_project(root)
    with pytest.raises(ProblemsFound) as caught:
        load_desired(project, project.environments["local"])
    return [str(p).removesuffix(" [local]") for p in caught.value.problems]


def config_problems(root: Path, text: str) -> list[str]:
    write(root, "omni-sync.yaml", text)
    with pytest.raises(ProblemsFound) as caught:
        load_project(root)
    return [str(p).removesuffix(" [local]") for p in caught.value.problems]


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("yes", "the text 'yes'"),
        ("on", "the text 'on'"),
        ("1", "the number 1"),
        ('"true"', "the text 'true'"),
    ],
)
def test_default_is_true_or_false_only(repo: Path, written: str, shown: str) -> None:
    text = f"name: A\ndefault: {written}\nflow: [{{channel: SMS, from: Shop}}]\n"
    assert scenario_problems(repo, text) == [
        f"scenarios.d/s.yaml:2:10: default: expected true or false, not {shown}"
    ]


@pytest.mark.parametrize("written", ['"on"', "yes", "1"])
def test_allow_insecure_http_is_true_or_false_only(repo: Path, written: str) -> None:
    text = f"environments:\n  dev:\n    allow_insecure_http: {written}\n"
    (problem,) = config_problems(repo, text)
    assert problem.startswith("omni-sync.yaml:3:26: allow_insecure_http: expected true or false")


@pytest.mark.parametrize(
    ("written", "number"),
    [("1e3", "1000.0"), ("3044.50", "3044.5"), ("41793026727", "41793026727"), ("-5", "-5")],
)
def test_a_sender_yaml_reads_as_a_number_is_refused(repo: Path, written: str, number: str) -> None:
    text = f"name: A\ndefault: true\nflow:\n  - channel: VIBER\n    from: {written}\n"
    assert scenario_problems(repo, text) == [
        f"scenarios.d/s.yaml:5:11: flow[0].from: expected text, not the number {number}; "
        "quote it to keep it as written"
    ]


@pytest.mark.parametrize("written", ["+41793026727", "0041793026727", "1_000", ".inf", "0012"])
def test_senders_yaml_keeps_as_text_are_read_as_written(repo: Path, written: str) -> None:
    write(
        repo,
        "scenarios.d/s.yaml",
        f"name: A\ndefault: true\nflow:\n  - channel: VIBER\n    from: {written}\n",
    )
    project = load_project(repo)
    desired = load_desired(project, project.environments["local"])
    assert desired.scenarios[0].spec.flow[0].sender == written


def test_sender_is_not_an_alias_of_from(repo: Path) -> None:
    text = "name: A\ndefault: true\nflow:\n  - channel: SMS\n    sender: Shop\n"
    assert scenario_problems(repo, text) == [
        "scenarios.d/s.yaml:4:5: missing required key 'from'",
        "scenarios.d/s.yaml:5:5: unknown key 'sender'",
    ]


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ('" A"', "spaces at the start or end"),
        ('"A "', "spaces at the start or end"),
        ('"A\\nB"', "a control character"),
        ('"A\\tB"', "a control character"),
    ],
)
def test_names_without_surrounding_spaces_or_control_characters(
    repo: Path, name: str, what: str
) -> None:
    text = f"name: {name}\ndefault: true\nflow: [{{channel: SMS, from: Shop}}]\n"
    (problem,) = scenario_problems(repo, text)
    assert problem.startswith("scenarios.d/s.yaml:1:7: name: ")
    assert what in problem


def test_old_names_are_names_too(repo: Path) -> None:
    text = 'name: A\ndefault: true\nrenamed_from: ["B "]\nflow: [{channel: SMS, from: Shop}]\n'
    (problem,) = scenario_problems(repo, text)
    assert problem.startswith("scenarios.d/s.yaml:3:16: renamed_from[0]: ")
    assert "spaces at the start or end" in problem


def test_an_empty_environments_list_is_refused(repo: Path) -> None:
    text = "name: A\ndefault: true\nenvironments: []\nflow: [{channel: SMS, from: Shop}]\n"
    assert scenario_problems(repo, text) == [
        "scenarios.d/s.yaml:3:15: environments: list at least one environment, "
        "or leave the key out for every environment"
    ]
