"""A stateful property test of the sync engine against the harness's real Postgres (issues 13, 22).

hypothesis drives random sequences of every operation that touches runs — dispatch, manual
trigger, insert_run_log, claim, heartbeat, complete, fail with a transient or a final code
(with or without Retry-After, also by the wrong worker), retry_sync_run, reap, archive,
enable/disable/delete/re-add a pair, switch delivery (worker <-> pg_net, with the stand-in
`net` schema), pg_net answers and the pg_net send — while the engine's clock is moved
forward. A second session interleaves with the first: `race` holds one operation's
transaction open while another one runs, then commits (a manual trigger racing a disable is
such a pair). Each example draws a cap for the type (integration_types.max_concurrent_runs)
and a catch-up bound (settings.max_catch_up_periods). After every step the engine's promises
are checked:

* at most one active (pending/running) run per pair;
* every elapsed period of an enabled scheduled pair (since it was last enabled or added)
  has exactly one first attempt (a chain, or a `skipped` row), or the pair is still due for it;
* no pending run of a pair that is missing or not enabled, and no run started on a pair after
  it was disabled;
* every attempt of a chain carries the chain's idempotency key; no automatic attempt beyond
  settings.retry_max_attempts; no attempt started before its not_before;
* runs of the capped type in flight never exceed the cap;
* runs only move along the contract's transitions; (idempotency key, attempt) is unique
  across the run log and its archive; audit rows never change.

Steps commit, so two sessions can interleave. Each example's pairs belong to fresh orgs and
are deleted afterwards (audit rows are append-only and stay, as in production); the engine's
clock (`integration_ops.clock()`) is replaced for the duration of the test by one that reads a
session setting, and put back from its deploy script at the end, with the settings and the
type's cap. `make test` runs a bounded number of examples; `make test-deep` (or
ENGINE_PROPERTY_EXAMPLES=N) runs more.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from psycopg.types.json import Jsonb

from orchestrator.tooling import localdb
from orchestrator.tooling.sqitch import PROJECT_ROOT

EXAMPLES = int(os.environ.get("ENGINE_PROPERTY_EXAMPLES", "20"))
STEPS = int(os.environ.get("ENGINE_PROPERTY_STEPS", "40"))
START = datetime.fromisoformat("2030-01-01T00:07:00+00:00")
INTERVAL = timedelta(hours=1)
N_PAIRS = 3
TYPE = "xledger"
WORKERS = ("w1", "w2")
MAX_ATTEMPTS = 3

ALLOWED = {
    ("pending", "running"),
    ("pending", "cancelled"),
    ("pending", "failed"),
    ("running", "completed"),
    ("running", "failed"),
    ("running", "cancelled"),
}
TERMINAL = {"completed", "failed", "cancelled", "skipped"}
TRANSIENT = ("http_503", "http_429", "timeout", "connection_error")
FINAL = ("http_401", "invalid_response", "http_404")

CLOCK_OVERRIDE = """
CREATE OR REPLACE FUNCTION integration_ops.clock()
RETURNS timestamptz LANGUAGE sql STABLE
AS $$ SELECT current_setting('tests.engine_clock')::timestamptz $$
"""
SETTINGS = (
    "dispatch_batch_size",
    "run_log_retention",
    "manual_rate_limit",
    "stale_run_timeout",
    "retry_max_attempts",
    "max_catch_up_periods",
)

_cluster: localdb.LocalCluster | None = None


def _reachable(old: str, new: str) -> bool:
    """new is reachable from old along allowed transitions (several may happen in a step)."""
    frontier = {old}
    for _ in range(3):
        frontier |= {b for a, b in ALLOWED if a in frontier}
    return new in frontier


class EngineMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        assert _cluster is not None
        self.conn = self._connect()
        self.other = self._connect()
        self.now = START
        self.orgs = [uuid.uuid4() for _ in range(N_PAIRS)]
        self.members = {org: f"prop_{org.hex[:12]}" for org in self.orgs}
        self.present = dict.fromkeys(self.orgs, True)
        self.enabled = dict.fromkeys(self.orgs, True)
        self.episode_start: dict[uuid.UUID, datetime] = {}
        self.active_at_disable: dict[uuid.UUID, set[uuid.UUID]] = {}
        self.statuses: dict[uuid.UUID, str] = {}
        self.audit: set[tuple[Any, ...]] = set()
        self.pg_net = False
        self.cap: int | None = None

    # -- plumbing ---------------------------------------------------------------------------
    @staticmethod
    def _connect() -> psycopg.Connection[Any]:
        assert _cluster is not None
        conn = psycopg.connect(_cluster.dsn(user=localdb.SUPERUSER), autocommit=True)
        conn.execute("SET search_path = public, extensions")
        return conn

    def _set_clock(self) -> None:
        for conn in (self.conn, self.other):
            conn.execute(
                "SELECT set_config('tests.engine_clock', %s, false)", (self.now.isoformat(),)
            )

    def _try(
        self, sql: str, params: Any = None, *, as_: str | None = None, conn: Any = None
    ) -> Any:
        """Run one call in its own transaction; return its first row, or the error's MESSAGE."""
        conn = conn or self.conn
        try:
            with conn.transaction():
                if as_ is not None:
                    conn.execute(as_)
                cursor = conn.execute(sql, params)
                row = cursor.fetchone() if cursor.description else ()
                conn.execute("SELECT tests.clear_authentication()")
                return row
        except psycopg.Error as exc:
            diag = exc.diag
            return ("error", diag.message_primary, diag.sqlstate)

    def _expect(self, result: Any, *allowed_errors: str) -> None:
        if isinstance(result, tuple) and result and result[0] == "error":
            assert result[1] in allowed_errors, f"unexpected error {result}"

    def _episode(self, org: uuid.UUID) -> None:
        row = self.conn.execute(
            "SELECT next_sync_at FROM public.organization_integrations"
            " WHERE org_id = %s AND integration_type = %s",
            (org, TYPE),
        ).fetchone()
        assert row is not None
        self.episode_start[org] = row[0]
        self.active_at_disable.pop(org, None)

    def _add_pair(self, org: uuid.UUID) -> None:
        self.conn.execute(
            """INSERT INTO public.organization_integrations
                 (org_id, integration_type, sync_interval, endpoint_url, health_mode)
               VALUES (%s, %s, '1 hour', 'http://127.0.0.1:9/sync', 'passive')""",
            (org, TYPE),
        )
        self._episode(org)

    def _disabled(self, org: uuid.UUID) -> None:
        """Remember the runs that were active when the pair stopped being enabled: only they
        may still be running on it."""
        self.active_at_disable[org] = {
            r[0]
            for r in self._runs(
                "org_id = %(org)s AND status IN ('pending', 'running')", {"org": org}
            )
        }

    def _runs(self, where: str = "true", params: Any = None) -> list[tuple[Any, ...]]:
        return self.conn.execute(
            f"SELECT id, org_id, status, worker_id, net_request_id FROM public.sync_run_log"
            f" WHERE org_id = ANY(%(orgs)s) AND {where} ORDER BY created_at, id",
            {"orgs": self.orgs, **(params or {})},
        ).fetchall()

    # -- set-up -----------------------------------------------------------------------------
    @initialize(
        cap=st.sampled_from([None, 1, 2]),
        catch_up=st.sampled_from([None, 2]),
    )
    def setup(self, cap: int | None, catch_up: int | None) -> None:
        self.cap = cap
        self._set_clock()
        self.conn.execute(
            """UPDATE integration_ops.settings
                  SET dispatch_batch_size = 2, run_log_retention = '3 hours',
                      manual_rate_limit = '5 minutes', stale_run_timeout = '30 minutes',
                      retry_max_attempts = %s, max_catch_up_periods = %s""",
            (MAX_ATTEMPTS, catch_up),
        )
        self.conn.execute(
            "UPDATE public.integration_types SET max_concurrent_runs = %s"
            " WHERE integration_type = %s",
            (cap, TYPE),
        )
        self.pg_net = self.conn.execute(
            "SELECT to_regprocedure('net.http_post(text,jsonb,jsonb,jsonb,integer)') IS NOT NULL"
        ).fetchone() == (True,)
        for org in self.orgs:
            self.conn.execute("SELECT tests.add_member(%s, %s, 'admin')", (org, self.members[org]))
            self._add_pair(org)

    def teardown(self) -> None:
        for table in (
            "public.sync_run_log",
            "integration_ops.sync_run_log_archive",
            "public.integration_health_history",
            "public.integration_health_status",
            "integration_ops.alerts",
            "public.organization_integrations",
            "integration_ops.org_members",
        ):
            self.conn.execute(f"DELETE FROM {table} WHERE org_id = ANY(%s)", (self.orgs,))
        self.conn.close()
        self.other.close()

    # -- rules ------------------------------------------------------------------------------
    @rule(minutes=st.integers(min_value=1, max_value=150))
    def advance_clock(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)
        self._set_clock()

    @rule()
    def dispatch(self) -> None:
        self._expect(self._try("SELECT integration_ops.dispatch_due_syncs()"))

    @rule(minutes=st.integers(min_value=1, max_value=90))
    def tick(self, minutes: int) -> None:
        """Time passes with pg_cron running: the clock moves, then a dispatch call."""
        self.advance_clock(minutes)
        self.dispatch()

    def _trigger_sql(self, i: int) -> tuple[str, tuple[Any, ...], str]:
        org = self.orgs[i]
        return (
            "SELECT public.trigger_integration_sync(%s, %s)",
            (org, TYPE),
            f"SELECT tests.authenticate_as('{self.members[org]}', '{org}')",
        )

    @rule(i=st.integers(0, N_PAIRS - 1))
    def manual_trigger(self, i: int) -> None:
        sql, params, as_ = self._trigger_sql(i)
        result = self._try(sql, params, as_=as_)
        self._expect(
            result, "sync_already_in_progress", "rate_limited", "integration_not_configured"
        )

    @rule(i=st.integers(0, N_PAIRS - 1))
    def insert_run_log(self, i: int) -> None:
        result = self._try(
            "SELECT public.insert_run_log(%s, %s, 'manual')",
            (self.orgs[i], TYPE),
            as_="SELECT tests.authenticate_as_service_role()",
        )
        self._expect(result, "sync_already_in_progress", "integration_not_configured")

    @rule(worker=st.sampled_from(WORKERS), n=st.integers(1, 3))
    def claim(self, worker: str, n: int) -> None:
        self._expect(
            self._try("SELECT count(*) FROM integration_ops.claim_sync_runs(%s, %s)", (worker, n))
        )

    @rule(worker=st.sampled_from(WORKERS))
    def heartbeat(self, worker: str) -> None:
        ids = [r[0] for r in self._runs("status = 'running'")]
        self._expect(self._try("SELECT integration_ops.heartbeat_sync_runs(%s, %s)", (worker, ids)))

    # A run is picked by a drawn number, never by drawing from the database's rows: what is
    # drawn must not depend on the database's state, or hypothesis's replays (shrinking)
    # draw differently from the first run (FlakyStrategyDefinition).
    @rule(
        pick=st.integers(min_value=0, max_value=10_000),
        outcome=st.sampled_from(["complete", "transient", "final"]),
        code=st.integers(min_value=0, max_value=10),
        retry_after=st.sampled_from([None, "0", "90", "Sun, 06 Nov 1994 08:49:37 GMT"]),
        wrong=st.booleans(),
        repeat=st.booleans(),
    )
    def report(
        self,
        pick: int,
        outcome: str,
        code: int,
        retry_after: str | None,
        wrong: bool,
        repeat: bool,
    ) -> None:
        running = self._runs("status = 'running' AND worker_id IN ('w1', 'w2')")
        if not running:
            return
        run_id, _, _, worker, _ = running[pick % len(running)]
        by = next(w for w in WORKERS if w != worker) if wrong else worker
        if outcome == "complete":
            sql = "SELECT status FROM integration_ops.complete_sync_run(%s, 2, 0, worker_id => %s)"
            params: tuple[Any, ...] = (run_id, by)
        else:
            codes = TRANSIENT if outcome == "transient" else FINAL
            sql = (
                "SELECT status FROM integration_ops.fail_sync_run(%s, %s, 'down',"
                " worker_id => %s, retry_after => %s)"
            )
            params = (run_id, codes[code % len(codes)], by, retry_after)
        for _ in range(2 if repeat else 1):
            result = self._try(sql, params)
            if wrong:
                assert result[:2] == ("error", "invalid_transition"), result
            else:
                assert result == ("completed" if outcome == "complete" else "failed",), result

    @rule(pick=st.integers(min_value=0, max_value=10_000), as_member=st.booleans())
    def retry_sync_run(self, pick: int, as_member: bool) -> None:
        ended = self._runs("status IN ('failed', 'skipped')")
        if not ended:
            return
        run_id, org, *_ = ended[pick % len(ended)]
        as_ = (
            f"SELECT tests.authenticate_as('{self.members[org]}', '{org}')"
            if as_member
            else "SELECT tests.authenticate_as_service_role()"
        )
        self._expect(
            self._try("SELECT public.retry_sync_run(%s)", (run_id,), as_=as_),
            "invalid_transition",
            "sync_already_in_progress",
            "rate_limited",
            "integration_not_configured",
        )

    @rule()
    def reap(self) -> None:
        self._expect(self._try("SELECT integration_ops.reap_stale_sync_runs()"))

    @rule()
    def archive(self) -> None:
        self._expect(self._try("SELECT integration_ops.archive_sync_run_log()"))

    def _toggle_sql(self, org: uuid.UUID) -> tuple[str, tuple[Any, ...]]:
        return (
            "UPDATE public.organization_integrations SET enabled = %s"
            " WHERE org_id = %s AND integration_type = %s",
            (not self.enabled[org], org, TYPE),
        )

    def _toggled(self, org: uuid.UUID) -> None:
        self.enabled[org] = not self.enabled[org]
        if self.enabled[org]:
            self._episode(org)
        else:
            self._disabled(org)

    @rule(i=st.integers(0, N_PAIRS - 1))
    def toggle_enabled(self, i: int) -> None:
        org = self.orgs[i]
        if not self.present[org]:
            return
        self.conn.execute(*self._toggle_sql(org))
        self._toggled(org)

    @rule(i=st.integers(0, N_PAIRS - 1))
    def delete_or_readd(self, i: int) -> None:
        org = self.orgs[i]
        if self.present[org]:
            self.conn.execute(
                "DELETE FROM public.organization_integrations"
                " WHERE org_id = %s AND integration_type = %s",
                (org, TYPE),
            )
            self.present[org] = False
            self._disabled(org)
        else:
            self._add_pair(org)
            self.present[org] = True
            self.enabled[org] = True

    @precondition(lambda self: self.pg_net)
    @rule(i=st.integers(0, N_PAIRS - 1))
    def switch_delivery(self, i: int) -> None:
        org = self.orgs[i]
        self.conn.execute(
            """UPDATE public.organization_integrations
                  SET delivery = CASE delivery WHEN 'worker' THEN 'pg_net' ELSE 'worker' END
                WHERE org_id = %s AND integration_type = %s""",
            (org, TYPE),
        )

    @precondition(lambda self: self.pg_net)
    @rule(
        pick=st.integers(min_value=0, max_value=10_000),
        status=st.sampled_from([200, 500, 503]),
        retry_after=st.sampled_from([None, "60"]),
    )
    def pg_net_answers(self, pick: int, status: int, retry_after: str | None) -> None:
        running = self._runs("status = 'running' AND worker_id = 'pg_net'")
        if running:
            request_id = running[pick % len(running)][4]
            self.conn.execute(  # pg_net's `created` in the engine's time, as in production
                "INSERT INTO net._http_response (id, status_code, content, headers, created)"
                " VALUES (%s, %s, %s, %s, %s)",
                (
                    request_id,
                    status,
                    '{"records_processed": 1.0}',
                    Jsonb({"Retry-After": retry_after} if retry_after else {}),
                    self.now,
                ),
            )
        self._expect(self._try("SELECT integration_ops.reconcile_pg_net_responses()"))

    @precondition(lambda self: self.pg_net)
    @rule()
    def pg_net_send(self) -> None:
        """The pg_cron job's send of due pending pg_net runs (retries, capped runs)."""
        self._expect(self._try("SELECT * FROM integration_ops.send_pg_net_runs(NULL)"))

    @rule(
        i=st.integers(0, N_PAIRS - 1),
        hold=st.sampled_from(["disable", "delete", "trigger"]),
        then=st.sampled_from(["trigger", "insert_run_log", "retry", "claim", "dispatch"]),
    )
    def race(self, i: int, hold: str, then: str) -> None:
        """The second session holds `hold` uncommitted while the first runs `then`; the first
        either waits for the pair lock or goes on, then the hold commits."""
        org = self.orgs[i]
        if hold in ("disable", "delete") and not (self.present[org] and self.enabled[org]):
            return
        results: list[Any] = []

        def first() -> None:
            if then == "trigger":
                sql, params, as_ = self._trigger_sql(i)
                results.append(self._try(sql, params, as_=as_))
            elif then == "insert_run_log":
                results.append(
                    self._try(
                        "SELECT public.insert_run_log(%s, %s, 'manual')",
                        (org, TYPE),
                        as_="SELECT tests.authenticate_as_service_role()",
                    )
                )
            elif then == "retry":
                ended = self._runs("org_id = %(org)s AND status = 'failed'", {"org": org})
                if ended:
                    results.append(
                        self._try(
                            "SELECT public.retry_sync_run(%s)",
                            (ended[-1][0],),
                            as_="SELECT tests.authenticate_as_service_role()",
                        )
                    )
            elif then == "claim":
                results.append(
                    self._try("SELECT count(*) FROM integration_ops.claim_sync_runs('w1', 3)")
                )
            else:
                results.append(self._try("SELECT integration_ops.dispatch_due_syncs()"))

        pid = self.conn.info.backend_pid
        with self.other.transaction():
            if hold == "disable":
                self.other.execute(*self._toggle_sql(org))
            elif hold == "delete":
                self.other.execute(
                    "DELETE FROM public.organization_integrations"
                    " WHERE org_id = %s AND integration_type = %s",
                    (org, TYPE),
                )
            else:
                sql, params, as_ = self._trigger_sql(i)
                try:
                    with self.other.transaction():
                        self.other.execute(as_)
                        self.other.execute(sql, params)
                except psycopg.Error:
                    pass
                self.other.execute("SELECT tests.clear_authentication()")
            thread = threading.Thread(target=first)
            thread.start()
            _wait_blocked_or_done(self.other, pid, thread)
        thread.join(60)
        assert not thread.is_alive(), "the first session hangs after the second committed"
        if hold == "disable":
            self._toggled(org)
        elif hold == "delete":
            self.present[org] = False
            self._disabled(org)
        for result in results:
            self._expect(
                result,
                "sync_already_in_progress",
                "rate_limited",
                "integration_not_configured",
                "invalid_transition",
            )

    # -- invariants -------------------------------------------------------------------------
    @invariant()
    def one_active_run_per_pair(self) -> None:
        row = self.conn.execute(
            """SELECT count(*) FROM (
                 SELECT org_id FROM public.sync_run_log
                  WHERE org_id = ANY(%s) AND status IN ('pending', 'running')
                  GROUP BY org_id, integration_type HAVING count(*) > 1) AS x""",
            (self.orgs,),
        ).fetchone()
        assert row == (0,)

    @invariant()
    def every_elapsed_period_has_a_chain_a_skipped_row_or_is_still_due(self) -> None:
        for org in self.orgs:
            if not (self.present[org] and self.enabled[org]) or org not in self.episode_start:
                continue
            due_row = self.conn.execute(
                "SELECT next_sync_at FROM public.organization_integrations"
                " WHERE org_id = %s AND integration_type = %s",
                (org, TYPE),
            ).fetchone()
            assert due_row is not None
            next_due = due_row[0]
            counts = dict(
                self.conn.execute(
                    """SELECT scheduled_for, count(*) FROM (
                         SELECT scheduled_for FROM public.sync_run_log
                          WHERE org_id = %(o)s AND triggered_by = 'scheduler' AND attempt = 1
                         UNION ALL
                         SELECT scheduled_for FROM integration_ops.sync_run_log_archive
                          WHERE org_id = %(o)s AND triggered_by = 'scheduler' AND attempt = 1
                       ) AS r
                       GROUP BY scheduled_for""",
                    {"o": org},
                ).fetchall()
            )
            period = self.episode_start[org]
            while period <= self.now:
                n = counts.get(period, 0)
                assert n <= 1, f"{n} first attempts for {org} {period}"
                assert n == 1 or next_due <= period, (
                    f"period {period} of {org} has no chain, no skipped row, and the pair is"
                    f" not due for it (next_sync_at {next_due})"
                )
                period += INTERVAL

    @invariant()
    def nothing_starts_on_a_pair_that_is_not_enabled(self) -> None:
        rows = self.conn.execute(
            """SELECT r.id, r.org_id, r.status, oi.enabled FROM public.sync_run_log AS r
                 LEFT JOIN public.organization_integrations AS oi
                   ON oi.org_id = r.org_id AND oi.integration_type = r.integration_type
                WHERE r.org_id = ANY(%s) AND r.status IN ('pending', 'running')""",
            (self.orgs,),
        ).fetchall()
        for run_id, org, status, enabled in rows:
            if status == "pending":
                assert enabled is True, f"pending run {run_id} of a missing or disabled pair"
            elif enabled is not True:
                assert run_id in self.active_at_disable.get(org, set()), (
                    f"run {run_id} started on {org} after the pair stopped being enabled"
                )

    @invariant()
    def chains_share_their_key_and_respect_attempts_and_backoff(self) -> None:
        bad_keys = self.conn.execute(
            """WITH r AS (
                 SELECT id, idempotency_key, retry_of FROM public.sync_run_log
                  WHERE org_id = ANY(%(o)s)
                 UNION ALL
                 SELECT id, idempotency_key, retry_of FROM integration_ops.sync_run_log_archive
                  WHERE org_id = ANY(%(o)s))
               SELECT c.id FROM r AS c JOIN r AS p ON p.id = c.retry_of
                WHERE c.idempotency_key IS DISTINCT FROM coalesce(p.idempotency_key, p.id::text)""",
            {"o": self.orgs},
        ).fetchall()
        assert bad_keys == [], f"attempts with another key than their chain: {bad_keys}"
        beyond = self.conn.execute(
            """SELECT r.id FROM public.sync_run_log AS r
                WHERE r.org_id = ANY(%s) AND r.attempt > %s
                  AND NOT EXISTS (SELECT FROM integration_ops.sync_trigger_audit AS a
                                   WHERE a.run_id = r.id AND a.action = 'retry')""",
            (self.orgs, MAX_ATTEMPTS),
        ).fetchall()
        assert beyond == [], f"automatic attempts beyond retry_max_attempts: {beyond}"
        early = self.conn.execute(
            """SELECT id FROM public.sync_run_log
                WHERE org_id = ANY(%s) AND not_before IS NOT NULL AND worker_id IS NOT NULL
                  AND status <> 'pending' AND started_at < not_before""",
            (self.orgs,),
        ).fetchall()
        assert early == [], f"attempts started before their not_before: {early}"

    @invariant()
    def a_capped_type_never_exceeds_its_cap(self) -> None:
        if self.cap is None:
            return
        row = self.conn.execute(
            "SELECT count(*) FROM public.sync_run_log WHERE org_id = ANY(%s)"
            " AND integration_type = %s AND status = 'running' AND worker_id IS NOT NULL",
            (self.orgs, TYPE),
        ).fetchone()
        assert row is not None and row[0] <= self.cap, f"{row} running, cap {self.cap}"

    @invariant()
    def only_contract_transitions(self) -> None:
        live = {r[0]: r[2] for r in self._runs()}
        archived = dict(
            self.conn.execute(
                "SELECT id, status FROM integration_ops.sync_run_log_archive"
                " WHERE org_id = ANY(%s)",
                (self.orgs,),
            ).fetchall()
        )
        for run_id, old in self.statuses.items():
            new = live.get(run_id, archived.get(run_id))
            assert new is not None, f"run {run_id} vanished"
            if old in TERMINAL:
                assert new == old, f"finished run {run_id} changed {old} -> {new}"
            elif new != old:
                assert _reachable(old, new), f"run {run_id}: {old} -> {new}"
        self.statuses = {**archived, **live}

    @invariant()
    def keys_unique_per_attempt_and_audit_unchanged(self) -> None:
        dupes = self.conn.execute(
            """SELECT count(*) FROM (
                 SELECT idempotency_key, attempt FROM (
                   SELECT idempotency_key, attempt FROM public.sync_run_log
                    WHERE org_id = ANY(%(o)s)
                   UNION ALL
                   SELECT idempotency_key, attempt FROM integration_ops.sync_run_log_archive
                    WHERE org_id = ANY(%(o)s)
                 ) AS k WHERE idempotency_key IS NOT NULL
                 GROUP BY idempotency_key, attempt HAVING count(*) > 1) AS d""",
            {"o": self.orgs},
        ).fetchone()
        assert dupes == (0,)
        audit = set(
            self.conn.execute(
                "SELECT id, run_id, user_id, org_id, integration_type, created_at"
                " FROM integration_ops.sync_trigger_audit WHERE org_id = ANY(%s)",
                (self.orgs,),
            ).fetchall()
        )
        assert self.audit <= audit, "an audit row changed or disappeared"
        self.audit = audit


