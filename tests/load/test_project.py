from pathlib import Path

import pytest

from omni_sync.errors import ConfigError, ProblemsFound
from omni_sync.load.project import load_project
from omni_sync.model.environment import AuthType
from omni_sync.source.locate import relative_name
from tests.load.helpers import TWO_ENVIRONMENTS, write


def problems(root: Path, config: str) -> list[str]:
    write(root, "omni-sync.yaml", config)
    with pytest.raises(ProblemsFound) as caught:
        load_project(root)
    return [str(p) for p in caught.value.problems]


def test_no_config_means_one_embedded_local_environment(repo: Path) -> None:
    project = load_project(repo)
    assert list(project.environments) == ["local"]
    assert project.environments["local"].embedded
    assert project.config_found is False
    assert project.position(("environments",)).line == 1


def test_environments_in_file_order(repo: Path) -> None:
    write(repo, "omni-sync.yaml", TWO_ENVIRONMENTS)
    project = load_project(repo)
    assert project.config_found
    assert list(project.environments) == ["dev", "prod"]
    prod = project.environments["prod"]
    assert prod.base_url == "https://xxxxx.api.infobip.com"
    assert prod.auth is not None
    assert prod.auth.type is AuthType.APP
    assert prod.vars == {"sms_sender": "Shop", "mail_domain": "example.com"}
    assert project.environments["dev"].embedded


def test_a_bare_environment_is_embedded(repo: Path) -> None:
    write(repo, "omni-sync.yaml", "environments:\n  sandbox:\n")
    assert load_project(repo).environments["sandbox"].embedded


def test_select(repo: Path) -> None:
    write(repo, "omni-sync.yaml", TWO_ENVIRONMENTS)
    project = load_project(repo)
    assert [e.name for e in project.select([])] == ["dev", "prod"]
    assert [e.name for e in project.select([], all_=True)] == ["dev", "prod"]
    assert [e.name for e in project.select(["prod", "dev", "prod"])] == ["prod", "dev"]
    with pytest.raises(
        ConfigError, match=r"^unknown environment qa \(known in omni-sync.yaml: dev, prod\)$"
    ):
        project.select(["qa"])
    with pytest.raises(ConfigError, match=r"^unknown environments qa, uat "):
        project.select(["qa", "dev", "uat"])
    with pytest.raises(ConfigError, match="not both"):
        project.select(["dev"], all_=True)


def test_explicit_config_elsewhere(repo: Path, tmp_path: Path) -> None:
    config = write(tmp_path, "elsewhere/envs.yaml", TWO_ENVIRONMENTS)
    project = load_project(repo, config)
    assert project.config_name == str(config.resolve())
    with pytest.raises(ConfigError, match=r"config file .*missing\.yaml not found"):
        load_project(repo, repo / "missing.yaml")
    with pytest.raises(ConfigError, match="is a folder"):
        load_project(repo, tmp_path / "elsewhere")


