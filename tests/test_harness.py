"""The harness itself: a database that cannot be started fails the run, never skips it."""

from __future__ import annotations

import os
import subprocess
import sys

from orchestrator.tooling.sqitch import PROJECT_ROOT

from . import cluster_templates


def test_a_database_that_cannot_start_fails_the_pgtap_tests() -> None:
    env = dict(os.environ, ORCHESTRATOR_PG_BINDIR="/nonexistent/postgresql/bin")
    env.pop(cluster_templates.ENV, None)  # its own deployed stages, not this run's
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            "tests/pgtap/test_foundation.sql",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    summary = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""
    assert out.returncode != 0, out.stdout[-2000:]
    assert "failed" in summary or "error" in summary, summary
    assert "skipped" not in summary, summary
    assert "ORCHESTRATOR_PG_BINDIR" in out.stdout
