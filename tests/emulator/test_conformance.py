"""Spec conformance: schemathesis generates requests from Infobip's OpenAPI description and
checks every answer of the served emulator (over real HTTP) against it: status codes, content
types, bodies, and that missing credentials and bad data are refused.

One documented deviation is patched into the loaded spec: it types the scenario ``key`` as an
integer while every example (and the real service) uses 32 upper-case hex characters; the
emulator answers those, so the test holds it to that pattern instead (omni-api.md).

``positive_data_acceptance`` is not run: the emulator refuses on purpose some bodies the spec
alone would allow (a blank ``from``, demoting the default, a scenario key it does not know),
each a documented choice with its own focused test.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks
from schemathesis.config import SchemathesisConfig

from tests.conftest import REPO_ROOT
from tests.emulator.conftest import Served

SPEC = REPO_ROOT / "spec" / "infobip-omni-failover-openapi.json"
HEX_KEY = {"type": "string", "pattern": "^[0-9A-F]{32}$", "readOnly": True}
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
    checks.ignored_auth,
    checks.unsupported_method,
]


def _spec() -> dict[str, Any]:
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    for name, schema in spec["components"]["schemas"].items():
        if name.endswith(".Scenario") and "key" in schema.get("properties", {}):
            schema["properties"]["key"] = HEX_KEY
    return spec


CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20261127,
        "generation": {"mode": "all", "deterministic": True},
        "operations": [
            # The send body has hundreds of optional fields: its coverage phase alone would
            # take minutes; examples and fuzzing still cover it.
            {"include-path": "/omni/1/advanced", "phases": {"coverage": {"enabled": False}}}
        ],
    }
)
schema = schemathesis.openapi.from_dict(_spec(), config=CONFIG)


API_KEY = "conformance-key"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The real serve command in a child process (no throttling: generated writes are many)."""
    server = Served(
        "--api-key", API_KEY, "--no-throttle", "--quiet", cwd=tmp_path_factory.mktemp("conformance")
    )
    yield server
    server.stop()


@schema.parametrize()
@settings(
    max_examples=10,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_answer_conforms_to_the_spec(case: schemathesis.Case, served: Served) -> None:
    # Scenario bodies and parameters are checked field by field, so bad data must be refused;
    # the sending side checks only what it uses (see the emulator README).
    strict = case.operation.path.startswith("/omni/1/scenarios")
    extra = [checks.negative_data_rejection] if strict else []
    headers = {"Authorization": f"App {API_KEY}"}
    case.call_and_validate(base_url=served.base_url, headers=headers, checks=CHECKS + extra)
