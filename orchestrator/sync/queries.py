"""All SQL the sync worker sends, in one place, with named parameters (DESIGN §8)."""

from __future__ import annotations

from typing import Final

GET_WORKER_SETTINGS: Final = """
SELECT stale_run_timeout, health_check_timeout
FROM integration_ops.get_worker_settings()
"""

CLAIM_SYNC_RUNS: Final = """
SELECT run_id, org_id, integration_type, endpoint_url, triggered_by,
       scheduled_for, idempotency_key, secret_ref
FROM integration_ops.claim_sync_runs(worker_id => %(worker_id)s, max_runs => %(max_runs)s)
"""

HEARTBEAT_SYNC_RUNS: Final = """
SELECT integration_ops.heartbeat_sync_runs(
  worker_id => %(worker_id)s, run_ids => %(run_ids)s::uuid[]
)
"""

COMPLETE_SYNC_RUN: Final = """
SELECT status FROM integration_ops.complete_sync_run(
  run_id => %(run_id)s,
  records_processed => %(records_processed)s,
  records_failed => %(records_failed)s
)
"""

FAIL_SYNC_RUN: Final = """
SELECT status FROM integration_ops.fail_sync_run(
  run_id => %(run_id)s, error_code => %(error_code)s, error_message => %(error_message)s
)
"""

DISPATCH_DUE_SYNCS: Final = "SELECT integration_ops.dispatch_due_syncs()"

WAKEUP_CHANNEL: Final = "integration_sync_wakeup"
LISTEN_WAKEUP: Final = f"LISTEN {WAKEUP_CHANNEL}"
