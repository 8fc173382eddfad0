from pathlib import Path

import pytest

from omni_sync.errors import ProblemsFound
from omni_sync.load.project import load_project
from omni_sync.load.scenarios import load_desired, load_environment, scenario_files
from omni_sync.model.scenario import Channel
from tests.load.helpers import ORDER_UPDATES, TWO_ENVIRONMENTS, write


@pytest.fixture
def two(repo: Path) -> Path:
    write(repo, "omni-sync.yaml", TWO_ENVIRONMENTS)
    write(repo, "scenarios.d/orders.yaml", ORDER_UPDATES)
    return repo


def desired_problems(root: Path, env: str = "dev") -> list[str]:
    project = load_project(root)
    with pytest.raises(ProblemsFound) as caught:
        load_desired(project, project.environments[env])
    return [str(p) for p in caught.value.problems]


def test_rendered_per_environment(two: Path) -> None:
    project = load_project(two)
    dev = load_desired(project, project.environments["dev"])
    prod = load_desired(project, project.environments["prod"])
    (scenario,) = dev.scenarios
    assert scenario.spec.name == "Order updates"
    assert [(s.channel, s.sender) for s in scenario.spec.flow] == [
        (Channel.SMS, "ShopDev"),
        (Channel.EMAIL, "orders@dev.example.com"),
    ]
    assert str(scenario.source) == "scenarios.d/orders.yaml:1"
    assert prod.scenarios[0].spec.flow[0].sender == "Shop"
    assert dev.files_digest != prod.files_digest
    assert dev.environment.name == "dev"


def test_digest_follows_the_rendered_content(two: Path) -> None:
    project = load_project(two)
    before = load_desired(project, project.environments["dev"]).files_digest
    assert load_desired(project, project.environments["dev"]).files_digest == before
    write(two, "scenarios.d/orders.yaml", ORDER_UPDATES.replace("Order updates", "Orders"))
    assert load_desired(project, project.environments["dev"]).files_digest != before


def test_lists_nested_folders_environments_and_empty_files(two: Path) -> None:
    write(
        two,
        "scenarios.d/team/b.yaml",
        """
        - name: Prod only
          environments: [prod]
          flow: [{channel: VOICE, from: "41793026727"}]
        - name: Everywhere
          flow: [{channel: PUSH, from: app-1}]
        """,
    )
    write(two, "scenarios.d/empty.yaml", "{% if false %}\nname: x\n{% endif %}\n")
    write(two, "scenarios.d/notes.txt", "not a scenario")
    project = load_project(two)
    assert [p.name for p in scenario_files(two)] == ["empty.yaml", "orders.yaml", "b.yaml"]
    dev = load_desired(project, project.environments["dev"])
    prod = load_desired(project, project.environments["prod"])
    assert [s.spec.name for s in dev.scenarios] == ["Order updates", "Everywhere"]
    assert [s.spec.name for s in prod.scenarios] == ["Order updates", "Prod only", "Everywhere"]
    assert prod.scenarios[1].spec.flow[0].sender == "41793026727"
    assert str(prod.scenarios[2].source) == "scenarios.d/team/b.yaml:4"


def test_no_scenarios_folder_is_an_empty_state(repo: Path) -> None:
    project = load_project(repo)
    assert load_desired(project, project.environments["local"]).scenarios == ()


def test_whole_set_checks(two: Path) -> None:
    write(
        two,
        "scenarios.d/more.yaml",
        """
        - name: Order updates
          default: true
          flow: [{channel: SMS, from: Shop}]
        - name: Alerts
          renamed_from: [Alerts, Order updates, Old]
          flow: [{channel: SMS, from: Shop}]
        - name: Alerts 2
          renamed_from: [Old]
          flow: [{channel: SMS, from: Shop}]
        """,
    )
    assert desired_problems(two) == [
        "scenarios.d/more.yaml:5:18: renamed_from 'Alerts' is this scenario's own name [dev]",
        "scenarios.d/more.yaml:5:26: renamed_from 'Order updates' is the name of another "
        "scenario (scenarios.d/orders.yaml:1); an old name must no longer be in use [dev]",
        "scenarios.d/more.yaml:8:18: renamed_from 'Old' is also claimed by 'Alerts' "
        "(scenarios.d/more.yaml:4); one scenario per old name [dev]",
        "scenarios.d/orders.yaml:1:7: scenario name 'Order updates' is already used at "
        "scenarios.d/more.yaml:1; names are unique in an environment [dev]",
        "scenarios.d/orders.yaml:2:10: a second default scenario in environment 'dev' "
        "(the first is 'Order updates' at scenarios.d/more.yaml:1); keep one [dev]",
    ]


def test_no_default(two: Path) -> None:
    write(two, "scenarios.d/orders.yaml", ORDER_UPDATES.replace("default: true", "default: false"))
    assert desired_problems(two) == [
        "scenarios.d/orders.yaml:1:1: environment 'dev' has no default scenario; "
        "mark this one, its only scenario, with default: true [dev]"
    ]


