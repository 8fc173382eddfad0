"""The shipped workflows' steps, run for real: each `run:` with bash (as a runner does, with
GitHub's variables faked and a recording `gh` on PATH), each github-script under node with
GitHub's API stubbed, against the real CLI and the served emulator."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import REPO_ROOT

GITHUB = REPO_ROOT / ".github"
WORKFLOWS = GITHUB / "workflows"

FAKE_GH = """\
#!{python}
# gh api, faked: records each call, answers from a routes file (filtered by jq like gh --jq).
import json, os, subprocess, sys
args = sys.argv[1:]
with open(os.environ["FAKE_GH_LOG"], "a") as log:
    log.write(json.dumps(args) + "\\n")
routes = json.load(open(os.environ["FAKE_GH_ROUTES"]))
endpoint, jq, fields, rest = None, None, {{}}, args[1:]
while rest:
    arg = rest.pop(0)
    if arg == "--jq":
        jq = rest.pop(0)
    elif arg in ("-X", "--method"):
        rest.pop(0)
    elif arg in ("-f", "-F"):
        key, _, value = rest.pop(0).partition("=")
        fields[key] = value
    else:
        endpoint = arg
key = endpoint + ("?name=" + fields["name"] if "name" in fields else "")
if key not in routes:
    sys.exit("gh: Not Found (HTTP 404)")
answer = routes[key]
if isinstance(answer, dict) and "zip" in answer:
    sys.stdout.buffer.write(open(answer["zip"], "rb").read())
    sys.exit(0)
if jq is None:
    print(json.dumps(answer))
    sys.exit(0)
done = subprocess.run(["jq", "-r", jq], input=json.dumps(answer), text=True)
sys.exit(done.returncode)
"""

NODE_HARNESS = """
const fs = require("fs");
const [script, state] = [fs.readFileSync(process.argv[2], "utf8"),
                         JSON.parse(fs.readFileSync(process.argv[3], "utf8"))];
const calls = [];
const record = (name) => async (args) => { calls.push([name, args]); return { data: {} }; };
const github = {
  paginate: async (method, args) => { calls.push(["list", args]); return state[method] || []; },
  rest: { issues: {
    listComments: "listComments", listForRepo: "listForRepo",
    updateComment: record("updateComment"), createComment: record("createComment"),
    update: record("update"), create: record("create"),
  } },
};
const context = {
  serverUrl: "https://github.example", repo: { owner: "team", repo: "scenarios" }, runId: 77,
  issue: { number: 12 },
  payload: { pull_request: { head: { sha: "0123456789abcdef0123456789abcdef01234567" } } },
};
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
new AsyncFunction("github", "context", "require", "process", script)(
  github, context, require, process,
).then(() => console.log(JSON.stringify(calls)));
"""


def load(path: Path) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(path.read_text())
    return data


def step(workflow: str, job: str, name: str) -> dict[str, Any]:
    data = load(WORKFLOWS / workflow)
    found: dict[str, Any] = next(
        s for s in data["jobs"][job]["steps"] if s.get("name", "").startswith(name)
    )
    return found


def step_script(workflow: str, job: str, name: str) -> str:
    script: str = step(workflow, job, name)["run"]
    return script


def github_script(workflow: str, job: str, name: str) -> str:
    script: str = step(workflow, job, name)["with"]["script"]
    return script


def fake_bin(cwd: Path) -> Path:
    """A folder for PATH: `omni-sync` running this checkout, and a recording `gh`."""
    shim = cwd.parent / "bin"
    shim.mkdir(exist_ok=True)
    (shim / "omni-sync").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m omni_sync "$@"\n')
    (shim / "gh").write_text(FAKE_GH.format(python=sys.executable))
    for tool in ("omni-sync", "gh"):
        (shim / tool).chmod(0o755)
    return shim


def run_step(
    script: str,
    cwd: Path,
    env: dict[str, str],
    *,
    drop: tuple[str, ...] = ("OMNI_SYNC_", "OMNI_TEST_KEY_"),
) -> subprocess.CompletedProcess[str]:
    """Like a runner: bash -e -o pipefail, omni-sync and gh from `fake_bin`, none of the
    variables named by ``drop`` (the credentials reach omni-sync only through the step)."""
    shim = fake_bin(cwd)
    full = {
        **{k: v for k, v in os.environ.items() if not k.startswith(drop)},
        "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(REPO_ROOT),
        **env,
    }
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run_github_script(
    script: str, folder: Path, state: dict[str, Any], env: dict[str, str]
) -> list[Any]:
    """A github-script step under node: the API calls it made, in order."""
    (folder / "script.js").write_text(script)
    (folder / "harness.js").write_text(NODE_HARNESS)
    (folder / "state.json").write_text(json.dumps(state))
    result = subprocess.run(
        ["node", "harness.js", "script.js", "state.json"],
        cwd=folder,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    calls: list[Any] = json.loads(result.stdout)
    return calls


def outputs(path: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return dict(pairs)


def zip_folder(folder: Path, target: Path, links: dict[str, str] | None = None) -> Path:
    """An artifact as the API serves it: the folder's files in a zip; ``links`` (name: target)
    are stored instead as symbolic links, which `unzip` restores, as a crafted zip may."""
    links = links or {}
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.iterdir()):
            if path.name not in links:
                archive.write(path, path.name)
        for name, to in links.items():
            entry = zipfile.ZipInfo(name)
            entry.create_system = 3  # Unix: the mode below is read
            entry.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(entry, to)
    return target


def gh_calls(log: Path) -> list[list[str]]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines()]