def _wait_blocked_or_done(observer: Any, pid: int, thread: threading.Thread) -> None:
    """Until the first session waits for a lock or has finished (bounds a hang, asserts no
    time)."""
    deadline = time.monotonic() + 30
    while thread.is_alive() and time.monotonic() < deadline:
        row = observer.execute(
            "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = %s", (pid,)
        ).fetchone()
        if row and row[0]:
            return
        time.sleep(0.01)


EngineMachine.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)


@pytest.fixture()
def machine_database(
    cluster: localdb.LocalCluster, admin_conn: psycopg.Connection[Any], cron_paused: None
) -> Iterator[localdb.LocalCluster]:
    """The test clock, pg_net's and Vault's stand-ins (committed, so both sessions see them;
    dropped afterwards when the real extensions are absent) and a signing secret, for the
    duration of the test; the real clock (from its deploy script), the settings and the
    type's cap are put back afterwards."""
    global _cluster
    _cluster = cluster
    saved = admin_conn.execute(
        f"SELECT {', '.join(SETTINGS)} FROM integration_ops.settings"
    ).fetchone()
    cap = admin_conn.execute(
        "SELECT max_concurrent_runs FROM public.integration_types WHERE integration_type = %s",
        (TYPE,),
    ).fetchone()
    assert saved is not None and cap is not None
    admin_conn.execute(CLOCK_OVERRIDE)
    net = admin_conn.execute("SELECT tests.install_pg_net_standin()").fetchone() == (True,)
    vault = admin_conn.execute("SELECT tests.install_vault_standin()").fetchone() == (True,)
    admin_conn.execute(
        "SELECT vault.create_secret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',"
        " s.webhook_secret_name) FROM integration_ops.settings AS s"
    )
    try:
        yield cluster
    finally:
        script = (PROJECT_ROOT / "deploy" / "function_clock.sql").read_text()
        admin_conn.execute(script.encode())
        if net:
            admin_conn.execute("DROP SCHEMA net CASCADE")
        if vault:
            admin_conn.execute("DROP SCHEMA vault CASCADE")
        admin_conn.execute(
            f"UPDATE integration_ops.settings SET {', '.join(f'{s} = %s' for s in SETTINGS)}",
            tuple(saved),
        )
        admin_conn.execute(
            "UPDATE public.integration_types SET max_concurrent_runs = %s"
            " WHERE integration_type = %s",
            (cap[0], TYPE),
        )


def test_engine_state_machine(machine_database: localdb.LocalCluster) -> None:
    EngineMachine.TestCase().runTest()
