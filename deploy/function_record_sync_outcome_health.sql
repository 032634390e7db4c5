-- Deploy integration-sync:function_record_sync_outcome_health to pg
-- requires: function_record_sync_outcome_health@v0.2.0
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- Passive health mode (DESIGN §9): a pair with health_mode = 'passive' is never probed;
-- its status follows sync outcomes. complete_sync_run / fail_sync_run call this.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.record_sync_outcome_health(
  org_id uuid,
  integration_type text,
  succeeded boolean,
  error_message text
)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_mode text;
BEGIN
  IF record_sync_outcome_health.org_id IS NULL
     OR record_sync_outcome_health.integration_type IS NULL
     OR record_sync_outcome_health.succeeded IS NULL
  THEN
    PERFORM integration_ops.raise_error('invalid_argument',
      'org_id, integration_type and succeeded are required.');
  END IF;

  SELECT oi.health_mode INTO v_mode
    FROM public.organization_integrations AS oi
   WHERE oi.org_id = record_sync_outcome_health.org_id
     AND oi.integration_type = record_sync_outcome_health.integration_type;

  IF v_mode IS DISTINCT FROM 'passive' THEN
    RETURN;  -- active pairs are probed; disabled and unconfigured pairs get no status
  END IF;

  -- No latency is measured in passive mode: latency_ms is stored NULL.
  PERFORM integration_ops.record_health_check(
    record_sync_outcome_health.org_id,
    record_sync_outcome_health.integration_type,
    CASE WHEN record_sync_outcome_health.succeeded THEN 'healthy' ELSE 'degraded' END,
    NULL,
    CASE WHEN record_sync_outcome_health.succeeded THEN NULL
         ELSE record_sync_outcome_health.error_message END);
END
$$;

REVOKE ALL ON FUNCTION integration_ops.record_sync_outcome_health(uuid,text,boolean,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.record_sync_outcome_health(uuid,text,boolean,text) TO service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.record_sync_outcome_health(uuid, text, boolean, text) IS
  'Passive health: for a pair with health_mode = passive, record healthy (sync succeeded) or degraded (sync failed, with its error message) through record_health_check, latency NULL; a no-op for other modes and unconfigured pairs. Called by complete_sync_run / fail_sync_run.';

COMMIT;
