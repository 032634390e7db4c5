"""`orchestrator db bundle`: the plan as one migration file for the Supabase CLI.

The bundle is applied in one transaction to a fresh, separately started cluster (as
Supabase's non-superuser `postgres`), and the whole pgTAP suite runs against it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg
from tap.line import Plan, Result
from tap.parser import Parser

from orchestrator import localdb
from orchestrator.sqitch import PROJECT_ROOT

from .conftest import install_test_helpers

PGTAP_DIR = PROJECT_ROOT / "tests" / "pgtap"


def run_pgtap_file(cluster: localdb.LocalCluster, path: Path) -> list[str]:
    """Run one pgTAP file; return the descriptions of failed or missing tests."""
    with psycopg.connect(
        cluster.dsn(user=localdb.SUPERUSER), options="-c search_path=public,extensions"
    ) as conn:
        cur = conn.execute(path.read_text().encode())
        lines: list[str] = []
        while True:
            if cur.description is not None:
                lines.extend(str(r[0]) for r in cur.fetchall())
            if not cur.nextset():
                break
    planned, failures, ran = None, [], 0
    for item in Parser().parse_text("\n".join(lines)):
        if isinstance(item, Plan):
            planned = item.expected_tests
        elif isinstance(item, Result):
            ran += 1
            if not item.ok:
                failures.append(f"{path.name}: not ok {item.number} {item.description}")
    if planned != ran:
        failures.append(f"{path.name}: planned {planned}, ran {ran}")
    return failures


def test_bundle_applies_to_a_fresh_database_and_passes_the_suite(tmp_path: Path) -> None:
    bundle_file = tmp_path / "integration_sync.sql"
    out = subprocess.run(
        [sys.executable, "-m", "orchestrator", "db", "bundle", "-o", str(bundle_file)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "BEGIN;" not in bundle_file.read_text().upper().split("\n")
    with localdb.temporary_cluster() as fresh:
        applied = subprocess.run(
            [
                "psql",
                "-X",
                "-q",
                "-1",
                "-v",
                "ON_ERROR_STOP=1",
                "-d",
                fresh.uri(),
                "-f",
                str(bundle_file),
            ],
            capture_output=True,
            text=True,
            check=False,
            env={"PGOPTIONS": "-c client_min_messages=warning", "PATH": "/usr/bin:/bin"},
        )
        assert applied.returncode == 0, applied.stderr
        install_test_helpers(fresh)
        files = sorted(PGTAP_DIR.glob("test_*.sql"))
        assert files
        failures = [f for path in files for f in run_pgtap_file(fresh, path)]
        assert failures == []
