"""Health history retention and worker concurrency on a real cluster.

- `integration_ops.cleanup_health_history()` deletes rows older than the retention in
  batches of at most 1000 rows per statement, committing between batches, and keeps
  younger rows.
- A `record_health_check` from a second connection runs while the cleanup is under way
  and is never blocked longer than `lock_timeout` (one batch holds its row locks only
  until its COMMIT).
- Two workers claiming health checks at the same time get disjoint pairs and neither
  waits for the other (SKIP LOCKED / advisory try-locks).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from orchestrator.tooling import localdb

RETENTION_OLD = "31 days"
ORG_PREFIX = "7e57"  # org ids of this module's rows start with it


def new_org() -> uuid.UUID:
    return uuid.UUID(ORG_PREFIX + uuid.uuid4().hex[4:])


def seed_history(
    conn: psycopg.Connection[Any], orgs: list[uuid.UUID], per_pair: int, age: str
) -> None:
    conn.execute(
        """INSERT INTO public.integration_health_history
                  (org_id, integration_type, status, latency_ms, checked_at)
           SELECT o, 'xledger', 'healthy', g, now() - %s::interval - g * interval '1 minute'
             FROM unnest(%s::uuid[]) AS o, generate_series(1, %s) AS g""",
        (age, orgs, per_pair),
    )


def count_ours(conn: psycopg.Connection[Any], older_than: str | None = None) -> int:
    sql = "SELECT count(*) FROM public.integration_health_history WHERE org_id::text LIKE %s"
    params: list[Any] = [ORG_PREFIX + "%"]
    if older_than is not None:
        sql += " AND checked_at < now() - %s::interval"
        params.append(older_than)
    row = conn.execute(sql, params).fetchone()
    assert row is not None
    return int(row[0])


@pytest.fixture()
def clean_ours(admin_conn: psycopg.Connection[Any]) -> Iterator[None]:
    yield
    admin_conn.execute(
        "DELETE FROM public.integration_health_history WHERE org_id::text LIKE %s",
        (ORG_PREFIX + "%",),
    )
    admin_conn.execute(
        "DELETE FROM public.integration_health_status WHERE org_id::text LIKE %s",
        (ORG_PREFIX + "%",),
    )
    admin_conn.execute(
        "DELETE FROM public.organization_integrations WHERE org_id::text LIKE %s",
        (ORG_PREFIX + "%",),
    )


@pytest.fixture()
def delete_log(admin_conn: psycopg.Connection[Any]) -> Iterator[None]:
    """Log every DELETE statement on the history: rows deleted and its transaction."""
    admin_conn.execute(
        """CREATE TABLE tests.history_delete_log (
             id bigserial, deleted integer NOT NULL, txid bigint NOT NULL DEFAULT txid_current());
           GRANT INSERT ON tests.history_delete_log TO PUBLIC;
           GRANT USAGE ON SEQUENCE tests.history_delete_log_id_seq TO PUBLIC;
           CREATE FUNCTION tests.log_history_delete() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN
             INSERT INTO tests.history_delete_log (deleted) SELECT count(*) FROM old_rows;
             RETURN NULL;
           END $$;
           CREATE TRIGGER zz_test_delete_log AFTER DELETE ON public.integration_health_history
             REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
             EXECUTE FUNCTION tests.log_history_delete();"""
    )
    try:
        yield
    finally:
        admin_conn.execute(
            """DROP TRIGGER zz_test_delete_log ON public.integration_health_history;
               DROP FUNCTION tests.log_history_delete();
               DROP TABLE tests.history_delete_log;"""
        )


def call_cleanup(cluster: localdb.LocalCluster) -> None:
    # As the pg_cron job runs it: CALL as the job owner (postgres), outside a transaction.
    with psycopg.connect(cluster.dsn(), autocommit=True) as conn:
        conn.execute("CALL integration_ops.cleanup_health_history()")


@pytest.mark.usefixtures("clean_ours", "delete_log")
def test_cleanup_deletes_old_rows_in_committed_batches_and_keeps_young_ones(
    cluster: localdb.LocalCluster, admin_conn: psycopg.Connection[Any]
) -> None:
    old_orgs = [new_org() for _ in range(35)]
    seed_history(admin_conn, old_orgs, 100, RETENTION_OLD)  # 3,500 rows older than 30 days
    young_orgs = [new_org() for _ in range(5)]
    seed_history(admin_conn, young_orgs, 40, "29 days")  # 200 rows inside the retention
    admin_conn.execute("TRUNCATE tests.history_delete_log")

    call_cleanup(cluster)

    assert count_ours(admin_conn, older_than="30 days") == 0
    assert count_ours(admin_conn) == 200
    batches = admin_conn.execute(
        "SELECT deleted, txid FROM tests.history_delete_log WHERE deleted > 0 ORDER BY id"
    ).fetchall()
    assert max(n for n, _ in batches) <= 1000, batches
    assert sum(n for n, _ in batches) >= 3500
    # one transaction per batch: the procedure committed between batches
    assert len({tx for _, tx in batches}) == len(batches) >= 4


@pytest.mark.usefixtures("clean_ours")
def test_record_health_check_is_not_blocked_by_a_running_cleanup(
    cluster: localdb.LocalCluster, admin_conn: psycopg.Connection[Any], worker_dsn: str
) -> None:
    # 100 pairs at the cap with history older than the retention (~10 batches); the hot
    # pair's prune deletes exactly the rows the cleanup is deleting.
    hot = new_org()
    seed_history(admin_conn, [hot] + [new_org() for _ in range(99)], 96, RETENTION_OLD)

    errors: list[BaseException] = []

    def run() -> None:
        try:
            call_cleanup(cluster)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    with psycopg.connect(worker_dsn, autocommit=True) as worker:
        worker.execute("SET lock_timeout = '1s'")
        thread = threading.Thread(target=run)
        thread.start()
        recorded = 0
        while thread.is_alive() or recorded < 3:
            # raises LockNotAvailable if a lock is held longer than lock_timeout
            worker.execute(
                "SELECT integration_ops.record_health_check(%s, 'xledger', 'healthy', 5, NULL)",
                (hot,),
            )
            recorded += 1
        thread.join()
    assert errors == []
    assert count_ours(admin_conn, older_than="30 days") == 0
    assert count_ours(admin_conn) == min(recorded, 96)  # the hot pair's fresh results survive


@pytest.mark.usefixtures("clean_ours")
def test_concurrent_claims_are_disjoint_and_do_not_wait(
    admin_conn: psycopg.Connection[Any], worker_dsn: str
) -> None:
    orgs = [new_org() for _ in range(6)]
    admin_conn.execute(
        """INSERT INTO public.organization_integrations (org_id, integration_type)
           SELECT o, t FROM unnest(%s::uuid[]) AS o, unnest(ARRAY['xledger', 'dynamics']) AS t""",
        (orgs,),
    )
    # half of them scheduled and overdue, half never checked (since 0.2 a never-checked
    # pair already has its bookkeeping row, due since it was configured)
    admin_conn.execute(
        """INSERT INTO public.integration_health_status (org_id, integration_type, next_check_at)
           SELECT o, 'xledger', now() - interval '1 minute' FROM unnest(%s::uuid[]) AS o
           ON CONFLICT (org_id, integration_type)
           DO UPDATE SET next_check_at = EXCLUDED.next_check_at""",
        (orgs,),
    )
    claim = "SELECT org_id, integration_type FROM integration_ops.claim_health_checks(%s, 1000)"
    with (
        psycopg.connect(worker_dsn) as first,
        psycopg.connect(worker_dsn) as second,
    ):
        second.execute("SET lock_timeout = '500ms'")
        mine = {(str(o), t) for o, t in first.execute(claim, ("w1",)).fetchall()}
        # first's transaction is still open: its claimed rows stay locked
        theirs = {(str(o), t) for o, t in second.execute(claim, ("w2",)).fetchall()}
        first.commit()
        second.commit()
        again = {(str(o), t) for o, t in second.execute(claim, ("w3",)).fetchall()}
        second.commit()
    ours = {(str(o), t) for o in orgs for t in ("xledger", "dynamics")}
    assert mine & theirs == set()
    assert ours <= mine | theirs
    assert again & ours == set()  # nothing claimed is due again before its lease ends
