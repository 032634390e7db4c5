"""Static check of every PL/pgSQL function of the package with plpgsql_check.

Any error or warning-level finding fails, unless it is listed in JUSTIFIED with the
reason it is acceptable.
"""

from __future__ import annotations

from typing import Any

import psycopg

from orchestrator.tooling import localdb

# (function signature, message substring) -> why the finding is acceptable.
JUSTIFIED: dict[tuple[str, str], str] = {}

FUNCTIONS_SQL = """
SELECT p.oid, p.oid::regprocedure::text AS signature,
       (SELECT t.tgrelid FROM pg_trigger t WHERE t.tgfoid = p.oid LIMIT 1) AS relid,
       p.prorettype = 'trigger'::regtype AS is_trigger
  FROM pg_proc p
  JOIN pg_namespace n ON n.oid = p.pronamespace
  JOIN pg_language l ON l.oid = p.prolang
 WHERE n.nspname IN ('public', 'integration_ops') AND l.lanname = 'plpgsql'
 ORDER BY 2
"""


def findings(conn: psycopg.Connection[Any]) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for oid, signature, relid, is_trigger in conn.execute(FUNCTIONS_SQL).fetchall():
        if is_trigger and relid is None:
            out.append((signature, "error", "trigger function attached to no table"))
            continue
        rows = conn.execute(
            """SELECT level, message, coalesce(detail, '')
                 FROM extensions.plpgsql_check_function_tb(%s::regprocedure, relid => %s::regclass,
                      extra_warnings => true, performance_warnings => false)""",
            (oid, relid if relid is not None else 0),
        ).fetchall()
        for level, message, detail in rows:
            if level in ("error", "warning", "warning extra"):
                out.append((signature, level, f"{message} {detail}".strip()))
    return out


def test_plpgsql_functions_pass_plpgsql_check(cluster: localdb.LocalCluster) -> None:
    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as conn:
        checked = conn.execute(FUNCTIONS_SQL).fetchall()
        assert checked, "no PL/pgSQL functions found: is the plan deployed?"
        unjustified = [
            f
            for f in findings(conn)
            if not any(f[0] == sig and msg in f[2] for (sig, msg) in JUSTIFIED)
        ]
        assert unjustified == [], "\n".join(" | ".join(f) for f in unjustified)


def test_plpgsql_check_reports_a_broken_function(cluster: localdb.LocalCluster) -> None:
    """The check above can fail: a function referring to a missing column is reported."""
    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER)) as conn:
        conn.execute(
            """CREATE FUNCTION integration_ops.broken_for_test() RETURNS int LANGUAGE plpgsql
               AS $$ BEGIN RETURN (SELECT no_such_column FROM integration_ops.settings); END $$"""
        )
        try:
            found = [f for f in findings(conn) if f[0].startswith("integration_ops.broken_for")]
            assert found and found[0][1] == "error"
        finally:
            conn.rollback()
