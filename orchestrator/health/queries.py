"""Every SQL statement the health worker and `orchestrator status` send, in one place.

All calls use named parameters (`fn(arg => …)`), as PostgREST does (DESIGN §3).
"""

from __future__ import annotations

from typing import Final

WORKER_SETTINGS: Final = """
SELECT health_check_timeout FROM integration_ops.get_worker_settings()
"""

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
