"""`orchestrator integrations …`: register and manage an org's integrations (issue 23).

`add` calls `public.configure_integration` (DESIGN §13), the RPC a backend calls; `enable` and
`disable` change the pair's `enabled` flag; `list` reads `organization_integrations`; `sync`
starts a manual run through `public.trigger_integration_sync`, as a backend does. All run
as `service_role` the way PostgREST runs a request (`status.as_service_role`): the rules
(URL rules, the allowlist, cancelling a disabled pair's pending run) are the database's,
whoever writes. The DSN's login must be allowed to `SET ROLE service_role` (on Supabase:
`postgres`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any, Final, TypeVar
from uuid import UUID

import psycopg

from .status import StatusError, as_service_role, format_table

COLUMNS: Final = (
    "org_id",
    "integration_type",
    "enabled",
    "endpoint_url",
    "sync_interval",
    "next_sync_at",
    "delivery",
    "health_mode",
    "warmup_url",
)
_SELECT: Final = ", ".join(COLUMNS)

CONFIGURE: Final = f"""
SELECT {_SELECT} FROM public.configure_integration(
  org_id => %(org_id)s, integration_type => %(integration_type)s,
  endpoint_url => %(endpoint_url)s, sync_interval => %(sync_interval)s::interval,
  delivery => %(delivery)s, health_mode => %(health_mode)s, warmup_url => %(warmup_url)s,
  enabled => %(enabled)s)
"""
SET_ENABLED: Final = f"""
UPDATE public.organization_integrations SET enabled = %(enabled)s
 WHERE org_id = %(org_id)s AND integration_type = %(integration_type)s
RETURNING {_SELECT}
"""
TRIGGER: Final = """
SELECT public.trigger_integration_sync(
  org_id => %(org_id)s, integration_type => %(integration_type)s) AS run_id
"""
LIST: Final = f"""
SELECT {_SELECT} FROM public.organization_integrations
 WHERE %(org_id)s::uuid IS NULL OR org_id = %(org_id)s::uuid
 ORDER BY org_id, integration_type
"""


T = TypeVar("T")


class IntegrationError(StatusError):
    """A refusal (a contract code and its sentence) or a failure, for the user."""


@dataclass(frozen=True)
class Integration:
    org_id: UUID
    integration_type: str
    enabled: bool
    endpoint_url: str | None
    sync_interval: timedelta | None
    next_sync_at: datetime | None
    delivery: str
    health_mode: str
    warmup_url: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Integration:
        return cls(**{name: row[name] for name in COLUMNS})

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["org_id"] = str(self.org_id)
        data["sync_interval"] = (
            self.sync_interval.total_seconds() if self.sync_interval is not None else None
        )
        data["next_sync_at"] = self.next_sync_at.isoformat() if self.next_sync_at else None
        return data


def parse_interval(text: str) -> str | None:
    """`--interval`: a Postgres interval (`1h`, `15 minutes`, `1 day`), or `manual`/`none`
    for a pair without a schedule. Postgres judges the rest."""
    return None if text.strip().lower() in ("manual", "none", "") else text


def configure(
    dsn: str,
    org_id: UUID,
    integration_type: str,
    endpoint_url: str,
    *,
    interval: str | None,
    delivery: str,
    health_mode: str,
    warmup_url: str | None,
    enabled: bool = True,
) -> Integration:
    params = {
        "org_id": org_id,
        "integration_type": integration_type,
        "endpoint_url": endpoint_url,
        "sync_interval": interval,
        "delivery": delivery,
        "health_mode": health_mode,
        "warmup_url": warmup_url,
        "enabled": enabled,
    }
    return _one(dsn, CONFIGURE, params, None)


def set_enabled(dsn: str, org_id: UUID, integration_type: str, enabled: bool) -> Integration:
    params = {"org_id": org_id, "integration_type": integration_type, "enabled": enabled}
    return _one(dsn, SET_ENABLED, params, f"no {integration_type} integration for org {org_id}")


def trigger_sync(dsn: str, org_id: UUID, integration_type: str) -> UUID:
    """A manual run of the pair, started as service_role (DESIGN §13: `triggered_by` manual,
    no user, audited with the actor service_role); the new run's id."""

    def trigger(cur: psycopg.Cursor[dict[str, Any]]) -> UUID:
        cur.execute(TRIGGER, {"org_id": org_id, "integration_type": integration_type})
        row = cur.fetchone()
        assert row is not None  # the function returns the id or raises
        run_id: UUID = row["run_id"]
        return run_id

    return _as_service_role(dsn, trigger)


def list_integrations(dsn: str, org_id: UUID | None) -> list[Integration]:
    def read(cur: psycopg.Cursor[dict[str, Any]]) -> list[Integration]:
        cur.execute(LIST, {"org_id": org_id})
        return [Integration.from_row(row) for row in cur.fetchall()]

    return _as_service_role(dsn, read)


def as_table(integrations: list[Integration]) -> str:
    return format_table([i.as_dict() for i in integrations], COLUMNS)


def as_json(integrations: list[Integration]) -> str:
    return json.dumps([i.as_dict() for i in integrations], indent=2)


def _one(dsn: str, sql: str, params: dict[str, Any], missing: str | None) -> Integration:
    def write(cur: psycopg.Cursor[dict[str, Any]]) -> Integration:
        cur.execute(sql, params)
        row = cur.fetchone()
        if row is None:
            raise IntegrationError(missing or "nothing was written")
        return Integration.from_row(row)

    return _as_service_role(dsn, write)


def _as_service_role(dsn: str, work: Callable[[psycopg.Cursor[dict[str, Any]]], T]) -> T:
    try:
        return as_service_role(dsn, work)
    except StatusError as exc:
        cause = exc.__cause__
        if isinstance(
            cause, psycopg.errors.InvalidDatetimeFormat | psycopg.errors.DatetimeFieldOverflow
        ):
            raise IntegrationError(f"invalid --interval: {cause.diag.message_primary}") from exc
        raise IntegrationError(str(exc)) from exc
