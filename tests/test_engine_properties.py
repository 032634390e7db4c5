"""A stateful property test of the sync engine against the harness's real Postgres (issue 13).

hypothesis drives random sequences of every operation that touches runs — dispatch, manual
trigger, insert_run_log, claim, heartbeat, complete, fail (also by the wrong worker), reap,
archive, enable/disable/delete/re-add a pair, switch delivery (worker <-> pg_net, with the
stand-in `net` schema) and pg_net answers — while the engine's clock is moved forward. After
every step the engine's promises are checked:

* at most one active (pending/running) run per pair;
* every elapsed period of an enabled scheduled pair (since it was last enabled or added)
  has exactly one scheduler run, or the pair is still due for that period;
* no pending run of a pair that cannot deliver it (missing, disabled, or pg_net delivery);
* runs only move along the contract's transitions; idempotency keys are unique across the
  run log and its archive; audit rows never change.

Each example runs in one transaction that is rolled back; the engine's clock
(`integration_ops.clock()`) is replaced inside it by one that reads a transaction-local
setting, so no real database ever sees the override. `make test` runs a bounded number of
examples; `make test-deep` (or ENGINE_PROPERTY_EXAMPLES=N) runs more.
"""

from __future__ import annotations

import os
import uuid
from datetime import datetime, timedelta
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from orchestrator import localdb

EXAMPLES = int(os.environ.get("ENGINE_PROPERTY_EXAMPLES", "20"))
STEPS = int(os.environ.get("ENGINE_PROPERTY_STEPS", "40"))
START = datetime.fromisoformat("2030-01-01T00:07:00+00:00")
INTERVAL = timedelta(hours=1)
ANCHOR = datetime.fromisoformat("2000-01-01T00:00:00+00:00")
N_PAIRS = 3
TYPE = "xledger"
WORKERS = ("w1", "w2")

ALLOWED = {
    ("pending", "running"),
    ("pending", "cancelled"),
    ("pending", "failed"),
    ("running", "completed"),
    ("running", "failed"),
    ("running", "cancelled"),
}
TERMINAL = {"completed", "failed", "cancelled"}

