"""The health store under concurrency, on real connections (issue 16, SQL side).

- Concurrent claimers: a claimer never comes back empty while pairs it could take are
  due (the LIMIT sits above SKIP LOCKED), and no pair is claimed twice.
- The schedule invariant (a checkable pair has a scheduled check, no other pair has one)
  survives a configuration change racing a record or a claim, in either order.
- The per-type status counters equal a full count after random concurrent writes from
  several connections (results, direct writes, deletes, multi-type transactions,
  rollbacks), with no deadlock.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest

from orchestrator.tooling import localdb

from .health_pairs import HealthPairs, isolated_pairs

TYPES = ("xledger", "dynamics", "bufdir")
STATUSES = ("healthy", "degraded", "unreachable")


@pytest.fixture()
def pairs(admin_conn: psycopg.Connection[Any]) -> Iterator[HealthPairs]:
    with isolated_pairs(admin_conn) as p:
        yield p


def _claim(conn: psycopg.Connection[Any], worker: str, n: int) -> list[tuple[uuid.UUID, str]]:
    rows = conn.execute(
        "SELECT org_id, integration_type FROM integration_ops.claim_health_checks(%s, %s)",
        (worker, n),
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def _wait_until_blocked(admin: psycopg.Connection[Any], pid: int) -> None:
    """Until backend `pid` waits on a lock (the race under test is really happening)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        row = admin.execute(
            "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", (pid,)
        ).fetchone()
        if row is not None and row[0] == "Lock":
            return
        time.sleep(0.02)
    raise AssertionError(f"backend {pid} never waited on a lock")


class Background:
    """Run one statement on its own connection in a thread; report its pid and outcome."""

    def __init__(self, dsn: str, work: Callable[[psycopg.Connection[Any]], object]) -> None:
        self.pid: int | None = None
        self.error: BaseException | None = None
        self.result: object = None
        self._ready = threading.Event()

        def run() -> None:
            try:
                with psycopg.connect(dsn, autocommit=True) as conn:
                    self.pid = conn.info.backend_pid
                    self._ready.set()
                    self.result = work(conn)
            except BaseException as exc:
                self.error = exc
                self._ready.set()

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()
        assert self._ready.wait(10)

    def join(self) -> object:
        self._thread.join(30)
        assert not self._thread.is_alive()
        if self.error is not None:
            raise self.error
        return self.result


def _schedule(admin: psycopg.Connection[Any], org: uuid.UUID, itype: str) -> tuple[Any, ...]:
    row = admin.execute(
        "SELECT status, next_check_at IS NOT NULL FROM public.integration_health_status"
        " WHERE org_id = %s AND integration_type = %s",
        (org, itype),
    ).fetchone()
    return tuple(row) if row is not None else ()


# Claims ------------------------------------------------------------------------------------


def test_a_concurrent_claimer_gets_the_next_due_pairs_not_an_empty_answer(
    pairs: HealthPairs, worker_dsn: str
) -> None:
    created = {(pairs.add("xledger", {"url": "http://127.0.0.1:9/"}), "xledger") for _ in range(30)}
    with (
        psycopg.connect(worker_dsn) as a,
        psycopg.connect(worker_dsn, autocommit=True) as b,
        psycopg.connect(worker_dsn, autocommit=True) as c,
    ):
        first = _claim(a, "a", 10)  # transaction left open: its 10 rows stay locked
        second = _claim(b, "b", 10)
        third = _claim(c, "c", 1000)
        a.commit()
        fourth = _claim(c, "c", 1000)
    assert len(first) == 10
    assert len(second) == 10, "a claimer must skip locked rows, not come back empty"
    assert len(third) == 10
    assert fourth == []
    claimed = first + second + third
    assert len(set(claimed)) == 30
    assert set(claimed) == created


