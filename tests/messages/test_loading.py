"""Reading template files: every mistake in one is a located problem, never a traceback."""

from pathlib import Path

import pytest

from omni_sync.errors import ConfigError, ProblemsFound
from omni_sync.messages.checks import check_templates
from omni_sync.messages.loading import find_template, load_templates
from omni_sync.model.scenario import Channel
from tests.messages.conftest import WriteTemplate, scenario, state


def load_problems(repo: Path) -> list[str]:
    files, problems = load_templates(repo)
    assert files == []
    return [str(problem) for problem in problems]


def test_no_templates_folder_is_no_template(repo: Path) -> None:
    assert load_templates(repo) == ([], [])


def test_unknown_keys_are_refused_where_they_stand(
    repo: Path, write_template: WriteTemplate
) -> None:
    write_template(
        """
        scenarios: [Order updates]
        sms:
          txt: Hello
        colour: red
        """
    )
    assert load_problems(repo) == [
        "templates/order-shipped.yaml:3:3: unknown key 'txt'; did you mean 'text'?",
        "templates/order-shipped.yaml:4:1: unknown key 'colour'",
    ]


def test_a_template_names_at_least_one_scenario(repo: Path, write_template: WriteTemplate) -> None:
    write_template("fallback: Hello\n")
    assert load_problems(repo) == [
        "templates/order-shipped.yaml:1:1: missing required key 'scenarios'"
    ]


def test_sample_and_sample_file_exclude_each_other(
    repo: Path, write_template: WriteTemplate
) -> None:
    write_template("scenarios: [A]\nsample: {a: 1}\nsample_file: a.yaml\n")
    assert load_problems(repo) == [
        "templates/order-shipped.yaml:3:14: sample_file: give sample or sample_file, not both"
    ]


def test_sample_keys_vars_and_environment_are_reserved(
    repo: Path, write_template: WriteTemplate
) -> None:
    write_template("scenarios: [A]\nsample: {vars: 1}\n")
    assert load_problems(repo) == [
        "templates/order-shipped.yaml:2:9: sample: sample keys ['vars'] are the environment's"
    ]


def test_invalid_yaml_is_located(repo: Path, write_template: WriteTemplate) -> None:
    write_template("scenarios: [A\nsms: {text: x}\n")
    (problem,) = load_problems(repo)
    assert problem.startswith("templates/order-shipped.yaml:1:12: invalid YAML: ")
    assert "at line 2, column 4, in a flow sequence that starts here" in problem


def test_a_template_file_holds_a_mapping(repo: Path, write_template: WriteTemplate) -> None:
    write_template("- just\n- a list\n")
    assert load_problems(repo) == [
        "templates/order-shipped.yaml:1:1: a template file holds a mapping"
    ]


def test_sample_file_beside_the_template_feeds_the_content(
    repo: Path, write_template: WriteTemplate
) -> None:
    write_template(
        """
        scenarios: [Alerts]
        sample_file: samples/alert.yaml
        sms:
          text: "Alert {{ code }}"
        """,
        name="alert",
    )
    (repo / "templates" / "samples").mkdir()
    (repo / "templates" / "samples" / "alert.yaml").write_text("code: 42\n", encoding="utf-8")
    tf = find_template(repo, "alert")
    assert tf.sample == {"code": 42}
    assert check_templates(repo, [state("dev", scenario("Alerts", Channel.SMS))]) == []


def test_sample_file_problems(repo: Path, write_template: WriteTemplate) -> None:
    write_template("scenarios: [A]\nsample_file: missing.yaml\n")
    write_template("scenarios: [A]\nsample_file: samples/list.yaml\n", name="b")
    write_template("scenarios: [A]\nsample_file: samples/vars.yaml\n", name="c")
    (repo / "templates" / "samples").mkdir()
    (repo / "templates" / "samples" / "list.yaml").write_text("- 1\n", encoding="utf-8")
    (repo / "templates" / "samples" / "vars.yaml").write_text("vars: 1\n", encoding="utf-8")
    _, problems = load_templates(repo)
    assert sorted(str(p) for p in problems) == [
        "templates/order-shipped.yaml:2:14: sample_file: missing.yaml not found beside the template",
        "templates/samples/list.yaml:1:1: a sample file holds a mapping of variables",
        "templates/samples/vars.yaml:1:1: sample keys ['vars'] are the environment's",
    ]


def test_a_sample_file_outside_templates_is_refused_at_its_line(
    repo: Path, write_template: WriteTemplate
) -> None:
    (repo / "secret.yaml").write_text("token: s3cr3t\n", encoding="utf-8")
    outside = repo.parent / "elsewhere.yaml"
    outside.write_text("token: s3cr3t\n", encoding="utf-8")
    (repo / "templates" / "samples").mkdir(parents=True)
    (repo / "templates" / "samples" / "link.yaml").symlink_to(outside)
    write_template("scenarios: [A]\nsample_file: ../secret.yaml\n", name="a")
    write_template(f"scenarios: [A]\nsample_file: {outside}\n", name="b")
    write_template("scenarios: [A]\nsample_file: samples/link.yaml\n", name="c")
    _, problems = load_templates(repo)
    assert sorted(str(p) for p in problems) == [
        f"templates/{name}.yaml:2:14: sample_file: {ref} leads outside templates/; keep sample "
        "files under templates/ (for example templates/samples/)"
        for name, ref in (("a", "../secret.yaml"), ("b", outside), ("c", "samples/link.yaml"))
    ]


def test_find_template_by_name_or_path(repo: Path, write_template: WriteTemplate) -> None:
    write_template("scenarios: [A]\nfallback: Hi\n")
    assert find_template(repo, "order-shipped").name == "order-shipped"
    assert (
        find_template(repo, "templates/order-shipped.yaml").path == "templates/order-shipped.yaml"
    )
    with pytest.raises(ConfigError, match='no template "nope" under templates/'):
        find_template(repo, "nope")
    (repo / "templates" / "order-shipped.yml").write_text("scenarios: [A]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="ambiguous"):
        find_template(repo, "order-shipped")


def test_find_template_raises_its_problems(repo: Path, write_template: WriteTemplate) -> None:
    write_template("scenarios: []\n")
    with pytest.raises(ProblemsFound) as caught:
        find_template(repo, "order-shipped")
    assert [str(problem) for problem in caught.value.problems] == [
        "templates/order-shipped.yaml:1:12: scenarios: name at least one scenario the template"
        " is sent through"
    ]


def test_an_empty_file_or_one_outside_the_root_is_still_located(
    repo: Path, tmp_path: Path, write_template: WriteTemplate
) -> None:
    write_template("")
    assert load_problems(repo) == [
        "templates/order-shipped.yaml:1:1: a template file holds a mapping"
    ]
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("scenarios: [A]\nfallback: Hi\n", encoding="utf-8")
    assert find_template(repo, str(outside)).path == outside.as_posix()
