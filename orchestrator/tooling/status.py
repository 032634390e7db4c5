"""`orchestrator status --org ORG_ID`: an org's health rows and last runs, read through
the same public RPCs the app calls (`get_org_health_status`,
`get_last_run_per_integration`); `orchestrator status --global`: `get_engine_status()`.
Both as `service_role` the way PostgREST would run them:
one transaction, `SET LOCAL ROLE service_role` and the claims
`{"role":"service_role"}` in `request.jwt.claims`. The DSN's login must be allowed to
`SET ROLE service_role` (on Supabase: `postgres`; a login holding only
`integration_worker` is refused)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

import psycopg
from psycopg.rows import dict_row

from ..runtime import queries

Row = dict[str, Any]
T = TypeVar("T")

HEALTH_COLUMNS = (
    "integration_type",
    "display_name",
    "status",
    "latency_ms",
    "checked_at",
    "error_message",
)
RUN_COLUMNS = (
    "integration_type",
    "status",
    "triggered_by",
    "started_at",
    "ended_at",
    "records_processed",
    "records_failed",
    "error_code",
    "error_message",
)
MAX_CELL = 60


class StatusError(RuntimeError):
    """A refusal or failure with a sentence for the user."""


@dataclass(frozen=True)
class OrgStatus:
    org_id: UUID
    health: list[Row]
    last_runs: list[Row]

    def as_json(self) -> str:
        doc = {"org_id": str(self.org_id), "health": self.health, "last_runs": self.last_runs}
        return json.dumps(doc, indent=2, default=_json_value)

    def as_text(self) -> str:
        return "\n".join(
            [
                f"Organisation {self.org_id}",
                "",
                "Health",
                format_table(self.health, HEALTH_COLUMNS),
                "",
                "Last runs",
                format_table(self.last_runs, RUN_COLUMNS),
            ]
        )


def fetch_org_status(dsn: str, org_id: UUID) -> OrgStatus:
    def read(cur: psycopg.Cursor[Row]) -> OrgStatus:
        cur.execute(queries.ORG_HEALTH_STATUS, {"org_id": org_id})
        health = cur.fetchall()
        cur.execute(queries.LAST_RUN_PER_INTEGRATION, {"org_id": org_id})
        runs = cur.fetchall()
        return OrgStatus(org_id, health, runs)

    return as_service_role(dsn, read)


@dataclass(frozen=True)
class EngineStatus:
    """`get_engine_status()`: queue, runs_24h (with retries, exhausted chains and cold
    starts), lagging, drift_24h, failing, workers, alerts, and as_of (when runs_24h,
    drift_24h and failing were computed: the every-minute snapshot)."""

    doc: dict[str, Any]

    def as_json(self) -> str:
        return json.dumps(self.doc, indent=2, default=_json_value)

    def as_text(self) -> str:
        runs = [
            {"integration_type": t, **counts}
            for t, counts in sorted((self.doc.get("runs_24h") or {}).items())
        ]
        alerts = [
            {**a, "detail": json.dumps(a.get("detail"), sort_keys=True)}
            for a in self.doc.get("alerts") or []
        ]
        as_of = f", as of {self.doc['as_of']}" if self.doc.get("as_of") else ""
        return "\n".join(
            [
                "Queue (now)",
                format_table([self.doc.get("queue") or {}], QUEUE_COLUMNS),
                "",
                f"Runs (last 24 h, by end time{as_of})",
                format_table(runs, RUNS_COLUMNS),
                "",
                f"Drift of scheduled runs (last 24 h{as_of})",
                format_table([self.doc.get("drift_24h") or {}], DRIFT_COLUMNS),
                "",
                "Lagging pairs (oldest period without a run older than lag_alert; now)",
                format_table(self.doc.get("lagging") or [], LAGGING_COLUMNS),
                "",
                f"Failing pairs (the 100 worst{as_of})",
                format_table(self.doc.get("failing") or [], FAILING_COLUMNS),
                "",
                "Workers (running now or seen in the last hour)",
                format_table(self.doc.get("workers") or [], WORKER_COLUMNS),
                "",
                "Open alerts",
                format_table(alerts, ALERT_COLUMNS),
            ]
        )


QUEUE_COLUMNS = (
    "pending",
    "waiting_retries",
    "running",
    "oldest_pending_age_seconds",
    "stale_pending",
    "stale_running",
)
RUNS_COLUMNS = (
    "integration_type",
    "completed",
    "failed",
    "cancelled",
    "skipped",
    "retries",
    "retries_exhausted",
    "cold_starts",
    "cold_starts_failed",
)
LAGGING_COLUMNS = ("org_id", "integration_type", "lag_seconds", "oldest_period_without_run")
DRIFT_COLUMNS = ("runs", "p50_seconds", "p95_seconds", "max_seconds", "over_alert", "alert_seconds")
FAILING_COLUMNS = (
    "org_id",
    "integration_type",
    "health_status",
    "health_consecutive_failures",
    "consecutive_run_failures",
    "last_error_code",
)
WORKER_COLUMNS = ("worker_id", "runs_in_flight", "last_heartbeat", "last_seen")
ALERT_COLUMNS = ("kind", "org_id", "integration_type", "first_seen", "last_seen", "detail")


def fetch_engine_status(dsn: str) -> EngineStatus:
    def read(cur: psycopg.Cursor[Row]) -> EngineStatus:
        cur.execute(queries.ENGINE_STATUS)
        row = cur.fetchone()
        assert row is not None
        return EngineStatus(dict(row["engine_status"]))

    return as_service_role(dsn, read)


def as_service_role(dsn: str, read: Callable[[psycopg.Cursor[Row]], T]) -> T:
    """One transaction as service_role with its claims, as PostgREST runs a request."""
    try:
        with psycopg.connect(dsn) as conn, conn.transaction():
            cur = conn.cursor(row_factory=dict_row)
            try:
                cur.execute(queries.ACT_AS_SERVICE_ROLE)
            except psycopg.errors.InsufficientPrivilege as exc:
                raise StatusError(
                    "this login may not SET ROLE service_role; use a DSN whose login is "
                    "granted service_role (e.g. postgres)"
                ) from exc
            cur.execute(queries.SERVICE_ROLE_CLAIMS)
            return read(cur)
    except psycopg.Error as exc:
        sqlstate = exc.diag.sqlstate or ""
        if sqlstate.startswith("PT"):  # a contract error (DESIGN §6): code and sentence
            raise StatusError(_contract_error(exc)) from exc
        raise StatusError(f"database error: {exc}") from exc


def _contract_error(exc: psycopg.Error) -> str:
    primary = exc.diag.message_primary or type(exc).__name__
    detail = exc.diag.message_detail
    return f"{primary}: {detail}" if detail else primary


def format_table(rows: Sequence[Row], preferred: Sequence[str]) -> str:
    """Aligned text columns: the preferred columns the rows have, in that order."""
    if not rows:
        return "(none)"
    columns = [c for c in preferred if c in rows[0]] or list(rows[0])
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime):
        text = value.isoformat(timespec="seconds")
    else:
        text = " ".join(str(value).split())  # one line per row
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, UUID):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