def test_racing_claimers_take_every_due_pair_exactly_once(
    pairs: HealthPairs, worker_dsn: str
) -> None:
    created = {(pairs.add(t, {"url": "http://127.0.0.1:9/"}), t) for t in TYPES for _ in range(40)}
    barrier = threading.Barrier(4)
    got: list[tuple[uuid.UUID, str]] = []
    lock = threading.Lock()

    def claimer(name: str) -> None:
        with psycopg.connect(worker_dsn, autocommit=True) as conn:
            barrier.wait(10)
            while batch := _claim(conn, name, 7):
                with lock:
                    got.extend(batch)

    threads = [threading.Thread(target=claimer, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(got) == len(created) == 120
    assert set(got) == created


# The schedule invariant under races -------------------------------------------------------


def test_configuration_change_committed_while_a_record_waits(
    pairs: HealthPairs, admin_conn: psycopg.Connection[Any], worker_dsn: str, cluster: Any
) -> None:
    """A pair switched passive -> active while its result is being recorded: the record
    waits for the change, then reads the new configuration and keeps the pair scheduled.
    (Reading the configuration before the lock would unschedule a checkable pair: it
    would never be checked again.)"""
    org = pairs.add("dynamics", {}, health_mode="passive")
    admin_conn.execute(
        "SELECT integration_ops.record_health_check(%s, 'dynamics', 'healthy', NULL, NULL)", (org,)
    )
    assert _schedule(admin_conn, org, "dynamics") == ("healthy", False)
    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER)) as change:
        change.execute(
            "UPDATE public.organization_integrations SET health_mode = 'active'"
            " WHERE org_id = %s AND integration_type = 'dynamics'",
            (org,),
        )
        record = Background(
            worker_dsn,
            lambda c: c.execute(
                "SELECT integration_ops.record_health_check(%s, 'dynamics', 'degraded', 5, NULL)",
                (org,),
            ).fetchone(),
        )
        assert record.pid is not None
        _wait_until_blocked(admin_conn, record.pid)
        change.commit()
        record.join()
    assert _schedule(admin_conn, org, "dynamics") == ("degraded", True)

    # And the other way: active -> passive committed while a record waits.
    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER)) as change:
        change.execute(
            "UPDATE public.organization_integrations SET health_mode = 'passive'"
            " WHERE org_id = %s AND integration_type = 'dynamics'",
            (org,),
        )
        record = Background(
            worker_dsn,
            lambda c: c.execute(
                "SELECT integration_ops.record_health_check(%s, 'dynamics', 'healthy', 5, NULL)",
                (org,),
            ).fetchone(),
        )
        assert record.pid is not None
        _wait_until_blocked(admin_conn, record.pid)
        change.commit()
        record.join()
    assert _schedule(admin_conn, org, "dynamics") == ("healthy", False)


def test_configuration_change_waiting_for_a_record_or_a_claim(
    pairs: HealthPairs, admin_conn: psycopg.Connection[Any], worker_dsn: str, cluster: Any
) -> None:
    """A change that comes second re-applies its transition on top of the record's or the
    claim's write."""
    org = pairs.add("xledger", {"url": "http://127.0.0.1:9/"})
    superuser = cluster.dsn(user=localdb.SUPERUSER)

    def set_mode(mode: str) -> Callable[[psycopg.Connection[Any]], object]:
        return lambda c: c.execute(
            "UPDATE public.organization_integrations SET health_mode = %s"
            " WHERE org_id = %s AND integration_type = 'xledger'",
            (mode, org),
        )

    # A claim holds the never-checked pair; the pair is disabled meanwhile.
    with psycopg.connect(worker_dsn) as worker:
        assert _claim(worker, "w", 1000) == [(org, "xledger")]
        change = Background(superuser, set_mode("disabled"))
        assert change.pid is not None
        _wait_until_blocked(admin_conn, change.pid)
        worker.commit()
        change.join()
    assert _schedule(admin_conn, org, "xledger") == (), "the bookkeeping row goes with the pair"

    # A record holds the row; the pair becomes checkable meanwhile.
    admin_conn.execute(
        "SELECT integration_ops.record_health_check(%s, 'xledger', 'unreachable', NULL, NULL)",
        (org,),
    )
    with psycopg.connect(worker_dsn) as worker:
        worker.execute(
            "SELECT integration_ops.record_health_check(%s, 'xledger', 'healthy', 3, NULL)", (org,)
        )
        change = Background(superuser, set_mode("active"))
        assert change.pid is not None
        _wait_until_blocked(admin_conn, change.pid)
        worker.commit()
        change.join()
    assert _schedule(admin_conn, org, "xledger") == ("healthy", True)

    # A record holds the row; the pair stops being checkable meanwhile.
    with psycopg.connect(worker_dsn) as worker:
        worker.execute(
            "SELECT integration_ops.record_health_check(%s, 'xledger', 'degraded', 3, NULL)", (org,)
        )
        change = Background(superuser, set_mode("passive"))
        assert change.pid is not None
        _wait_until_blocked(admin_conn, change.pid)
        worker.commit()
        change.join()
    assert _schedule(admin_conn, org, "xledger") == ("degraded", False)


# Counters ------------------------------------------------------------------------------------


COUNTED = """
SELECT t.integration_type, coalesce(sum(c.healthy), 0)::bigint,
       coalesce(sum(c.degraded), 0)::bigint, coalesce(sum(c.unreachable), 0)::bigint
  FROM public.integration_types t
  LEFT JOIN integration_ops.health_status_counts c ON c.integration_type = t.integration_type
 GROUP BY 1 ORDER BY 1
"""
RECOUNTED = """
SELECT t.integration_type, count(*) FILTER (WHERE hs.status = 'healthy'),
       count(*) FILTER (WHERE hs.status = 'degraded'),
       count(*) FILTER (WHERE hs.status = 'unreachable')
  FROM public.integration_types t
  LEFT JOIN public.integration_health_status hs ON hs.integration_type = t.integration_type
 GROUP BY 1 ORDER BY 1
"""
SUMMARY = """
SELECT integration_type, healthy, degraded, unreachable FROM public.get_global_health_summary()
 ORDER BY 1
"""