def test_relative_name(tmp_path: Path) -> None:
    assert relative_name(tmp_path, tmp_path / "a" / "b.yaml") == "a/b.yaml"


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("- a\n", ["omni-sync.yaml:1:1: must be a mapping with an 'environments' key"]),
        (
            "environment: {}\n",
            [
                "omni-sync.yaml:1:1: environments: give at least one, by name",
                "omni-sync.yaml:1:1: unknown key 'environment'; the file holds 'environments', 'vars' and 'policy'",
            ],
        ),
        (
            "environments:\n  dev: 3\n",
            ["omni-sync.yaml:2:8: environment 'dev' must be a mapping of settings"],
        ),
        (
            "environments:\n  'bad name':\n",
            [
                "omni-sync.yaml:2:3: environment name 'bad name': use letters, digits, '.', '_' and '-' (it names files and CI jobs)"
            ],
        ),
        (
            "environments:\n  dev:\n    name: x\n",
            ["omni-sync.yaml:3:5: unknown key 'name'; the key above is the name"],
        ),
        (
            "environments:\n  dev:\n    vars: {a: 1}\n    safty: {}\n",
            ["omni-sync.yaml:4:5: unknown key 'safty'; did you mean 'safety'?"],
        ),
        (
            "environments:\n  dev:\n    page_limit: many\n",
            ["omni-sync.yaml:3:17: page_limit: expected a whole number, not the text 'many'"],
        ),
        (
            "environments:\n  dev:\n    auth: {type: oauth}\n",
            [
                "omni-sync.yaml:3:18: auth.type: unknown value 'oauth'; use 'app', 'basic', 'ibsso' or 'bearer'"
            ],
        ),
        (
            "environments:\n  prod:\n    base_url: ftp://x\n    auth: {key_env: K}\n",
            [
                "omni-sync.yaml:3:15: base_url: use 'embedded' or an https:// URL such as https://xxxxx.api.infobip.com"
            ],
        ),
        (
            "environments:\n  prod:\n    base_url: https://u:p@x.example\n    auth: {key_env: K}\n",
            [
                "omni-sync.yaml:3:15: base_url must not hold a user or password (it would be sent and logged); write https://x.example and name the credential's variables under auth"
            ],
        ),
        (
            "environments:\n  prod:\n    base_url: https://x.example/?a=1\n    auth: {key_env: K}\n",
            [
                "omni-sync.yaml:3:15: base_url must not have a query or fragment; write the address alone, https://x.example"
            ],
        ),
        (
            "environments:\n  prod:\n    base_url: http://x.example\n    auth: {key_env: K}\n",
            [
                "omni-sync.yaml:3:15: base_url: http:// sends credentials in clear text; use https:// (or set allow_insecure_http: true for a test server)"
            ],
        ),
        (
            "environments:\n  prod:\n    base_url: https://x.example\n",
            [
                "omni-sync.yaml:3:5: environment 'prod' needs auth to reach https://x.example (e.g. auth: {type: app, key_env: INFOBIP_API_KEY})"
            ],
        ),
        (
            "environments:\n  prod:\n    base_url: https://x.example\n    auth: {type: basic, username_env: U, key_env: K}\n",
            [
                "omni-sync.yaml:4:11: auth type basic needs password_env: the variable to read",
                "omni-sync.yaml:4:51: auth type basic does not use key_env",
            ],
        ),
        (
            "environments:\n  prod:\n    base_url: https://x.example\n    auth: {type: bearer, token_env: 'abc-123 secret'}\n",
            [
                "omni-sync.yaml:4:37: auth.token_env must be the name of an environment variable: upper-case letters, digits and _, starting with a letter (e.g. INFOBIP_PROD_TOKEN), never the credential itself"
            ],
        ),
        (
            "environments:\n  dev: {vars: [\n",
            ["omni-sync.yaml:3:1: invalid YAML: did not find expected node content"],
        ),
    ],
)
def test_config_problems_are_located(repo: Path, config: str, expected: list[str]) -> None:
    assert problems(repo, config) == expected


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8080", "http://localhost:9", "http://[::1]:9"],
)
def test_plain_http_is_fine_on_loopback(repo: Path, url: str) -> None:
    write(
        repo,
        "omni-sync.yaml",
        f"environments:\n  t:\n    base_url: '{url}'\n    auth: {{key_env: K}}\n",
    )
    assert load_project(repo).environments["t"].base_url == url


def test_plain_http_elsewhere_when_allowed(repo: Path) -> None:
    write(
        repo,
        "omni-sync.yaml",
        "environments:\n  t:\n    base_url: http://test.internal\n    allow_insecure_http: true\n"
        "    auth: {type: ibsso, token_env: TOKEN}\n",
    )
    assert load_project(repo).environments["t"].allow_insecure_http


def test_credentials_are_never_read_at_load_time(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INFOBIP_PROD_API_KEY", raising=False)
    write(repo, "omni-sync.yaml", TWO_ENVIRONMENTS)
    assert load_project(repo).environments["prod"].auth is not None


def test_labels_skip_pydantic_union_tags() -> None:
    from omni_sync.source.locate import _label

    assert _label(("environments", "tuple[str, ...]", 0)) == "environments[0]"
