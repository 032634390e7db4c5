"""Statement coverage of the run-log PL/pgSQL functions (issue 3, seed 001: >= 80%).

plpgsql_check's profiler (preloaded in the test cluster) counts executed statements
while the run-log pgTAP files (the run log, and sanitising on its write paths) run in a
session with `plpgsql_check.profiler = on`; `plpgsql_coverage_statements(oid)` then gives
the share of statements executed.

Measured: the PL/pgSQL functions of the run-log repository layer listed in
RUN_LOG_FUNCTIONS. The claim helpers and `org_role` are not part of this measure.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
from psycopg.rows import scalar_row

from orchestrator.tooling import localdb

from .conftest import TERMINAL_REPORTS

PGTAP_FILES = [
    Path(__file__).resolve().parent / "pgtap" / name
    for name in ("test_sync_run_log.sql", "test_engine_guarantees.sql", "test_error_sanitising.sql")
]
# The public RPCs are thin invokers (0.3); their bodies, with every check, are the
# SECURITY DEFINER functions of the same name in integration_ops.
RUN_LOG_FUNCTIONS = [
    "integration_ops.insert_run_log(uuid, text, text)",
    "integration_ops.update_run_log_status(uuid, text, integer, integer, text)",
    "integration_ops.get_last_run_per_integration(uuid)",
    "integration_ops.get_run_history(uuid, text, integer)",
    "integration_ops.finish_sync_run(uuid, text, integer, integer, text, text, text, text)",
    "integration_ops.archive_sync_run_log()",
    "integration_ops.sanitize_error_text(text)",
]
THRESHOLD = 0.80


def test_run_log_statement_coverage(cluster: localdb.LocalCluster) -> None:
    dsn = cluster.dsn(user=localdb.SUPERUSER)
    with psycopg.connect(dsn, autocommit=True, options="-c search_path=public,extensions") as conn:
        conn.execute("SELECT extensions.plpgsql_profiler_reset_all()")
        conn.execute("SET plpgsql_check.profiler = on")
        for path in PGTAP_FILES:
            cur = conn.cursor(row_factory=scalar_row)
            cur.execute(path.read_text().encode())
            tap: list[str] = []
            while True:
                if cur.pgresult is not None and cur.description is not None:
                    tap.extend(str(r) for r in cur.fetchall())
                if not cur.nextset():
                    break
            failed = [line for line in tap if line.startswith("not ok")]
            assert not failed, f"{path.name}: {failed}"
        conn.execute("SET plpgsql_check.profiler = off")
        coverage: dict[str, float] = {}
        for fn in RUN_LOG_FUNCTIONS:
            row = conn.execute(
                "SELECT extensions.plpgsql_coverage_statements(%s::regprocedure)", (fn,)
            ).fetchone()
            assert row is not None
            coverage[fn] = float(row[0] or 0.0)
    total = sum(coverage.values()) / len(coverage)
    report = "\n".join(f"  {v:6.1%}  {k}" for k, v in sorted(coverage.items()))
    TERMINAL_REPORTS.append(
        f"run-log PL/pgSQL statement coverage (plpgsql_check profiler):\n{report}\n"
        f"  {total:6.1%}  mean"
    )
    low = {k: v for k, v in coverage.items() if v < THRESHOLD}
    assert not low, f"run-log functions below {THRESHOLD:.0%} statement coverage:\n{report}"