CLOCK_OVERRIDE = """
CREATE OR REPLACE FUNCTION integration_ops.clock()
RETURNS timestamptz LANGUAGE sql STABLE
AS $$ SELECT current_setting('tests.engine_clock')::timestamptz $$
"""

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
        self.conn = psycopg.connect(_cluster.dsn(user=localdb.SUPERUSER))
        self.conn.execute("SET search_path = public, extensions")
        self.now = START
        self.orgs = [uuid.uuid4() for _ in range(N_PAIRS)]
        self.members = {org: f"prop_{org.hex[:12]}" for org in self.orgs}
        self.present = dict.fromkeys(self.orgs, True)
        self.enabled = dict.fromkeys(self.orgs, True)
        self.episode_start: dict[uuid.UUID, datetime] = {}
        self.statuses: dict[uuid.UUID, str] = {}
        self.audit: set[tuple[Any, ...]] = set()
        self.pg_net = False

    # -- plumbing ---------------------------------------------------------------------------
    def _set_clock(self) -> None:
        self.conn.execute(
            "SELECT set_config('tests.engine_clock', %s, true)", (self.now.isoformat(),)
        )

    def _try(self, sql: str, params: Any = None, *, as_: str | None = None) -> Any:
        """Run one call in a savepoint; return its first row, or the error's MESSAGE."""
        try:
            with self.conn.transaction():
                if as_ is not None:
                    self.conn.execute(as_)
                row = self.conn.execute(sql, params).fetchone()
                self.conn.execute("SELECT tests.clear_authentication()")
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

    def _add_pair(self, org: uuid.UUID) -> None:
        self.conn.execute(
            """INSERT INTO public.organization_integrations
                 (org_id, integration_type, sync_interval, endpoint_url, health_mode)
               VALUES (%s, %s, '1 hour', 'http://127.0.0.1:9/sync', 'passive')""",
            (org, TYPE),
        )
        self._episode(org)

    def _runs(self, where: str = "true", params: Any = None) -> list[tuple[Any, ...]]:
        return self.conn.execute(
            f"SELECT id, org_id, status, worker_id, net_request_id FROM public.sync_run_log"
            f" WHERE org_id = ANY(%(orgs)s) AND {where} ORDER BY created_at, id",
            {"orgs": self.orgs, **(params or {})},
        ).fetchall()

    # -- set-up -----------------------------------------------------------------------------
    @initialize()
    def setup(self) -> None:
        self.conn.execute(CLOCK_OVERRIDE)
        self._set_clock()
        self.conn.execute(
            """UPDATE integration_ops.settings
                  SET dispatch_batch_size = 2, run_log_retention = '3 hours',
                      manual_rate_limit = '5 minutes', stale_run_timeout = '30 minutes'"""
        )
        # only this example's pairs exist for the engine
        self.conn.execute("DELETE FROM public.sync_run_log WHERE status IN ('pending', 'running')")
        self.conn.execute("UPDATE public.organization_integrations SET enabled = false")
        self.pg_net = self.conn.execute("SELECT tests.install_pg_net_standin()").fetchone() == (
            True,
        )
        for org in self.orgs:
            self.conn.execute("SELECT tests.add_member(%s, %s, 'admin')", (org, self.members[org]))
            self._add_pair(org)

    def teardown(self) -> None:
        self.conn.rollback()
        self.conn.close()

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

    @rule(i=st.integers(0, N_PAIRS - 1))
    def manual_trigger(self, i: int) -> None:
        org = self.orgs[i]
        result = self._try(
            "SELECT public.trigger_integration_sync(%s, %s)",
            (org, TYPE),
            as_=f"SELECT tests.authenticate_as('{self.members[org]}', '{org}')",
        )
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
        outcome=st.sampled_from(["complete", "fail"]),
        wrong=st.booleans(),
        repeat=st.booleans(),
    )
    def report(self, pick: int, outcome: str, wrong: bool, repeat: bool) -> None:
        running = self._runs("status = 'running' AND worker_id IN ('w1', 'w2')")
        if not running:
            return
        run_id, _, _, worker, _ = running[pick % len(running)]
        by = next(w for w in WORKERS if w != worker) if wrong else worker
        sql = (
            "SELECT status FROM integration_ops.complete_sync_run(%s, 2, 0, worker_id => %s)"
            if outcome == "complete"
            else "SELECT status FROM integration_ops.fail_sync_run("
            "%s, 'http_503', 'down', worker_id => %s)"
        )
        for _ in range(2 if repeat else 1):
            result = self._try(sql, (run_id, by))
            if wrong:
                assert result[:2] == ("error", "invalid_transition"), result
            else:
                assert result == ("completed" if outcome == "complete" else "failed",), result

    @rule()
    def reap(self) -> None:
        self._expect(self._try("SELECT integration_ops.reap_stale_sync_runs()"))

    @rule()
    def archive(self) -> None:
        self._expect(self._try("SELECT integration_ops.archive_sync_run_log()"))

    @rule(i=st.integers(0, N_PAIRS - 1))
    def toggle_enabled(self, i: int) -> None:
        org = self.orgs[i]
        if not self.present[org]:
            return
        self.enabled[org] = not self.enabled[org]
        self.conn.execute(
            "UPDATE public.organization_integrations SET enabled = %s"
            " WHERE org_id = %s AND integration_type = %s",
            (self.enabled[org], org, TYPE),
        )
        if self.enabled[org]:
            self._episode(org)

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
    @rule(pick=st.integers(min_value=0, max_value=10_000), status=st.sampled_from([200, 500]))
    def pg_net_answers(self, pick: int, status: int) -> None:
        running = self._runs("status = 'running' AND worker_id = 'pg_net'")
        if running:
            request_id = running[pick % len(running)][4]
            self.conn.execute(
                "INSERT INTO net._http_response (id, status_code, content) VALUES (%s, %s, %s)",
                (request_id, status, '{"records_processed": 1.0}'),
            )
        self._expect(self._try("SELECT integration_ops.reconcile_pg_net_responses()"))

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
    def every_elapsed_period_has_one_run_or_is_still_due(self) -> None:
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
                          WHERE org_id = %(o)s AND triggered_by = 'scheduler'
                         UNION ALL
                         SELECT scheduled_for FROM integration_ops.sync_run_log_archive
                          WHERE org_id = %(o)s AND triggered_by = 'scheduler') AS r
                       GROUP BY scheduled_for""",
                    {"o": org},
                ).fetchall()
            )
            period = self.episode_start[org]
            while period <= self.now:
                n = counts.get(period, 0)
                assert n <= 1, f"{n} runs for {org} {period}"
                assert n == 1 or next_due <= period, (
                    f"period {period} of {org} has no run and the pair is not due for it"
                    f" (next_sync_at {next_due})"
                )
                period += INTERVAL

    @invariant()
    def no_pending_run_that_cannot_be_delivered(self) -> None:
        rows = self.conn.execute(
            """SELECT r.id, oi.enabled, oi.delivery FROM public.sync_run_log AS r
                 LEFT JOIN public.organization_integrations AS oi
                   ON oi.org_id = r.org_id AND oi.integration_type = r.integration_type
                WHERE r.org_id = ANY(%s) AND r.status = 'pending'""",
            (self.orgs,),
        ).fetchall()
        for run_id, enabled, delivery in rows:
            assert enabled is True, f"pending run {run_id} of a missing or disabled pair"
            assert delivery == "worker", f"pending run {run_id} of a pg_net pair was not posted"

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
    def idempotency_keys_unique_and_audit_unchanged(self) -> None:
        dupes = self.conn.execute(
            """SELECT count(*) FROM (
                 SELECT idempotency_key FROM (
                   SELECT idempotency_key FROM public.sync_run_log WHERE org_id = ANY(%(o)s)
                   UNION ALL
                   SELECT idempotency_key FROM integration_ops.sync_run_log_archive
                    WHERE org_id = ANY(%(o)s)
                 ) AS k WHERE idempotency_key IS NOT NULL
                 GROUP BY idempotency_key HAVING count(*) > 1) AS d""",
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


EngineMachine.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)


@pytest.mark.usefixtures("cron_paused")
def test_engine_state_machine(cluster: localdb.LocalCluster) -> None:
    global _cluster
    _cluster = cluster
    EngineMachine.TestCase().runTest()
