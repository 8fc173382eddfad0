"""Message previews in the plan, through the real CLI: a changed template shows what each step of
its flow sends before (the template at --compare-ref) and after, with SMS parts and encoding, in
every format; computed offline, without a request to the account beyond the plan's listing."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from omni_sync.cli import cli
from tests.mermaid_browser import mermaid_blocks
from tests.plan.test_diagrams import CONFIG

SCENARIOS = """\
- name: Order updates
  default: true
  flow:
    - {channel: SMS, from: "{{ vars.sms_sender }}"}
    - {channel: EMAIL, from: orders@example.com}
- name: Unchanged
  flow:
    - {channel: SMS, from: "{{ vars.sms_sender }}"}
"""
CHANGED_SCENARIOS = (
    SCENARIOS.replace(
        "    - {channel: EMAIL, from: orders@example.com}\n",
        '    - {channel: VIBER, from: "3045"}\n    - {channel: EMAIL, from: orders@example.com}\n',
    )
    + """\
- name: Promo
  flow:
    - {channel: SMS, from: "{{ vars.sms_sender }}"}
"""
)
TEMPLATE = """\
scenarios: [Order updates]
sample: {customer: Ana}
fallback: "Hi {{ customer }}, your order has shipped."
email:
  subject: Shipped
  text: "Hi {{ customer }}, your order has shipped."
"""
EMOJI_TEMPLATE = TEMPLATE.replace(
    'fallback: "Hi {{ customer }}, your order has shipped."',
    'fallback: "Hi {{ customer }}, your order has shipped 📦 and arrives tomorrow between 9 and '
    '12, track it in the app."',
)
UNTOUCHED = """\
scenarios: [Unchanged]
fallback: "Nothing new here."
"""


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def _invoke(root: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["-C", str(root), *args])
    assert result.exit_code in (0, 2), result.output
    return result.stdout


def _project(root: Path, scenarios: str, templates: dict[str, str]) -> None:
    """The embedded environments, ``scenarios`` and ``templates`` (by file name)."""
    (root / "scenarios.d").mkdir(parents=True)
    (root / "templates").mkdir()
    (root / "omni-sync.yaml").write_text(CONFIG)
    (root / "scenarios.d" / "all.yaml").write_text(scenarios)
    for name, text in templates.items():
        (root / "templates" / name).write_text(text)
    (root / ".gitignore").write_text(".omni-sync/\n")


def _applied(root: Path) -> str:
    """The project committed as the base of a change and applied; the base commit."""
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", ".")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base")
    _invoke(root, "apply", "--auto-approve")
    return _git(root, "rev-parse", "HEAD")


@pytest.fixture
def pull_request(tmp_path: Path) -> tuple[Path, str]:
    """A repository whose base commit is applied; the working tree changes a template (an
    emoji), a scenario's flow, adds a scenario and leaves one alone."""
    root = tmp_path / "repo"
    _project(root, SCENARIOS, {"order-shipped.yaml": TEMPLATE, "untouched.yaml": UNTOUCHED})
    base = _applied(root)
    (root / "templates" / "order-shipped.yaml").write_text(EMOJI_TEMPLATE)
    (root / "scenarios.d" / "all.yaml").write_text(CHANGED_SCENARIOS)
    return root, base


def test_text_shows_each_step_before_and_after_with_sms_parts(
    pull_request: tuple[Path, str],
) -> None:
    root, base = pull_request
    text = _invoke(root, "plan", "-e", "prod", "--compare-ref", base)
    assert (
        'Message preview: templates/order-shipped.yaml through "Order updates" (template changed)'
        in text
    )
    assert "1. SMS: 1 part GSM-7 -> 2 parts UCS-2 (because of 📦)" in text
    assert "2. VIBER: new, " in text
    assert "3. EMAIL: unchanged" in text
    assert "from Shop: 92 characters, 2 parts UCS-2, because of 📦" in text
    assert "| Hi Ana, your order has shipped 📦 and arrives" in text
    assert "before, from Shop: 31 characters, 1 part GSM-7" in text
    assert "untouched.yaml" not in text  # neither its template nor its scenario changed


def test_without_a_base_only_flows_that_change_are_previewed(
    pull_request: tuple[Path, str],
) -> None:
    root, _ = pull_request
    text = _invoke(root, "plan", "-e", "prod")
    assert 'through "Order updates" (flow changed)' in text
    assert "1. SMS: text changed, still 2 parts UCS-2" not in text  # no base: same template
    assert "1. SMS: unchanged" in text
    assert "2. VIBER: new, " in text


