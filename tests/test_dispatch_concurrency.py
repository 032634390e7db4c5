"""Dispatch engine under concurrency and its side channels (issue 5, SQL side).

Real connections: four dispatchers at once over 80 due pairs, the worker's wake-up
NOTIFY, and the WARNING for a pair whose running run is still alive.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from orchestrator.tooling import localdb

TYPES = ("xledger", "dynamics", "bufdir")


def _orgs(n: int) -> list[uuid.UUID]:
    return [uuid.uuid4() for _ in range(n)]


@pytest.fixture()
def org_cleanup(admin_conn: psycopg.Connection[Any]) -> Iterator[list[uuid.UUID]]:
    orgs: list[uuid.UUID] = []
    yield orgs
    admin_conn.execute("DELETE FROM public.sync_run_log WHERE org_id = ANY(%s)", (orgs,))
    admin_conn.execute(
        "DELETE FROM public.organization_integrations WHERE org_id = ANY(%s)", (orgs,)
    )


def _add_due_pairs(conn: psycopg.Connection[Any], pairs: list[tuple[uuid.UUID, str]]) -> None:
    with conn.cursor() as cur:
        cur.executemany(
            """INSERT INTO public.organization_integrations
                 (org_id, integration_type, sync_interval, next_sync_at, endpoint_url)
               VALUES (%s, %s, '1 hour', date_bin('1 hour', now(), '2000-01-01 00:00+00'),
                       'http://127.0.0.1:9/sync')""",
            pairs,
        )


@pytest.mark.usefixtures("cron_paused")
def test_four_concurrent_dispatchers_create_exactly_one_run_per_due_pair(
    admin_conn: psycopg.Connection[Any], worker_dsn: str, org_cleanup: list[uuid.UUID]
) -> None:
    orgs = _orgs(27)
    org_cleanup.extend(orgs)
    pairs = [(o, t) for o in orgs for t in TYPES][:80]
    _add_due_pairs(admin_conn, pairs)

    barrier = threading.Barrier(4)
    results: list[dict[str, Any]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def dispatch() -> None:
        try:
            with psycopg.connect(worker_dsn, autocommit=True) as conn:
                barrier.wait(timeout=30)
                row = conn.execute("SELECT integration_ops.dispatch_due_syncs()").fetchone()
                assert row is not None
                with lock:
                    results.append(row[0])
        except BaseException as exc:
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=dispatch) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert len(results) == 4

    run_ids = [rid for r in results for rid in r["run_ids"]]
    assert len(run_ids) == len(set(run_ids))
    rows = admin_conn.execute(
        """SELECT id::text, status, triggered_by FROM public.sync_run_log WHERE org_id = ANY(%s)""",
        (orgs,),
    ).fetchall()
    assert len(rows) == 80
    assert {r[0] for r in rows} <= set(run_ids)
    assert {(r[1], r[2]) for r in rows} == {("pending", "scheduler")}
    assert sum(r["triggered"] for r in results) >= 80  # no other test has due pairs
    assert sum(r["failed"] for r in results) == 0
    # every pair moved on to the next period
    not_advanced = admin_conn.execute(
        """SELECT count(*) FROM public.organization_integrations
            WHERE org_id = ANY(%s) AND next_sync_at <= now()""",
        (orgs,),
    ).fetchone()
    assert not_advanced == (0,)
    # a fifth tick changes nothing
    with psycopg.connect(worker_dsn, autocommit=True) as conn:
        again = conn.execute("SELECT integration_ops.dispatch_due_syncs()").fetchone()
    assert again is not None and again[0]["triggered"] == 0
    count = admin_conn.execute(
        "SELECT count(*) FROM public.sync_run_log WHERE org_id = ANY(%s)", (orgs,)
    ).fetchone()
    assert count == (80,)


@pytest.mark.usefixtures("cron_paused")
def test_dispatch_notifies_the_worker_and_warns_about_a_live_running_run(
    cluster: localdb.LocalCluster,
    admin_conn: psycopg.Connection[Any],
    worker_dsn: str,
    org_cleanup: list[uuid.UUID],
) -> None:
    busy, stale, free = _orgs(3)
    org_cleanup.extend([busy, stale, free])
    _add_due_pairs(admin_conn, [(busy, "xledger"), (stale, "xledger"), (free, "xledger")])
    admin_conn.execute(
        """INSERT INTO public.sync_run_log
             (org_id, integration_type, status, triggered_by, started_at, heartbeat_at, worker_id)
           VALUES (%s, 'xledger', 'running', 'manual', now() - interval '5 minutes',
                   now() - interval '1 minute', 'w-live'),
                  (%s, 'xledger', 'running', 'manual', now() - interval '3 hours',
                   now() - interval '2 hours', 'w-dead')""",
        (busy, stale),
    )

    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as listener:
        listener.execute("LISTEN integration_sync_wakeup")
        notices: list[str] = []
        with psycopg.connect(worker_dsn, autocommit=True) as conn:
            conn.add_notice_handler(lambda d: notices.append(d.message_primary or ""))
            row = conn.execute("SELECT integration_ops.dispatch_due_syncs()").fetchone()
        assert row is not None
        result = row[0]
        assert result["triggered"] == 1 and result["skipped"] >= 2
        gen = listener.notifies(timeout=5, stop_after=1)
        received = [(n.channel, n.payload) for n in gen]
    assert received == [("integration_sync_wakeup", result["run_ids"][0])]
    warnings = [n for n in notices if "still running" in n]
    assert len(warnings) == 1 and str(busy) in warnings[0]


@pytest.mark.usefixtures("cron_paused")
def test_a_pair_locked_elsewhere_is_skipped_and_a_late_period_warns_of_drift(
    cluster: localdb.LocalCluster,
    admin_conn: psycopg.Connection[Any],
    worker_dsn: str,
    org_cleanup: list[uuid.UUID],
) -> None:
    locked, late = _orgs(2)
    org_cleanup.extend([locked, late])
    _add_due_pairs(admin_conn, [(locked, "xledger")])
    admin_conn.execute(
        """INSERT INTO public.organization_integrations
             (org_id, integration_type, sync_interval, next_sync_at, endpoint_url)
           VALUES (%s, 'xledger', '1 hour',
                   date_bin('1 hour', now(), '2000-01-01 00:00+00') - interval '2 hours',
                   'http://127.0.0.1:9/sync')""",
        (late,),
    )
    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER)) as holder:
        # Another dispatcher (or a manual trigger) holds the pair's lock in its transaction.
        holder.execute(
            "SELECT pg_advisory_xact_lock(integration_ops.sync_pair_lock_key(%s, 'xledger'))",
            (locked,),
        )
        notices: list[str] = []
        with psycopg.connect(worker_dsn, autocommit=True) as conn:
            conn.add_notice_handler(lambda d: notices.append(d.message_primary or ""))
            row = conn.execute("SELECT integration_ops.dispatch_due_syncs()").fetchone()
        holder.rollback()
    assert row is not None
    runs = admin_conn.execute(
        "SELECT org_id, drift_seconds FROM public.sync_run_log WHERE org_id = ANY(%s)",
        ([locked, late],),
    ).fetchall()
    assert [r[0] for r in runs] == [late], "the locked pair was skipped, the late one dispatched"
    assert runs[0][1] >= 3600  # dispatched two periods late: drift recorded on the run
    assert row[0]["skipped"] >= 1
    drift = [n for n in notices if "after its scheduled period" in n]
    assert len(drift) == 1 and str(late) in drift[0]
    # Released, the locked pair is dispatched by the next tick.
    with psycopg.connect(worker_dsn, autocommit=True) as conn:
        again = conn.execute("SELECT integration_ops.dispatch_due_syncs()").fetchone()
    assert again is not None and again[0]["triggered"] >= 1
    assert admin_conn.execute(
        "SELECT count(*) FROM public.sync_run_log WHERE org_id = %s", (locked,)
    ).fetchone() == (1,)