def test_every_problem_of_every_file_is_collected(two: Path) -> None:
    write(two, "scenarios.d/a.yaml", "name: [\n")
    write(two, "scenarios.d/b.yaml", "name: x\nflow:\n  - {channel: SNS, from: x}\n")
    write(two, "scenarios.d/c.yaml", "- 3\n")
    write(two, "scenarios.d/d.yaml", "name: '{{ vars.nope }}'\n")
    write(
        two, "scenarios.d/e.yaml", "name: x\nenvironments: [qa]\nflow: [{channel: PUSH, from: a}]\n"
    )
    project = load_project(two)
    loaded = load_environment(project, project.environments["dev"])
    assert [str(p) for p in loaded.problems] == [
        "scenarios.d/a.yaml:2:1: invalid YAML: did not find expected node content [dev]",
        "scenarios.d/b.yaml:3:15: flow[0].channel: unknown value 'SNS'; use 'SMS', 'EMAIL', "
        "'VOICE', 'PUSH', 'VIBER', 'LINE', 'VKONTAKTE', 'KAKAO_CHINGU', 'KAKAO_ALIM', "
        "'WHATSAPP', 'PARSECO' or 'FACEBOOK' [dev]",
        "scenarios.d/c.yaml:1:3: a scenario is a mapping with name and flow "
        "(a file holds one, or a list) [dev]",
        "scenarios.d/d.yaml:1:11: undefined variable vars.nope; define it in the "
        "environment's vars in omni-sync.yaml [dev]",
        "scenarios.d/e.yaml:2:16: unknown environment 'qa' (known: dev, prod) [dev]",
    ]
    assert [s.spec.name for s in loaded.scenarios] == ["Order updates"]


def test_unreadable_file_is_a_problem(two: Path) -> None:
    (two / "scenarios.d" / "latin.yaml").write_bytes(b"name: caf\xe9\n")
    assert desired_problems(two) == [
        "scenarios.d/latin.yaml:1:10: not UTF-8 text; save the file as UTF-8"
    ]


def test_local_environment_has_no_vars_hint(repo: Path) -> None:
    write(repo, "scenarios.d/a.yaml", ORDER_UPDATES)
    assert desired_problems(repo, "local") == [
        "scenarios.d/a.yaml:5:15: undefined variable vars.sms_sender; the default local "
        "environment has no vars: add an omni-sync.yaml [local]"
    ]


def test_values_of_the_wrong_kind_say_what_they_are(repo: Path) -> None:
    write(repo, "scenarios.d/a.yaml", "name:\ndefault: true\nflow: [{channel: 5, from: x}]\n")
    write(repo, "scenarios.d/b.yaml", "name: true\nflow: [{channel: SMS, from: x1}]\n")
    assert desired_problems(repo, "local") == [
        "scenarios.d/a.yaml:1:6: name: expected text, not empty (null) [local]",
        "scenarios.d/a.yaml:3:18: flow[0].channel: unknown value the number 5; use 'SMS', "
        "'EMAIL', 'VOICE', 'PUSH', 'VIBER', 'LINE', 'VKONTAKTE', 'KAKAO_CHINGU', 'KAKAO_ALIM', "
        "'WHATSAPP', 'PARSECO' or 'FACEBOOK' [local]",
        "scenarios.d/b.yaml:1:7: name: expected text, not the boolean true [local]",
    ]


def test_a_file_may_pin_its_scenario_to_an_upstream_key(repo: Path) -> None:
    write(
        repo,
        "scenarios.d/a.yaml",
        "name: A\ndefault: true\nkey: AD9E01A5DC7BEE2C2B828D208182A611\nflow: [{channel: SMS, from: x1}]\n",
    )
    project = load_project(repo)
    (scenario,) = load_desired(project, project.environments["local"]).scenarios
    assert scenario.spec.key == "AD9E01A5DC7BEE2C2B828D208182A611"
    assert "key" not in scenario.spec.to_api()


def test_a_key_that_could_change_the_request_path_is_refused_at_its_line(repo: Path) -> None:
    write(
        repo,
        "scenarios.d/a.yaml",
        "name: A\ndefault: true\nkey: ../x\nflow: [{channel: SMS, from: x1}]\n",
    )
    (problem,) = desired_problems(repo, "local")
    assert problem.startswith("scenarios.d/a.yaml:3:6: key: ")


def test_one_key_pinned_by_two_scenarios_is_refused_at_the_second(repo: Path) -> None:
    write(
        repo,
        "scenarios.d/a.yaml",
        "- name: A\n  default: true\n  key: K1\n  flow: [{channel: SMS, from: x1}]\n"
        "- name: B\n  key: K1\n  flow: [{channel: SMS, from: x1}]\n",
    )
    assert desired_problems(repo, "local") == [
        "scenarios.d/a.yaml:6:8: key K1 is already pinned by 'A' at scenarios.d/a.yaml:1; "
        "one file per upstream scenario [local]"
    ]
