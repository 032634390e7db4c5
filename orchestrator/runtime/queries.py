"""Every SQL statement the worker runtime sends, in one place (DESIGN §8): the sync
worker's, the health runner's, the warm-ups', the handshake's, /readyz's and the engine
figures'. `store.WorkerStore` (the manager) and `db.Database` (the connector) send them;
no other module of `runtime/`, `sync/` or `health/` holds SQL.

Functions are called with named arguments (`fn(arg => …)`, as PostgREST does), so a
trailing parameter added with a default (such as `worker_id` of `complete_sync_run`
in 0.2) is passed by name and never by position. Placeholders are psycopg's
`%(name)s`; no statement is prepared server-side (see `db.CONNECTION_KWARGS`).
"""

from __future__ import annotations

from typing import Final

GET_WORKER_SETTINGS: Final = """
SELECT stale_run_timeout, health_check_timeout
FROM integration_ops.get_worker_settings()
"""

# The URL rules' allowed_http_hosts (DESIGN §13): NULL when the deployed
# get_worker_settings() has no such column yet (a 0.2 database).
ALLOWED_HTTP_HOSTS: Final = """
SELECT to_jsonb(s) -> 'allowed_http_hosts' AS allowed_http_hosts
FROM integration_ops.get_worker_settings() AS s
"""

# --- the version handshake (DESIGN §13; runtime/handshake.py) --------------------------

# What is deployed, without calling anything that may be missing: package_version() exists
# since 0.3, finish_sync_runs(text, jsonb) since 0.2.
PACKAGE_CATALOG: Final = """
SELECT to_regnamespace('integration_ops') IS NOT NULL AS has_schema,
       to_regprocedure('integration_ops.package_version()') IS NOT NULL AS has_version,
       to_regprocedure('integration_ops.finish_sync_runs(text, jsonb)') IS NOT NULL
         AS has_batch_reports
"""

PACKAGE_VERSION: Final = "SELECT integration_ops.package_version() AS version"

# /readyz: the deployed release and the settings, through the pool.
READY: Final = """
SELECT integration_ops.package_version() AS version, s.stale_run_timeout
FROM integration_ops.get_worker_settings() AS s
"""

# The engine's figures for the Prometheus gauges (orchestrator_engine_*; metrics.py), read
# by a process with a metrics port at start and once a minute.
ENGINE_METRICS: Final = "SELECT integration_ops.get_engine_metrics() AS engine_metrics"

# --- sync runs ------------------------------------------------------------------------

CLAIM_SYNC_RUNS: Final = """
SELECT run_id, org_id, integration_type, endpoint_url, triggered_by,
       scheduled_for, idempotency_key, secret_ref
FROM integration_ops.claim_sync_runs(
  worker_id => %(worker_id)s::text,
  max_runs => %(max_runs)s::integer
)
"""

HEARTBEAT_SYNC_RUNS: Final = """
SELECT integration_ops.heartbeat_sync_runs(
  worker_id => %(worker_id)s::text,
  run_ids => %(run_ids)s::uuid[]
)
"""

COMPLETE_SYNC_RUN: Final = """
SELECT status FROM integration_ops.complete_sync_run(
  run_id => %(run_id)s::uuid,
  records_processed => %(records_processed)s::integer,
  records_failed => %(records_failed)s::integer,
  worker_id => %(worker_id)s::text
)
"""

FAIL_SYNC_RUN: Final = """
SELECT status FROM integration_ops.fail_sync_run(
  run_id => %(run_id)s::uuid,
  error_code => %(error_code)s::text,
  error_message => %(error_message)s::text,
  worker_id => %(worker_id)s::text
)
"""

# Up to 50 reports in one call, each applied or refused on its own (DESIGN §12): one row
# per report, in order; `refused_with` is the §6 code of a report that changed nothing.
FINISH_SYNC_RUNS: Final = """
SELECT run_id, status, refused_with
FROM integration_ops.finish_sync_runs(
  worker_id => %(worker_id)s::text,
  reports => %(reports)s::jsonb
)
"""

DISPATCH_DUE_SYNCS: Final = "SELECT integration_ops.dispatch_due_syncs()"

WAKEUP_CHANNEL: Final = "integration_sync_wakeup"

# --- warm-ups and cold starts (DESIGN §12 "Cold starts"; sync/warmup.py) -------------

CLAIM_WARMUPS: Final = """
SELECT org_id, integration_type, warmup_url, secret_ref, warmed_for
FROM integration_ops.claim_warmups(
  worker_id => %(worker_id)s::text,
  max_pairs => %(max_pairs)s::integer
)
"""

RECORD_WARMUP: Final = """
SELECT integration_ops.record_warmup(
  org_id => %(org_id)s::uuid,
  integration_type => %(integration_type)s::text,
  http_status => %(http_status)s::integer,
  worker_id => %(worker_id)s::text
)
"""

MARK_COLD_START: Final = """
SELECT cold_start, warmup_url, retry_run_id
FROM integration_ops.mark_cold_start(
  run_id => %(run_id)s::uuid,
  error_code => %(error_code)s::text,
  worker_id => %(worker_id)s::text,
  as_attempt => true
)
"""

# --- health checks --------------------------------------------------------------------

CLAIM_HEALTH_CHECKS: Final = """
SELECT org_id, integration_type, health_config, secret_ref
FROM integration_ops.claim_health_checks(
  worker_id => %(worker_id)s::text,
  max_checks => %(max_checks)s::integer
)
"""

RECORD_HEALTH_CHECK: Final = """
SELECT status
FROM integration_ops.record_health_check(
  org_id => %(org_id)s::uuid,
  integration_type => %(integration_type)s::text,
  status => %(status)s::text,
  latency_ms => %(latency_ms)s::integer,
  error_message => %(error_message)s::text
)
"""

# --- LISTEN and its self-test ---------------------------------------------------------

NOTIFY: Final = "SELECT pg_notify(%(channel)s::text, %(payload)s::text)"


def _channel(channel: str) -> str:
    """A channel name quoted (channel names are ours: letters, digits, underscores)."""
    if not channel.replace("_", "").isalnum():
        raise ValueError(f"not a channel name: {channel!r}")
    return f'"{channel}"'


def listen(channel: str) -> str:
    """`LISTEN "<channel>"`."""
    return f"LISTEN {_channel(channel)}"


def unlisten(channel: str) -> str:
    """`UNLISTEN "<channel>"`."""
    return f"UNLISTEN {_channel(channel)}"


# --- orchestrator status: the app's own RPCs, called as service_role ------------------

ACT_AS_SERVICE_ROLE: Final = "SET LOCAL ROLE service_role"
SERVICE_ROLE_CLAIMS: Final = """
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true)
"""

ORG_HEALTH_STATUS: Final = """
SELECT * FROM public.get_org_health_status(org_id => %(org_id)s::uuid)
ORDER BY integration_type
"""

LAST_RUN_PER_INTEGRATION: Final = """
SELECT * FROM public.get_last_run_per_integration(org_id => %(org_id)s::uuid)
ORDER BY integration_type
"""

ENGINE_STATUS: Final = "SELECT public.get_engine_status() AS engine_status"
