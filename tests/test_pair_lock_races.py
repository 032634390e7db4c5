"""One pair lock (issue 22, DESIGN §13): races that 0.2 lost, replayed with real sessions.

- A manual trigger (or insert_run_log) racing a disable of the same pair: 0.2 read `enabled`
  before taking the pair lock and the disable took none, so the trigger's pending run landed
  on a pair that was already disabled (and was handed out). Now the disable's trigger holds
  the pair lock until it commits, and the trigger reads `enabled` after taking it.
- The pg_net warm-up job switch: 0.2 took one global lock in a statement trigger on every
  write of any pair, so all tenants' pair edits queued behind each other and two
  transactions editing two pairs in opposite order deadlocked. Now writers share the lock.

Each race is forced, not hoped for: the first session holds its lock (an open transaction)
while the second one starts; the test then checks who waited on whom through pg_locks.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest

from orchestrator.tooling import localdb

Conn = psycopg.Connection[Any]


def connect(cluster: localdb.LocalCluster) -> Conn:
    return psycopg.connect(cluster.dsn(user=localdb.SUPERUSER))


def waiting_on_lock(admin: Conn, pid: int) -> bool:
    row = admin.execute(
        "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = %s", (pid,)
    ).fetchone()
    return bool(row and row[0])


def wait_until(check: Callable[[], bool], what: str, timeout_s: float = 20.0) -> None:
    """Polls a condition of the database (not a timing assertion: it only bounds a hang)."""
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"never saw: {what}")
        time.sleep(0.02)


class Background:
    """Runs one statement on its own connection in a thread; keeps its outcome."""

    def __init__(
        self, conn: Conn, statement: str, params: tuple[Any, ...] = (), *, commit: bool = True
    ) -> None:
        self.conn = conn
        self.commit = commit
        self.pid = conn.info.backend_pid
        self.error: BaseException | None = None
        self.result: Any = None
        self.thread = threading.Thread(target=self._run, args=(statement, params))
        self.thread.start()

    def _run(self, statement: str, params: tuple[Any, ...]) -> None:
        try:
            cursor = self.conn.execute(statement, params)
            self.result = cursor.fetchall() if cursor.description else None
            if self.commit:
                self.conn.commit()
        except BaseException as exc:
            self.error = exc
            self.conn.rollback()

    def join(self) -> None:
        self.thread.join(30)
        assert not self.thread.is_alive(), "the background statement hangs"


@pytest.fixture()
def pair(admin_conn: Conn, cron_paused: None) -> Iterator[uuid.UUID]:
    org = uuid.uuid4()
    admin_conn.execute("SELECT tests.add_member(%s, %s, 'admin')", (org, f"race_{org.hex[:10]}"))
    admin_conn.execute(
        "INSERT INTO public.organization_integrations (org_id, integration_type, endpoint_url,"
        " health_mode) VALUES (%s, 'xledger', 'http://127.0.0.1:9/x', 'disabled'),"
        " (%s, 'dynamics', 'http://127.0.0.1:9/d', 'disabled')",
        (org, org),
    )
    yield org
    admin_conn.execute("DELETE FROM public.sync_run_log WHERE org_id = %s", (org,))
    admin_conn.execute("DELETE FROM public.organization_integrations WHERE org_id = %s", (org,))
    admin_conn.execute("DELETE FROM integration_ops.org_members WHERE org_id = %s", (org,))


TRIGGER = "SELECT public.trigger_integration_sync(%s::uuid, 'xledger')"
INSERT_RUN_LOG = "SELECT public.insert_run_log(%s::uuid, 'xledger', 'manual')"


def claims_for(admin_conn: Conn, org: uuid.UUID) -> str:
    row = admin_conn.execute(
        "SELECT tests.get_user_id(%s)::text", (f"race_{org.hex[:10]}",)
    ).fetchone()
    assert row is not None
    return f'{{"sub": "{row[0]}", "role": "authenticated", "org_id": "{org}"}}'


@pytest.mark.parametrize("path", ["trigger_integration_sync", "insert_run_log"])
def test_a_run_never_starts_on_a_pair_being_disabled(
    cluster: localdb.LocalCluster, admin_conn: Conn, pair: uuid.UUID, path: str
) -> None:
    disabler = connect(cluster)
    starter = connect(cluster)
    try:
        # the disable is under way (its transaction open)
        disabler.execute(
            "UPDATE public.organization_integrations SET enabled = false"
            " WHERE org_id = %s AND integration_type = 'xledger'",
            (pair,),
        )
        # as PostgREST would: the role, then the claims, in the request's transaction
        if path == "trigger_integration_sync":
            starter.execute(
                "SELECT set_config('role', 'authenticated', true),"
                " set_config('request.jwt.claims', %s, true)",
                (claims_for(admin_conn, pair),),
            )
            start = Background(starter, TRIGGER, (pair,))
        else:
            starter.execute("SELECT set_config('role', 'service_role', true)")
            start = Background(starter, INSERT_RUN_LOG, (pair,))
        # 0.3: the starter waits for the pair lock the disable holds (0.2 went straight on)
        wait_until(
            lambda: waiting_on_lock(admin_conn, start.pid) or not start.thread.is_alive(),
            "the starter waiting or done",
        )
        disabler.commit()
        start.join()
    finally:
        disabler.close()
        starter.close()
    active = admin_conn.execute(
        "SELECT count(*) FROM public.sync_run_log WHERE org_id = %s"
        " AND integration_type = 'xledger' AND status IN ('pending', 'running')",
        (pair,),
    ).fetchone()
    assert active == (0,), f"{path} left an active run on the disabled pair"
    assert isinstance(start.error, psycopg.Error), f"{path} succeeded on a disabled pair"
    assert start.error.sqlstate == "PT404"
    assert "integration_not_configured" in str(start.error)


def test_pair_edits_of_two_tenants_never_queue_or_deadlock(
    cluster: localdb.LocalCluster, admin_conn: Conn, pair: uuid.UUID
) -> None:
    """Pair A (one tenant) is being edited; another tenant's edit of pair B goes on at once
    (0.2: it queued behind the warm-up switch's global lock), and the first transaction can
    then edit pair B too, waiting only for B's row (0.2: deadlock)."""
    other = uuid.uuid4()
    admin_conn.execute(
        "INSERT INTO public.organization_integrations (org_id, integration_type, endpoint_url,"
        " health_mode) VALUES (%s, 'xledger', 'http://127.0.0.1:9/x', 'disabled')",
        (other,),
    )
    # an edit the warm-up job switch listens to (UPDATE OF warmup_url, delivery, enabled)
    edit = (
        "UPDATE public.organization_integrations SET warmup_url = NULL, enabled = true"
        " WHERE org_id = %s AND integration_type = 'xledger'"
    )
    first = connect(cluster)
    second = connect(cluster)
    try:
        first.execute(edit, (pair,))
        edit_b = Background(second, edit, (other,), commit=False)
        wait_until(
            lambda: waiting_on_lock(admin_conn, edit_b.pid) or not edit_b.thread.is_alive(),
            "the second tenant's edit waiting or done",
        )
        assert not waiting_on_lock(admin_conn, edit_b.pid), (
            "a tenant's edit queued behind another's"
        )
        edit_b.join()
        assert edit_b.error is None, edit_b.error
        first_b = Background(first, edit, (other,))
        wait_until(
            lambda: waiting_on_lock(admin_conn, first_b.pid), "the first waiting for B's row"
        )
        second.commit()
        first_b.join()
        assert first_b.error is None, f"the opposite-order edit failed: {first_b.error}"
    finally:
        first.close()
        second.close()
        admin_conn.execute(
            "DELETE FROM public.organization_integrations WHERE org_id = %s", (other,)
        )
