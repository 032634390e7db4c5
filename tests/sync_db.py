"""Arranging sync data as the superuser, for the worker's integration tests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID, uuid4

import psycopg

Conn = psycopg.Connection[Any]


def clear_active_runs(conn: Conn) -> None:
    """No other test's pending/running run may be claimed by ours."""
    conn.execute("DELETE FROM public.sync_run_log WHERE status IN ('pending', 'running')")


def add_pair(
    conn: Conn,
    endpoint_url: str,
    *,
    org_id: UUID | None = None,
    integration_type: str = "xledger",
    due: bool = False,
    secret_ref: str | None = None,
) -> UUID:
    """An enabled integration; `due` gives it an hourly schedule whose period began 5 min ago."""
    org = org_id or uuid4()
    conn.execute(
        """
        INSERT INTO public.organization_integrations
          (org_id, integration_type, endpoint_url, secret_ref, sync_interval, next_sync_at,
           health_mode)
        VALUES (%s, %s, %s, %s,
                CASE WHEN %s THEN interval '1 hour' END,
                CASE WHEN %s THEN now() - interval '5 minutes' END,
                'disabled')
        """,
        (org, integration_type, endpoint_url, secret_ref, due, due),
    )
    return org


def add_pending_run(conn: Conn, org_id: UUID, integration_type: str = "xledger") -> UUID:
    row = conn.execute(
        """
        INSERT INTO public.sync_run_log (org_id, integration_type, status, triggered_by)
        VALUES (%s, %s, 'pending', 'manual') RETURNING id
        """,
        (org_id, integration_type),
    ).fetchone()
    assert row is not None
    return UUID(str(row[0]))


def runs_of(conn: Conn, org_ids: Iterable[UUID]) -> list[dict[str, Any]]:
    cur = conn.cursor(row_factory=psycopg.rows.dict_row)
    cur.execute(
        # attempt order where the column exists (0.3); the version tests read older databases
        "SELECT r.* FROM public.sync_run_log AS r WHERE r.org_id = ANY(%s)"
        " ORDER BY r.created_at, (to_jsonb(r) ->> 'attempt')::integer, r.id",
        (list(org_ids),),
    )
    return cur.fetchall()


def forget(conn: Conn, org_ids: Iterable[UUID]) -> None:
    ids = list(org_ids)
    conn.execute("DELETE FROM public.sync_run_log WHERE org_id = ANY(%s)", (ids,))
    conn.execute("DELETE FROM public.organization_integrations WHERE org_id = ANY(%s)", (ids,))
