"""Upgrading a 0.1 database with health data (issue 16): the deploy backfills the schedule
(every checkable pair gets a scheduled check, nothing else keeps one) and the status
counters, and the 0.2 claim then takes exactly the pairs 0.1 would have taken.

Its own cluster, at @v0.1.0 (a copy of the run's deployed 0.1): data is written through the 0.1
functions, then the rest of the plan is deployed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from orchestrator.tooling import localdb
from orchestrator.tooling.sqitch import run_sqitch

from .conftest import deployed_cluster

# Sqitch over much of the plan: started early (tests/conftest.py)
pytestmark = pytest.mark.deploys


@pytest.fixture(scope="module")
def old_cluster() -> Iterator[localdb.LocalCluster]:
    with deployed_cluster("@v0.1.0") as c:
        yield c


def _pairs(conn: psycopg.Connection[Any], where: str) -> set[tuple[str, str]]:
    rows = conn.execute(
        f"SELECT org_id::text, integration_type FROM public.integration_health_status WHERE {where}"
    ).fetchall()
    return {(r[0], r[1]) for r in rows}


def test_upgrade_backfills_schedule_and_counters(old_cluster: localdb.LocalCluster) -> None:
    orgs = [str(uuid.uuid4()) for _ in range(6)]
    a, b, c, d, e, f = orgs
    with psycopg.connect(old_cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as conn:
        conn.execute(
            "INSERT INTO public.organization_integrations"
            " (org_id, integration_type, enabled, health_mode) VALUES"
            " (%(a)s, 'xledger', true, 'active'),"  # never claimed: no status row in 0.1
            " (%(b)s, 'xledger', true, 'active'),"  # claimed once: bookkeeping row, leased
            " (%(c)s, 'xledger', true, 'active'),"  # checked: result, scheduled
            " (%(d)s, 'dynamics', true, 'passive'),"  # was active, claimed, now passive
            " (%(e)s, 'bufdir', false, 'active')",  # checked, then disabled
            {"a": a, "b": b, "c": c, "d": d, "e": e},
        )
        # 0.1's claim writes bookkeeping rows for b (and would for a, c, d: claim them all,
        # then undo what the story above says did not happen).
        conn.execute("SELECT * FROM integration_ops.claim_health_checks('old', 1000)")
        conn.execute("DELETE FROM public.integration_health_status WHERE org_id = %s", (a,))
        conn.execute(
            "SELECT integration_ops.record_health_check(%s, 'xledger', 'degraded', 5, NULL)", (c,)
        )
        conn.execute(
            "UPDATE public.organization_integrations SET health_mode = 'passive' WHERE org_id = %s",
            (d,),
        )
        conn.execute(
            "SELECT integration_ops.record_health_check(%s, 'bufdir', 'healthy', 5, NULL)", (e,)
        )
        conn.execute(
            "UPDATE public.integration_health_status SET next_check_at = now() WHERE org_id = %s",
            (e,),
        )  # as 0.1 left it after a result followed by a disable: still scheduled
        # a result for a pair nobody configured
        conn.execute(
            "SELECT integration_ops.record_health_check(%s, 'xledger', 'unreachable', 5, NULL)",
            (f,),
        )

    # the data is the point here; the same upgrade, verified, is tests/test_upgrade_from_0_1.py
    result = run_sqitch("deploy", old_cluster.sqitch_target(), ["--no-verify"], capture=True)
    assert result.returncode == 0, result.stdout + result.stderr

    with psycopg.connect(old_cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as conn:
        ours = f"org_id = ANY('{{{','.join(orgs)}}}'::uuid[])"
        assert _pairs(conn, f"{ours} AND next_check_at IS NOT NULL") == {
            (a, "xledger"),
            (b, "xledger"),
            (c, "xledger"),
        }
        assert _pairs(conn, f"{ours} AND status IS NULL") == {(a, "xledger"), (b, "xledger")}
        # d's bookkeeping row is gone (passive, never measured); e and f keep their results
        assert _pairs(conn, f"{ours} AND status IS NOT NULL") == {
            (c, "xledger"),
            (e, "bufdir"),
            (f, "xledger"),
        }
        counted = conn.execute(
            "SELECT integration_type, sum(healthy), sum(degraded), sum(unreachable)"
            " FROM integration_ops.health_status_counts GROUP BY 1"
            " HAVING sum(healthy + degraded + unreachable) > 0 ORDER BY 1"
        ).fetchall()
        assert counted == [("bufdir", 1, 0, 0), ("xledger", 0, 1, 1)]
        # a never-claimed pair (a) is due now; the claim takes it by the index alone
        claimed = conn.execute(
            "SELECT org_id::text, integration_type"
            " FROM integration_ops.claim_health_checks('new', 1000)"
        ).fetchall()
        assert {(r[0], r[1]) for r in claimed} == {(a, "xledger")}
