"""Deno for the Edge Function template's tests: the binary `make deps` installs into
`.tools/` (the npm package `deno`), with DENO_DIR = `.tools/deno-cache`, where `make deps`
also caches the npm packages the template imports. Commands that resolve modules run with
`--cached-only`: they never reach the network at test time.

A missing binary FAILS the tests that need it; it never skips them.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from orchestrator.commands.init import TEMPLATE_DIR
from orchestrator.commands.init import TEMPLATE_FILES as _FILES
from tests.worker_procs import ROOT

TOOLS = ROOT / ".tools"
TEMPLATE_FILES = tuple(_FILES)
assert TEMPLATE_DIR == ROOT / "orchestrator" / "templates" / "edge_function"


def deno_binary() -> Path:
    """`DENO_BIN`, else the binary the npm package put into .tools/node_modules."""
    candidates = [Path(os.environ["DENO_BIN"])] if os.environ.get("DENO_BIN") else []
    candidates.append(TOOLS / "node_modules" / ".bin" / "deno")
    candidates.extend(sorted((TOOLS / "node_modules" / "@deno").glob("*/deno")))
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return path
    pytest.fail("deno not found: run `make deps` (npm install deno into .tools/)")


def deno_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORCHESTRATOR_", "DENO_"))}
    env["DENO_DIR"] = str(TOOLS / "deno-cache")  # never the user's home; `make deps` fills it
    env["NO_COLOR"] = "1"
    env.update(extra)
    return env


def deno(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(deno_binary()), *args],
        cwd=cwd,
        env=deno_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def run_template_tests(folder: Path) -> int:
    """`deno test` on the template's own test file in `folder`; the number of tests passed."""
    out = deno("test", "--cached-only", "index.test.ts", cwd=folder)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-4000:]
    summary = re.search(r"^ok \| (\d+) passed \| 0 failed", out.stdout, re.MULTILINE)
    assert summary is not None, out.stdout[-4000:]
    return int(summary.group(1))