def test_counters_equal_a_full_count_after_random_concurrent_writes(
    admin_conn: psycopg.Connection[Any], worker_dsn: str, cluster: Any
) -> None:
    orgs = [uuid.uuid4() for _ in range(15)]
    targets = [(o, t) for o in orgs for t in TYPES]
    superuser = cluster.dsn(user=localdb.SUPERUSER)
    slots_before = admin_conn.execute(
        "SELECT integration_type, slot, healthy, degraded, unreachable"
        " FROM integration_ops.health_status_counts"
    ).fetchall()
    errors: list[BaseException] = []
    done = [0]
    lock = threading.Lock()
    barrier = threading.Barrier(6)

    def writer(seed: int) -> None:
        rng = random.Random(seed)
        try:
            with (
                psycopg.connect(worker_dsn, autocommit=True) as worker,
                psycopg.connect(superuser) as service,
            ):
                barrier.wait(10)
                for _ in range(120):
                    org, itype = rng.choice(targets)
                    op = rng.random()
                    if op < 0.45:  # the worker's path, autocommit
                        worker.execute(
                            "SELECT integration_ops.record_health_check(%s, %s, %s, 1, NULL)",
                            (org, itype, rng.choice(STATUSES)),
                        )
                        continue
                    # A service transaction of 1-4 writes over random types, one org
                    # at a time in org order (so the status rows themselves cannot
                    # deadlock; the counter slots must not add a way to); one in five
                    # is rolled back.
                    for org in sorted(rng.sample(orgs, rng.randint(1, 4))):
                        itype = rng.choice(TYPES)
                        other = rng.choice(TYPES)
                        status = rng.choice(STATUSES)
                        kind = rng.random()
                        if kind < 0.4:
                            service.execute(
                                "SELECT integration_ops.record_health_check(%s, %s, %s, 1, NULL)",
                                (org, itype, status),
                            )
                        elif kind < 0.6:
                            service.execute(
                                "UPDATE public.integration_health_status SET status = %s"
                                " WHERE org_id = %s AND integration_type = %s"
                                " AND status IS NOT NULL",
                                (status, org, itype),
                            )
                        elif kind < 0.75:
                            service.execute(
                                "DELETE FROM public.integration_health_status"
                                " WHERE org_id = %s AND integration_type = %s",
                                (org, itype),
                            )
                        elif kind < 0.9:
                            service.execute(
                                "INSERT INTO public.integration_health_status"
                                " (org_id, integration_type, status, checked_at)"
                                " VALUES (%s, %s, %s, now()) ON CONFLICT DO NOTHING",
                                (org, itype, status),
                            )
                        else:  # move a row to another type (a DBA's fix-up)
                            try:
                                with service.transaction():  # a savepoint
                                    service.execute(
                                        "UPDATE public.integration_health_status"
                                        " SET integration_type = %s"
                                        " WHERE org_id = %s AND integration_type = %s",
                                        (other, org, itype),
                                    )
                            except psycopg.errors.UniqueViolation:
                                pass  # the other type's row exists: nothing moved
                    if rng.random() < 0.2:
                        service.rollback()
                    else:
                        service.commit()
                    with lock:
                        done[0] += 1
        except BaseException as exc:
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=writer, args=(seed,)) for seed in range(6)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert not errors, errors  # no deadlock, no failed write
        assert done[0] > 100
        counted = admin_conn.execute(COUNTED).fetchall()
        assert counted == admin_conn.execute(RECOUNTED).fetchall()
        with admin_conn.transaction():
            admin_conn.execute("SET LOCAL ROLE service_role")
            admin_conn.execute(
                "SELECT set_config('request.jwt.claims', '{\"role\":\"service_role\"}', true)"
            )
            assert admin_conn.execute(SUMMARY).fetchall() == counted
        # The writers spread over several slots of a type (row locks did not serialise them).
        slots_after = admin_conn.execute(
            "SELECT integration_type, slot, healthy, degraded, unreachable"
            " FROM integration_ops.health_status_counts"
        ).fetchall()
        moved = {(r[0], r[1]) for r in set(slots_after) - set(slots_before)}
        assert len({slot for _, slot in moved}) > 1
    finally:
        admin_conn.execute(
            "DELETE FROM public.integration_health_status WHERE org_id = ANY(%s)", (orgs,)
        )
        admin_conn.execute(
            "DELETE FROM public.integration_health_history WHERE org_id = ANY(%s)", (orgs,)
        )
    assert admin_conn.execute(COUNTED).fetchall() == admin_conn.execute(RECOUNTED).fetchall()
