"""Engine guarantees under real interleavings and at herd scale (issue 13), with real
connections to the harness's Postgres:

* a service_role `insert_run_log` transaction held open while the dispatcher runs: the
  period is not lost (0.1 advanced the schedule, then its INSERT conflicted: no run);
* two dispatch procedures at once over a herd, with a tiny batch: one run per pair;
* a top-of-hour herd larger than the cluster's whole lock table (max_locks_per_transaction
  x max_connections): 0.1 failed with "out of shared memory" on every tick, 0.2 dispatches
  it in one pg_cron call (batches with commits in between).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from orchestrator.tooling import localdb

Conn = psycopg.Connection[Any]
HOUR_SLOT = "date_bin('1 hour', now(), '2000-01-01 00:00+00')"


@pytest.fixture()
def herd_orgs(admin_conn: Conn) -> Iterator[list[uuid.UUID]]:
    orgs: list[uuid.UUID] = []
    before = admin_conn.execute(
        "SELECT dispatch_batch_size, dispatch_time_budget FROM integration_ops.settings"
    ).fetchone()
    assert before is not None
    yield orgs
    admin_conn.execute("DELETE FROM public.sync_run_log WHERE org_id = ANY(%s)", (orgs,))
    admin_conn.execute(
        "DELETE FROM public.organization_integrations WHERE org_id = ANY(%s)", (orgs,)
    )
    admin_conn.execute(
        "UPDATE integration_ops.settings SET dispatch_batch_size = %s, dispatch_time_budget = %s",
        before,
    )


def add_due_pairs(conn: Conn, orgs: list[uuid.UUID]) -> None:
    """Hourly pairs due for the current hour (the default anchor: a top-of-hour herd)."""
    with conn.cursor() as cur:
        cur.execute(
            f"""INSERT INTO public.organization_integrations
                  (org_id, integration_type, sync_interval, next_sync_at, endpoint_url, health_mode)
                SELECT o, 'xledger', '1 hour', {HOUR_SLOT}, 'http://127.0.0.1:9/sync', 'disabled'
                  FROM unnest(%s::uuid[]) AS o""",
            (orgs,),
        )


def runs_per_pair(conn: Conn, orgs: list[uuid.UUID]) -> dict[int, int]:
    """{number of scheduler runs a pair has: how many pairs}."""
    rows = conn.execute(
        """SELECT n, count(*) FROM (
             SELECT o, count(r.id) AS n
               FROM unnest(%s::uuid[]) AS o
               LEFT JOIN public.sync_run_log AS r ON r.org_id = o AND r.triggered_by = 'scheduler'
              GROUP BY o) AS per_pair
           GROUP BY n""",
        (orgs,),
    ).fetchall()
    return {int(n): int(c) for n, c in rows}


@pytest.mark.usefixtures("cron_paused")
def test_open_insert_run_log_does_not_make_the_dispatcher_lose_a_period(
    cluster: localdb.LocalCluster, admin_conn: Conn, herd_orgs: list[uuid.UUID]
) -> None:
    org = uuid.uuid4()
    herd_orgs.append(org)
    add_due_pairs(admin_conn, [org])
    period = admin_conn.execute(f"SELECT {HOUR_SLOT}").fetchone()
    assert period is not None

    service = psycopg.connect(cluster.dsn(user=localdb.SUPERUSER))
    try:
        service.execute("SET ROLE service_role")
        service.execute(
            "SELECT set_config('request.jwt.claims', '{\"role\":\"service_role\"}', false)"
        )
        service.execute("SELECT public.insert_run_log(%s, 'xledger', 'manual')", (org,))
        # ... its transaction stays open while the dispatcher runs:
        with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as dispatcher:
            dispatcher.execute("SET lock_timeout = '5s'")
            result = dispatcher.execute("SELECT integration_ops.dispatch_due_syncs()").fetchone()
        assert result is not None and result[0]["triggered"] == 0
        service.commit()
    finally:
        service.close()

    due = admin_conn.execute(
        "SELECT next_sync_at FROM public.organization_integrations WHERE org_id = %s", (org,)
    ).fetchone()
    assert due == period, "the pair stays due for the period it could not dispatch"
    # the manual run ends; the next tick creates the period's run
    admin_conn.execute(
        """UPDATE public.sync_run_log SET status = 'completed', ended_at = now()
            WHERE org_id = %s AND status = 'running'""",
        (org,),
    )
    admin_conn.execute("SELECT integration_ops.dispatch_due_syncs()")
    rows = admin_conn.execute(
        "SELECT scheduled_for FROM public.sync_run_log"
        " WHERE org_id = %s AND triggered_by = 'scheduler'",
        (org,),
    ).fetchall()
    assert rows == [period]


@pytest.mark.usefixtures("cron_paused")
def test_two_dispatch_procedures_over_a_herd_create_one_run_per_pair(
    cluster: localdb.LocalCluster, admin_conn: Conn, herd_orgs: list[uuid.UUID]
) -> None:
    orgs = [uuid.uuid4() for _ in range(600)]
    herd_orgs.extend(orgs)
    add_due_pairs(admin_conn, orgs)
    admin_conn.execute("UPDATE integration_ops.settings SET dispatch_batch_size = 25")

    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def dispatch() -> None:
        try:
            with psycopg.connect(cluster.dsn(user="postgres"), autocommit=True) as conn:
                barrier.wait(timeout=10)
                conn.execute("CALL integration_ops.dispatch_all_due_syncs()")
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=dispatch) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert runs_per_pair(admin_conn, orgs) == {1: len(orgs)}


@pytest.mark.usefixtures("cron_paused")
def test_a_herd_larger_than_the_lock_table_is_dispatched_in_one_cron_call(
    cluster: localdb.LocalCluster, admin_conn: Conn, herd_orgs: list[uuid.UUID]
) -> None:
    row = admin_conn.execute(
        "SELECT current_setting('max_locks_per_transaction')::int"
        " * (current_setting('max_connections')::int"
        "    + current_setting('max_prepared_transactions')::int)"
    ).fetchone()
    assert row is not None
    lock_slots = int(row[0])
    orgs = [uuid.uuid4() for _ in range(lock_slots + 2_000)]
    herd_orgs.extend(orgs)
    add_due_pairs(admin_conn, orgs)
    # The lock table is the subject here, not speed: a slow or loaded machine must not end
    # the call at its time budget (that path has its own test below; speed is `make bench`).
    admin_conn.execute("UPDATE integration_ops.settings SET dispatch_time_budget = '10 minutes'")

    with psycopg.connect(cluster.dsn(user="postgres"), autocommit=True) as cron_owner:
        cron_owner.execute("CALL integration_ops.dispatch_all_due_syncs()")

    assert runs_per_pair(admin_conn, orgs) == {1: len(orgs)}
    still_due = admin_conn.execute(
        """SELECT count(*) FROM public.organization_integrations
            WHERE org_id = ANY(%s) AND next_sync_at <= now()""",
        (orgs,),
    ).fetchone()
    assert still_due == (0,)


@pytest.mark.usefixtures("cron_paused")
def test_a_spent_time_budget_ends_the_call_and_the_next_call_goes_on(
    cluster: localdb.LocalCluster, admin_conn: Conn, herd_orgs: list[uuid.UUID]
) -> None:
    orgs = [uuid.uuid4() for _ in range(120)]
    herd_orgs.extend(orgs)
    add_due_pairs(admin_conn, orgs)
    admin_conn.execute(
        "UPDATE integration_ops.settings"
        " SET dispatch_batch_size = 50, dispatch_time_budget = '1 microsecond'"
    )

    with psycopg.connect(cluster.dsn(user="postgres"), autocommit=True) as cron_owner:
        cron_owner.execute("CALL integration_ops.dispatch_all_due_syncs()")
        assert runs_per_pair(admin_conn, orgs) == {1: 50, 0: 70}
        cron_owner.execute("CALL integration_ops.dispatch_all_due_syncs()")
        assert runs_per_pair(admin_conn, orgs) == {1: 100, 0: 20}
        cron_owner.execute("CALL integration_ops.dispatch_all_due_syncs()")
    assert runs_per_pair(admin_conn, orgs) == {1: 120}


@pytest.mark.usefixtures("cron_paused")
def test_idle_dispatch_stays_an_index_probe_in_a_long_lived_session(
    admin_conn: Conn, herd_orgs: list[uuid.UUID]
) -> None:
    """From the sixth call in a session PL/pgSQL may switch to a generic plan; the idle
    early exit must not become a scan of every pair then (0.2 before the fix: 45 ms at
    200,000 pairs for a worker or service session that polls dispatch_due_syncs)."""
    orgs = [uuid.uuid4() for _ in range(20_000)]
    herd_orgs.extend(orgs)
    with admin_conn.cursor() as cur:
        cur.execute(
            """INSERT INTO public.organization_integrations
                  (org_id, integration_type, sync_interval, next_sync_at, endpoint_url, health_mode)
                SELECT o, 'xledger', '1 hour', now() + interval '1 day', 'http://127.0.0.1:9/sync',
                       'disabled'
                  FROM unnest(%s::uuid[]) AS o""",
            (orgs,),
        )
    admin_conn.execute("ANALYZE public.organization_integrations")
    with admin_conn.transaction():
        for _ in range(12):
            admin_conn.execute("SELECT integration_ops.dispatch_due_syncs()")
        row = admin_conn.execute(
            "SELECT seq_scan FROM pg_stat_xact_user_tables"
            " WHERE relid = 'public.organization_integrations'::regclass"
        ).fetchone()
    assert row == (0,)
