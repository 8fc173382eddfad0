"""The one escaping of GitHub Actions workflow commands, used by validate's and plan's
annotations alike: a user's text cannot end a command early or start another."""

from __future__ import annotations

from omni_sync.commands.validate import github_annotation
from omni_sync.errors import Problem
from omni_sync.plan.render_markdown import annotation
from omni_sync.workflow_commands import workflow_command

HOSTILE = "50% bad\r\n::warning::forged, a:b"


def test_data_and_properties_are_escaped_as_the_runner_expects() -> None:
    assert workflow_command("error", HOSTILE, file="a,b:c.yaml", line=3) == (
        "::error file=a%2Cb%3Ac.yaml,line=3::50%25 bad%0D%0A::warning::forged, a:b"
    )
    assert workflow_command("notice", "done") == "::notice::done"


def test_validate_and_plan_annotations_escape_alike() -> None:
    from_validate = github_annotation(Problem(HOSTILE, 1, 2, HOSTILE))
    from_plan = annotation("error", HOSTILE, HOSTILE)
    escaped_data = "50%25 bad%0D%0A::warning::forged, a:b"
    escaped_property = "50%25 bad%0D%0A%3A%3Awarning%3A%3Aforged%2C a%3Ab"
    assert from_validate == f"::error file={escaped_property},line=1,col=2::{escaped_data}"
    assert from_plan == f"::error title={escaped_property}::{escaped_data}"
    assert "\n" not in from_validate + from_plan
