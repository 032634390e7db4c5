"""All SQL the sync worker sends, in one place (DESIGN §8).

Placeholders are named (psycopg's ``%(name)s``); the functions are called positionally in
the argument order of DESIGN §8, so the SQL side is free to name its parameters.
"""

from __future__ import annotations

from typing import Final

GET_WORKER_SETTINGS: Final = """
SELECT stale_run_timeout, health_check_timeout
FROM integration_ops.get_worker_settings()
"""

CLAIM_SYNC_RUNS: Final = """
SELECT run_id, org_id, integration_type, endpoint_url, triggered_by,
       scheduled_for, idempotency_key, secret_ref
FROM integration_ops.claim_sync_runs(%(worker_id)s::text, %(max_runs)s::integer)
"""

HEARTBEAT_SYNC_RUNS: Final = """
SELECT integration_ops.heartbeat_sync_runs(%(worker_id)s::text, %(run_ids)s::uuid[])
"""

COMPLETE_SYNC_RUN: Final = """
SELECT status FROM integration_ops.complete_sync_run(
  %(run_id)s::uuid, %(records_processed)s::integer, %(records_failed)s::integer
)
"""

FAIL_SYNC_RUN: Final = """
SELECT status FROM integration_ops.fail_sync_run(
  %(run_id)s::uuid, %(error_code)s::text, %(error_message)s::text
)
"""

DISPATCH_DUE_SYNCS: Final = "SELECT integration_ops.dispatch_due_syncs()"

WAKEUP_CHANNEL: Final = "integration_sync_wakeup"
LISTEN_WAKEUP: Final = f"LISTEN {WAKEUP_CHANNEL}"
