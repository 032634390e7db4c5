"""Arranging (org, integration) pairs for the health-runner tests.

`claim_health_checks` claims every due pair in the database, and the session cluster
is shared with other test modules. `HealthPairs` therefore parks every other active
pair (health_mode 'disabled') for the duration of a test and restores them after,
and removes the pairs the test created, so runs see only the test's own pairs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID, uuid4

import psycopg


class HealthPairs:
    def __init__(self, admin: psycopg.Connection[Any]) -> None:
        self.admin = admin
        self.orgs: set[UUID] = set()

    def add(
        self,
        integration_type: str,
        health_config: dict[str, Any],
        *,
        org_id: UUID | None = None,
        health_mode: str = "active",
        secret_ref: str | None = None,
    ) -> UUID:
        org = org_id or uuid4()
        self.orgs.add(org)
        self.admin.execute(
            "INSERT INTO public.organization_integrations "
            "(org_id, integration_type, health_mode, health_config, secret_ref) "
            "VALUES (%s, %s, %s, %s::jsonb, %s)",
            (org, integration_type, health_mode, json.dumps(health_config), secret_ref),
        )
        return org

    def status(self, org_id: UUID, integration_type: str) -> dict[str, Any]:
        cur = self.admin.cursor(row_factory=psycopg.rows.dict_row)
        row = cur.execute(
            "SELECT status, latency_ms, error_message, consecutive_failures, checked_at "
            "FROM public.integration_health_status WHERE org_id = %s AND integration_type = %s",
            (org_id, integration_type),
        ).fetchone()
        assert row is not None, f"no status row for {org_id} {integration_type}"
        return row

    def current_status(self, org_id: UUID, integration_type: str) -> str | None:
        row = self.admin.execute(
            "SELECT status FROM public.integration_health_status "
            "WHERE org_id = %s AND integration_type = %s",
            (org_id, integration_type),
        ).fetchone()
        return None if row is None else row[0]

    def history_count(self, org_id: UUID, integration_type: str) -> int:
        row = self.admin.execute(
            "SELECT count(*) FROM public.integration_health_history "
            "WHERE org_id = %s AND integration_type = %s",
            (org_id, integration_type),
        ).fetchone()
        assert row is not None
        return int(row[0])

    def make_due(self, org_id: UUID, integration_type: str) -> None:
        self.admin.execute(
            "UPDATE public.integration_health_status "
            "SET next_check_at = now() - interval '1 second' "
            "WHERE org_id = %s AND integration_type = %s",
            (org_id, integration_type),
        )

    def cleanup(self) -> None:
        orgs = list(self.orgs)
        for table in (
            "integration_health_history",
            "integration_health_status",
            "organization_integrations",
        ):
            self.admin.execute(f"DELETE FROM public.{table} WHERE org_id = ANY(%s)", (orgs,))


@contextmanager
def isolated_pairs(admin: psycopg.Connection[Any]) -> Iterator[HealthPairs]:
    parked = admin.execute(
        "UPDATE public.organization_integrations SET health_mode = 'disabled' "
        "WHERE health_mode = 'active' RETURNING org_id, integration_type"
    ).fetchall()
    pairs = HealthPairs(admin)
    try:
        yield pairs
    finally:
        pairs.cleanup()
        if parked:
            admin.execute(
                "UPDATE public.organization_integrations AS oi SET health_mode = 'active' "
                "FROM unnest(%s::uuid[], %s::text[]) AS p(org_id, integration_type) "
                "WHERE oi.org_id = p.org_id AND oi.integration_type = p.integration_type",
                ([p[0] for p in parked], [p[1] for p in parked]),
            )
