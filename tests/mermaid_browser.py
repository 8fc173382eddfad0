"""Mermaid diagrams rendered by the real ``mermaid`` package in a real headless Chromium, as GitHub
renders a ```` ```mermaid ```` block: each diagram's SVG, or the error Mermaid refused it with.

Needs Debian's ``chromium`` and ``mermaid`` under ``.ci/node/node_modules`` (``.ci/run``
installs both); without them a test fails, it never skips.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
MERMAID = REPOSITORY / ".ci" / "node" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
_RESULTS = re.compile(r'<div id="results">(.*?)</div>', re.S)
_BLOCK = re.compile(r"^```mermaid\n(.*?)\n```$", re.M | re.S)

_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><script src="{script}"></script></head>
<body><div id="results"></div>
<script type="application/json" id="diagrams">{diagrams}</script>
<script>
(async () => {{
  mermaid.initialize({{startOnLoad: false, securityLevel: "strict"}});
  const diagrams = JSON.parse(document.getElementById("diagrams").textContent);
  const results = [];
  for (let i = 0; i < diagrams.length; i++) {{
    try {{
      const {{svg}} = await mermaid.render("d" + i, diagrams[i]);
      const box = document.createElement("div");
      box.innerHTML = svg;
      const nodes = box.querySelectorAll("g.node").length;
      const labels = [...box.querySelectorAll("g.node")].map((n) => n.textContent.trim());
      results.push({{ok: svg.startsWith("<svg"), error: null, nodes, labels}});
    }} catch (e) {{
      results.push({{ok: false, error: String(e && e.message || e), nodes: 0, labels: []}});
    }}
  }}
  document.getElementById("results").textContent = JSON.stringify(results);
}})();
</script></body></html>
"""


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("chromium is not installed: apt-get install chromium (as .ci/run does)")
    if not MERMAID.is_file():
        pytest.fail("mermaid is not installed: run .ci/test-deps (as .ci/run does)")
    return found


def browser_flags(profile: str) -> list[str]:
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--allow-file-access-from-files",
        "--virtual-time-budget=20000",
    ]


def mermaid_blocks(markdown: str) -> list[str]:
    """Every ```` ```mermaid ```` block's source in a Markdown document."""
    return _BLOCK.findall(markdown)


def page(diagrams: list[str]) -> str:
    data = json.dumps(diagrams).replace("</", "<\\/")
    return _PAGE.format(script=MERMAID.as_uri(), diagrams=data)


def render_in_browser(diagrams: list[str]) -> list[dict[str, object]]:
    """Each diagram's result: ``ok`` (an SVG came out), ``error`` (Mermaid's message), and the
    ``labels`` of its ``nodes`` as the browser shows them."""
    browser = chromium()
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "page.html"
        file.write_text(page(diagrams), encoding="utf-8")
        profile = Path(folder) / "profile"
        done = subprocess.run(
            [browser, *browser_flags(str(profile)), "--dump-dom", file.as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    found = _RESULTS.search(done.stdout)
    assert found, f"no results from chromium: {done.stderr[-2000:]}"
    assert found.group(1), f"Mermaid did not finish: {done.stderr[-2000:]}"
    results: list[dict[str, object]] = json.loads(html.unescape(found.group(1)))
    assert len(results) == len(diagrams)
    return results
