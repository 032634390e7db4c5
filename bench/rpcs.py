"""Latency of every public RPC, called as the real caller would through PostgREST.

Each sample is one transaction: `set_config('role', …, true)`, `set_config(
'request.jwt.claims', …, true)`, then the RPC with named parameters (prepared), then
ROLLBACK so no sample changes the data the next one sees. Server-side execution time
comes from `EXPLAIN (ANALYZE)` of the same call; index use from pg_stat_user_indexes
deltas over the samples.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from .dataset import Dataset, org_id, user_id
from .stats import Row, percentile
from .targets import target

TYPES = ["xledger", "dynamics", "bufdir"]


@dataclass(frozen=True)
class Call:
    role: str
    claims: dict[str, Any]
    query: sql.SQL | sql.Composed
    params: dict[str, Any]
    setup: sql.SQL | sql.Composed | None = None
    setup_params: dict[str, Any] | None = None


@dataclass(frozen=True)
class RpcSpec:
    name: str
    budget_ms: float | None
    make_call: Callable[[random.Random, int], Call]


def _member(n: int, role: str) -> dict[str, Any]:
    return {"sub": user_id(n, role), "role": "authenticated", "org_id": org_id(n)}


def _fn(name: str, **params: str) -> sql.Composed:
    args = sql.SQL(", ").join(
        sql.SQL("{} => {}").format(sql.Identifier(k), sql.Placeholder(k)) for k in params
    )
    return sql.SQL("SELECT * FROM public.{}({})").format(sql.Identifier(name), args)


SERVICE = {"role": "service_role"}


def specs() -> list[RpcSpec]:
    def org_health(rng: random.Random, orgs: int) -> Call:
        n = rng.randint(1, orgs)
        return Call(
            "authenticated",
            _member(n, "admin"),
            _fn("get_org_health_status", org_id=""),
            {"org_id": org_id(n)},
        )

    def summary(rng: random.Random, orgs: int) -> Call:
        claims = {"sub": user_id(1, "admin"), "role": "authenticated", "user_role": "global_admin"}
        return Call("authenticated", claims, _fn("get_global_health_summary"), {})

    def trend(rng: random.Random, orgs: int) -> Call:
        n = rng.randint(1, orgs)
        return Call(
            "authenticated",
            _member(n, "admin"),
            _fn("get_health_trend", org_id="", integration_type="", hours=""),
            {"org_id": org_id(n), "integration_type": rng.choice(TYPES), "hours": 24},
        )

    def last_run(rng: random.Random, orgs: int) -> Call:
        n = rng.randint(1, orgs)
        return Call(
            "authenticated",
            _member(n, "coordinator"),
            _fn("get_last_run_per_integration", org_id=""),
            {"org_id": org_id(n)},
        )

    def history(rng: random.Random, orgs: int) -> Call:
        n = rng.randint(1, orgs)
        return Call(
            "authenticated",
            _member(n, "coordinator"),
            _fn("get_run_history", org_id="", integration_type="", row_limit=""),
            {"org_id": org_id(n), "integration_type": rng.choice(TYPES), "row_limit": 20},
        )

    def trigger(rng: random.Random, orgs: int) -> Call:
        n = rng.randint(1, orgs)
        return Call(
            "authenticated",
            _member(n, "coordinator"),
            _fn("trigger_integration_sync", org_id="", integration_type=""),
            {"org_id": org_id(n), "integration_type": rng.choice(TYPES)},
        )

    def insert_run(rng: random.Random, orgs: int) -> Call:
        n = rng.randint(1, orgs)
        return Call(
            "service_role",
            SERVICE,
            _fn("insert_run_log", org_id="", integration_type="", triggered_by=""),
            {"org_id": org_id(n), "integration_type": rng.choice(TYPES), "triggered_by": "manual"},
        )

    def update_run(rng: random.Random, orgs: int) -> Call:
        n = rng.randint(1, orgs)
        setup = sql.SQL(
            "SELECT set_config('bench.run_id', public.insert_run_log(org_id => {o}, "
            "integration_type => {t}, triggered_by => 'manual')::text, true)"
        ).format(o=sql.Placeholder("org_id"), t=sql.Placeholder("integration_type"))
        query = sql.SQL(
            "SELECT * FROM public.update_run_log_status(run_id => current_setting('bench.run_id')"
            "::uuid, status => 'completed', records_processed => 10, records_failed => 0, "
            "error_message => NULL)"
        )
        params = {"org_id": org_id(n), "integration_type": rng.choice(TYPES)}
        return Call("service_role", SERVICE, query, {}, setup, params)

    return [
        RpcSpec("get_org_health_status", 150, org_health),
        RpcSpec("get_health_trend(24 h)", 100, trend),
        RpcSpec("get_last_run_per_integration", 200, last_run),
        RpcSpec("get_run_history(20)", 200, history),
        RpcSpec("trigger_integration_sync", 500, trigger),
        RpcSpec("get_global_health_summary", None, summary),
        RpcSpec("insert_run_log", None, insert_run),
        RpcSpec("update_run_log_status", None, update_run),
    ]


def _begin_request(conn: psycopg.Connection[Any], call: Call) -> None:
    conn.execute(
        "SELECT set_config('role', %(role)s, true), set_config('request.jwt.claims', %(c)s, true)",
        {"role": call.role, "c": json.dumps(call.claims)},
        prepare=True,
    )
    if call.setup is not None:
        conn.execute(call.setup, call.setup_params or {}, prepare=True)


def _index_scans(conn: psycopg.Connection[Any]) -> dict[str, int]:
    conn.execute("SELECT pg_stat_force_next_flush()")
    conn.commit()
    conn.execute("SELECT pg_stat_clear_snapshot()")
    rows = conn.execute(
        "SELECT indexrelname, idx_scan FROM pg_stat_user_indexes"
        " WHERE schemaname IN ('public', 'integration_ops')"
    ).fetchall()
    conn.commit()
    return {str(name): int(scans) for name, scans in rows}


@dataclass(frozen=True)
class Timings:
    client_ms: list[float]
    server_ms: list[float]
    indexes: list[str]

    def server(self, pct: float) -> float:
        return percentile(self.server_ms, pct)

    def client(self, pct: float) -> float:
        return percentile(self.client_ms, pct)

    def figure(self) -> str:
        return (
            f"server p50 {self.server(50):.3f} / p99 {self.server(99):.3f} ms; "
            f"client p50 {self.client(50):.2f} / p99 {self.client(99):.2f} ms"
        )

    def data(self) -> dict[str, float | int | str]:
        return {
            "server_p50_ms": self.server(50),
            "server_p99_ms": self.server(99),
            "client_p50_ms": self.client(50),
            "client_p99_ms": self.client(99),
            "samples": len(self.client_ms),
            "indexes": ",".join(self.indexes),
        }


def time_calls(
    conn: psycopg.Connection[Any],
    make_call: Callable[[random.Random, int], Call],
    orgs: int,
    samples: int,
    seed: int = 7,
) -> Timings:
    """Client round trip and server execution time (EXPLAIN ANALYZE of the same call) of
    `samples` PostgREST-shaped calls, each in its own transaction, rolled back."""
    rng = random.Random(seed)
    # warm-up (plans, caches) is not counted
    for _ in range(5):
        call = make_call(rng, orgs)
        _begin_request(conn, call)
        conn.execute(call.query, call.params, prepare=True).fetchall()
        conn.rollback()
    before = _index_scans(conn)
    client_ms: list[float] = []
    server_ms: list[float] = []
    for _ in range(samples):
        call = make_call(rng, orgs)
        _begin_request(conn, call)
        start = time.perf_counter()
        conn.execute(call.query, call.params, prepare=True).fetchall()
        client_ms.append((time.perf_counter() - start) * 1000)
        conn.rollback()
        _begin_request(conn, call)
        explain = sql.SQL("EXPLAIN (ANALYZE, FORMAT JSON) ") + call.query
        plan = conn.execute(explain, call.params).fetchone()
        conn.rollback()
        assert plan is not None
        server_ms.append(float(plan[0][0]["Execution Time"]))
    after = _index_scans(conn)
    used = sorted(k for k, v in after.items() if v > before.get(k, 0))
    return Timings(client_ms, server_ms, used)


def as_service_role(
    make_call: Callable[[random.Random, int], Call],
) -> Callable[[random.Random, int], Call]:
    """The same call made by service_role: the authorization checks return at their first
    test, so what remains is the data path (and the function's own overhead)."""

    def make(rng: random.Random, orgs: int) -> Call:
        call = make_call(rng, orgs)
        return Call("service_role", SERVICE, call.query, call.params, call.setup, call.setup_params)

    return make


# The org-scoped RPCs whose member path (JWT claims, membership lookup) is measured beside
# the same call as service_role; trigger_integration_sync needs a user (auth.uid()).
SPLIT = (
    "get_org_health_status",
    "get_health_trend(24 h)",
    "get_last_run_per_integration",
    "get_run_history(20)",
)


def measure(
    ds: Dataset, samples: int, only: Sequence[str] | None = None, suffix: str = ""
) -> list[Row]:
    """One row per RPC (those named in `only`, or all), server and client percentiles
    beside the target and the 0.1 value of the row named `name + suffix`; for the
    org-scoped reads also the same call as service_role (the cost of the data path)."""
    rows: list[Row] = []
    with psycopg.connect(ds.superuser_dsn) as conn:
        for spec in specs():
            if only is not None and spec.name not in only:
                continue
            t = time_calls(conn, spec.make_call, ds.orgs, samples)
            goal = target(spec.name + suffix)
            p99 = t.client(99)
            budget = f"seed budget {spec.budget_ms:.0f} ms" if spec.budget_ms else ""
            ratio = f"{spec.budget_ms / p99:,.0f}x under the seed budget" if spec.budget_ms else ""
            data: dict[str, float | int | str] = {**t.data(), "budget_ms": spec.budget_ms or 0}
            if spec.name in SPLIT:
                svc = time_calls(conn, as_service_role(spec.make_call), ds.orgs, samples)
                ratio = (
                    f"as service_role: server p50 {svc.server(50):.3f} / p99 "
                    f"{svc.server(99):.3f} ms; {ratio}"
                )
                data["service_role_server_p50_ms"] = svc.server(50)
                data["service_role_server_p99_ms"] = svc.server(99)
            rows.append(
                Row(
                    name=spec.name + suffix,
                    figure=t.figure(),
                    budget=goal.target + (f"; {budget}" if budget else ""),
                    previous=goal.previous,
                    comparison=ratio,
                    note="indexes: " + (", ".join(t.indexes) if t.indexes else "none"),
                    data=data,
                )
            )
    return rows
