"""The SQL of the sync worker's warm-ups and cold starts (DESIGN §12 "Cold starts").

The claim/report RPCs of runs are the runtime's (`runtime/queries.py`); these three are
the sync worker's own. Named arguments, no server-side prepared statements.
"""

from __future__ import annotations

from typing import Final

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