def test_markdown_and_json_carry_the_same_previews(pull_request: tuple[Path, str]) -> None:
    root, base = pull_request
    markdown = _invoke(root, "plan", "--format", "markdown", "--compare-ref", base)
    assert markdown.count("<details open><summary>Message preview (1): ") == 2  # dev and prod
    assert "SMS: 1 part GSM-7 -&gt; 2 parts UCS-2 (because of 📦)" in markdown
    assert len(mermaid_blocks(markdown)) == 4  # Order updates changed, Promo created, per env
    document = json.loads(_invoke(root, "plan", "--format", "json", "--compare-ref", base))
    assert document["format_version"] == "1.2"
    prod = next(env for env in document["environments"] if env["name"] == "prod")
    (preview,) = prod["message_previews"]
    assert (preview["template"], preview["scenario"], preview["reason"]) == (
        "templates/order-shipped.yaml",
        "Order updates",
        "template changed",
    )
    sms = preview["steps"][0]
    assert sms["change"] == "SMS: 1 part GSM-7 -> 2 parts UCS-2 (because of 📦)"
    assert (sms["after"]["sms_parts"], sms["after"]["sms_encoding"]) == (2, "UCS-2")
    assert (sms["before"]["sms_parts"], sms["before"]["sms_encoding"]) == (1, "GSM-7")
    assert sms["after"]["sender"] == "Shop"


def test_github_format_puts_the_preview_in_the_step_summary(
    pull_request: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, base = pull_request
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    log = _invoke(root, "plan", "-e", "prod", "--format", "github", "--compare-ref", base)
    assert "Message preview: templates/order-shipped.yaml" in log
    assert "2 parts UCS-2 (because of 📦)" in summary.read_text()


def test_an_unknown_base_is_one_line_error(pull_request: tuple[Path, str]) -> None:
    root, _ = pull_request
    for ref in ("no-such-branch", "--output=x"):
        result = CliRunner().invoke(cli, ["-C", str(root), "plan", "--compare-ref", ref])
        assert result.exit_code == 1
        assert result.output.startswith(f"Error: --compare-ref {ref}: ")
        assert len(result.output.strip().splitlines()) == 1
    assert not (root / "x").exists()


def _preview(shown: str, reason: str = "template changed") -> list[str]:
    """The lines under templates/t.yaml's preview through "Order updates"."""
    lines = shown.splitlines()
    head = f'Message preview: templates/t.yaml through "Order updates" ({reason})'
    return lines[lines.index(head) + 1 :]


def test_gsm_extension_characters_that_add_a_part_are_named(tmp_path: Path) -> None:
    """150 characters, twelve of them the euro sign, each sent as two septets: 162 > 160."""
    head = "scenarios: [Order updates]\nfallback: "
    text = "Your order of 5 items (" + "€" * 12 + ") has shipped. " + "x" * 100
    assert len(text) == 150
    _project(tmp_path, SCENARIOS, {"t.yaml": f"{head}Your order has shipped.\n"})
    base = _applied(tmp_path)
    (tmp_path / "templates" / "t.yaml").write_text(f"{head}{text}\n")
    shown = _invoke(tmp_path, "plan", "-e", "prod", "--compare-ref", base)
    assert "1. SMS: 1 part GSM-7 -> 2 parts GSM-7 (€ counts as two)" in shown
    assert "from Shop: 150 characters, 2 parts GSM-7, € counts as two" in shown
    document = json.loads(_invoke(tmp_path, "plan", "--format", "json", "--compare-ref", base))
    prod = next(env for env in document["environments"] if env["name"] == "prod")
    assert prod["message_previews"][0]["steps"][0]["after"]["sms_reason"] == "€ counts as two"


def test_a_step_the_template_has_no_content_for_says_so(tmp_path: Path) -> None:
    """A scenario created (nothing before): its EMAIL step gets nothing from an SMS-only
    template; the preview says so and what to add, as validate does."""
    sms_only = "scenarios: [Order updates]\nsms:\n  text: Your order has shipped.\n"
    _project(tmp_path, SCENARIOS, {"t.yaml": sms_only})
    shown = _invoke(tmp_path, "plan", "-e", "prod")
    assert _preview(shown, "scenario created")[:5] == [
        "  1. SMS: new, 1 part GSM-7",
        "     from Shop: 23 characters, 1 part GSM-7",
        "       | Your order has shipped.",
        "  2. EMAIL: no message from this template",
        '  ! templates/t.yaml:1:13: no content for EMAIL, a step of scenario "Order updates": '
        "add email.text or a fallback [prod]",
    ]


def test_a_step_whose_text_no_longer_renders_is_not_called_gone(tmp_path: Path) -> None:
    """The SMS step is still in the flow: its text fails to render now, which is not "no longer
    sent"; the step the flow drops is."""
    template = "scenarios: [Order updates]\nsample: {customer: Ana}\nfallback: Hi {{ customer }}\n"
    _project(tmp_path, SCENARIOS, {"t.yaml": template})
    base = _applied(tmp_path)
    broken = template.replace("fallback: Hi {{ customer }}", "sms:\n  text: Hi {{ nobody }}")
    (tmp_path / "templates" / "t.yaml").write_text(broken)
    sms_only = SCENARIOS.replace("    - {channel: EMAIL, from: orders@example.com}\n", "", 1)
    (tmp_path / "scenarios.d" / "all.yaml").write_text(sms_only)
    lines = _preview(_invoke(tmp_path, "plan", "-e", "prod", "--compare-ref", base))
    assert lines[:4] == [
        "  1. SMS: no message from this template",
        "     before, from Shop: 6 characters, 1 part GSM-7",
        "       | Hi Ana",
        "  2. EMAIL: no longer sent",
    ]
    assert lines[6].startswith("  ! templates/t.yaml:4:")
    assert "nobody" in lines[6]
