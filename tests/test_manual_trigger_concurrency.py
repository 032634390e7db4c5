"""Manual trigger with two real connections (issue 7): two simultaneous triggers of the
same pair yield one run id and one sync_already_in_progress; the trigger wakes the
worker on the dispatcher's channel."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from orchestrator.tooling import localdb


@pytest.fixture()
def org(admin_conn: psycopg.Connection[Any]) -> Iterator[uuid.UUID]:
    org_id = uuid.uuid4()
    admin_conn.execute("SELECT tests.add_member(%s, 'race_coord', 'coordinator')", (org_id,))
    admin_conn.execute("SELECT tests.add_member(%s, 'race_admin', 'admin')", (org_id,))
    admin_conn.execute("SELECT tests.add_integration(%s, 'xledger')", (org_id,))
    yield org_id
    # (audit rows are append-only and stay; they belong to this throwaway org id)
    admin_conn.execute("DELETE FROM public.sync_run_log WHERE org_id = %s", (org_id,))
    admin_conn.execute("DELETE FROM public.organization_integrations WHERE org_id = %s", (org_id,))
    admin_conn.execute("DELETE FROM integration_ops.org_members WHERE org_id = %s", (org_id,))


def _trigger_as(conn: psycopg.Connection[Any], user_id: Any, org_id: uuid.UUID) -> Any:
    """One PostgREST-style request: role + claims set locally, then the RPC."""
    claims = json.dumps({"sub": str(user_id), "role": "authenticated", "org_id": str(org_id)})
    with conn.transaction():
        conn.execute(
            "SELECT set_config('role', 'authenticated', true), "
            "set_config('request.jwt.claims', %s, true)",
            (claims,),
        )
        row = conn.execute(
            "SELECT public.trigger_integration_sync(org_id => %s, integration_type => 'xledger')",
            (org_id,),
        ).fetchone()
        assert row is not None
        return row[0]


def test_two_simultaneous_triggers_make_one_run(
    cluster: localdb.LocalCluster, admin_conn: psycopg.Connection[Any], org: uuid.UUID
) -> None:
    users = [
        admin_conn.execute("SELECT tests.get_user_id(%s)", (name,)).fetchone()[0]  # type: ignore[index]
        for name in ("race_coord", "race_admin")
    ]
    barrier = threading.Barrier(2)
    outcomes: list[tuple[str, str]] = []
    lock = threading.Lock()

    def trigger(user_id: Any) -> None:
        with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER)) as conn:
            barrier.wait(timeout=30)
            try:
                result = ("ok", str(_trigger_as(conn, user_id, org)))
            except psycopg.Error as exc:
                result = (exc.sqlstate or "", exc.diag.message_primary or "")
            with lock:
                outcomes.append(result)

    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as listener:
        listener.execute("LISTEN integration_sync_wakeup")
        threads = [threading.Thread(target=trigger, args=(u,)) for u in users]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        notes = [n.payload for n in listener.notifies(timeout=5, stop_after=1)]

    assert sorted(o[0] for o in outcomes) == ["PT409", "ok"], outcomes
    assert ("PT409", "sync_already_in_progress") in outcomes
    run_id = next(o[1] for o in outcomes if o[0] == "ok")
    runs = admin_conn.execute(
        "SELECT id::text, status, triggered_by FROM public.sync_run_log WHERE org_id = %s", (org,)
    ).fetchall()
    assert runs == [(run_id, "pending", "manual")]
    audit = admin_conn.execute(
        "SELECT run_id::text FROM integration_ops.sync_trigger_audit WHERE org_id = %s", (org,)
    ).fetchall()
    assert audit == [(run_id,)]
    assert notes == [run_id]
