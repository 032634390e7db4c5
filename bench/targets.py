"""Each figure's target (issue 16, DESIGN §10) and its release 0.1 value, printed beside it.

The 0.1 values are what was measured on release 0.1: the idle polling figures at
200,000 pairs as issue 16 reports them (server side, p50 / p99); the RPC figures from
the 0.1 `make bench` (2,000 orgs, server side) and `make bench-scale` (20,000 orgs,
client round trip) recorded in the README of 0.1. They are constants here: measuring
0.1 again would need a second cluster with the old plan and the same data.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    target: str
    previous: str


PER_ORG_TARGET = "<= 1 ms p99 (server)"
FLAT_TARGET = "<= 1.5x the 2,000-org p99"

TARGETS: dict[str, Target] = {
    # Idle polling at 200,000 pairs (nothing due).
    "claim_health_checks": Target("<= 1 ms p99", "255 / 457 ms (p50 / p99)"),
    "get_global_health_summary idle": Target("<= 1 ms p99", "48 / 64 ms"),
    "dispatch_due_syncs": Target("keep (~0.1 ms)", "0.10 / 0.17 ms"),
    "claim_sync_runs": Target("keep (~0.1 ms)", "0.12 / 0.48 ms"),
    "idle cost": Target(
        "<= 5 s per hour",
        "not measured (claims alone: 120/h x 0.26 s = 31 s/h per health runner)",
    ),
    # Per-org RPCs at 2,000 orgs (0.1 make bench, server p50 / p99).
    "get_org_health_status": Target(PER_ORG_TARGET, "0.74 / 1.29 ms"),
    "get_health_trend(24 h)": Target("<= 0.5 ms p99 (server)", "0.76 / 1.21 ms"),
    "get_last_run_per_integration": Target(PER_ORG_TARGET, "0.68 / 1.13 ms"),
    "get_run_history(20)": Target(PER_ORG_TARGET, "0.67 / 1.08 ms"),
    "trigger_integration_sync": Target(PER_ORG_TARGET, "1.08 / 1.73 ms"),
    "insert_run_log": Target(PER_ORG_TARGET, "client p50 0.92 ms"),
    "update_run_log_status": Target(PER_ORG_TARGET, "client p50 0.79 ms"),
    "get_global_health_summary": Target("<= 1 ms p99 (server)", "6.2 / 7.4 ms"),
    # The same RPCs at 20,000 orgs (0.1 make bench-scale, client p50 / p99).
    "get_org_health_status @20000": Target(FLAT_TARGET, "client 2.33 / 4.15 ms"),
    "get_health_trend(24 h) @20000": Target(FLAT_TARGET, "client 3.37 / 6.30 ms"),
    "get_last_run_per_integration @20000": Target(FLAT_TARGET, "client 2.62 / 9.15 ms"),
    "get_run_history(20) @20000": Target(FLAT_TARGET, "client 2.04 / 4.73 ms"),
    "trigger_integration_sync @20000": Target(FLAT_TARGET, "client 2.04 / 3.67 ms"),
    "get_global_health_summary @20000": Target(FLAT_TARGET, "client 40.3 / 48.0 ms"),
    # Operations (issue 17), 2,000 orgs with 90 days of runs and a busy last day.
    "get_engine_status": Target("<= 5 ms (server)", "new in 0.2"),
    "refresh_alerts": Target("every minute, off the hot paths", "new in 0.2"),
    "refresh_engine_stats": Target("every minute, off the hot paths", "new in 0.2"),
    # The engine.
    "claim -> finish": Target(
        ">= procrastinate (1.0x)", "182 items/s vs procrastinate 295 (0.62x; 0.3-0.95x)"
    ),
    "claim -> finish, batched": Target(">= 3x procrastinate", "no batched report RPC in 0.1"),
}


def target(name: str) -> Target:
    return TARGETS.get(name, Target("-", "-"))
